#include <cstdio>
#include <random>

#include <spdlog/spdlog.h>

#include "client/base/exit_codes.h"
#include "client/base/strings.h"
#include "client/cli/commands.h"
#include "client/cli/session_driver.h"
#include "client/platform/feed_factory.h"
#include "client/studio/studio.h"

namespace cunbo {

int run_practice(const PracticeFlags& flags, const Config& config) {
  SessionOptions options;
  CaptureFlags capture = flags.capture;
  capture.config_duration = true;  // a rehearsal may have a stored length; a live stream never does
  if (int code = apply_capture_flags(capture, config, options); code != exit_code::kOk) return code;
  auto path = recording_path(flags.out, config, "practice");
  if (auto* code = std::get_if<int>(&path)) return *code;
  options.recording = std::get<std::filesystem::path>(path);
  options.event_log = options.recording.string() + ".events.jsonl";
  options.practice = true;
  // Simulated orders and comments from the sample catalog, as a platform would send them.
  PracticeFeedSettings feed_settings;
  feed_settings.seed = flags.seed.value_or(static_cast<uint64_t>(std::random_device{}()));
  if (flags.catalog) feed_settings.catalog = *flags.catalog;
  if (auto bad = set_practice_rates(feed_settings, flags.orders_per_minute, flags.comments_per_minute)) {
    print_error(tr("err.bad_rate", *bad));
    return exit_code::kUsage;
  }
  std::shared_ptr<PlatformFeed> feed;
  auto made = make_practice_feed(feed_settings);
  if (auto* ok = std::get_if<std::unique_ptr<PlatformFeed>>(&made)) {
    feed = std::move(*ok);
  } else if (flags.catalog) {  // the host's own catalog: say what is wrong with it
    print_error(tr("err.catalog", std::get<std::string>(made)));
    return exit_code::kUsage;
  } else {
    spdlog::warn("[practice] no simulated orders: {}", std::get<std::string>(made));
  }
  if (int code = check_showcase_product(options, feed.get()); code != exit_code::kOk) return code;
  options.showcase_rotate_s = flags.rotate.value_or(0);

  Studio studio(headless_studio(config, std::move(feed), false, CUNBO_VERSION));
  studio.start();
  auto ran = drive_session(studio, std::move(options));
  if (auto* code = std::get_if<int>(&ran)) return *code;
  const DriveResult& result = std::get<DriveResult>(ran);
  print_recording(result.summary);
  return result.summary.recording_failed ? exit_code::kOutputFailed : exit_code::kOk;
}

}  // namespace cunbo
