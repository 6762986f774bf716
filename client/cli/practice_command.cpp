#include <cstdio>
#include <random>

#include <spdlog/spdlog.h>

#include "client/cli/commands.h"
#include "client/base/exit_codes.h"
#include "client/platform/feed_factory.h"
#include "client/session/session.h"
#include "client/cli/session_driver.h"
#include "client/base/strings.h"

namespace cunbo {

int run_practice(const PracticeFlags& flags, const Config& config) {
  SessionOptions options;
  auto duration = apply_capture_flags(flags.capture, config, options);
  if (auto* code = std::get_if<int>(&duration)) return *code;
  auto path = recording_path(flags.out, config, "practice");
  if (auto* code = std::get_if<int>(&path)) return *code;
  options.recording = std::get<std::filesystem::path>(path);
  options.event_log = options.recording.string() + ".events.jsonl";
  // Simulated orders and comments from the sample catalog, as a platform would send them.
  PracticeFeedSettings feed_settings;
  feed_settings.seed = flags.seed.value_or(static_cast<uint64_t>(std::random_device{}()));
  if (flags.catalog) feed_settings.catalog = *flags.catalog;
  if (auto bad = set_practice_rates(feed_settings, flags.orders_per_minute, flags.comments_per_minute)) {
    print_error(tr("err.bad_rate", *bad));
    return exit_code::kUsage;
  }
  auto feed = make_practice_feed(feed_settings);
  if (auto* made = std::get_if<std::unique_ptr<PlatformFeed>>(&feed)) {
    options.feed = std::move(*made);
  } else if (flags.catalog) {  // the host's own catalog: say what is wrong with it
    print_error(tr("err.catalog", std::get<std::string>(feed)));
    return exit_code::kUsage;
  } else {
    spdlog::warn("[practice] no simulated orders: {}", std::get<std::string>(feed));
  }
  if (int code = check_showcase_product(options); code != exit_code::kOk) return code;
  options.showcase_rotate_s = flags.rotate.value_or(0);

  auto ran = run_session(options, std::get<std::optional<double>>(duration));
  if (auto* code = std::get_if<int>(&ran)) return *code;
  const DriveResult& result = std::get<DriveResult>(ran);
  std::printf("%s\n", tr("msg.recording_saved", options.recording.string()).c_str());
  return result.stats.recording_failed ? exit_code::kOutputFailed : exit_code::kOk;
}

}  // namespace cunbo
