#include <cstdio>
#include <random>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "client/base/exit_codes.h"
#include "client/base/strings.h"
#include "client/cli/command_line.h"
#include "client/cli/commands.h"
#include "client/cli/session_driver.h"
#include "client/cli/typed_values.h"
#include "client/platform/feed_factory.h"
#include "client/studio/studio.h"

namespace cunbo {

CLI::App* add_practice_command(CLI::App& app, PracticeFlags& flags, std::optional<std::string>& lang) {
  CLI::App* cmd = app.add_subcommand("practice", tr("cli.practice"));
  add_capture_options(cmd, flags.capture);
  cmd->add_option("--out", flags.out, tr("cli.opt_out"))->type_name(tr("cli.type_file"));
  cmd->add_option("--rotate", flags.rotate, tr("cli.opt_rotate"))->type_name(tr("cli.type_seconds"));
  add_simulator_options(cmd, flags.simulator);
  add_lang_option(cmd, lang);
  return cmd;
}

int run_practice(const PracticeFlags& flags, const Config& config) {
  std::optional<double> rotate_s;
  if (flags.rotate) {
    rotate_s = parse_positive(*flags.rotate, 86400);
    if (!rotate_s) {
      print_error(tr("err.bad_rotate", *flags.rotate));
      return exit_code::kUsage;
    }
  }
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
  feed_settings.seed = static_cast<uint64_t>(std::random_device{}());
  if (auto wrong = apply_simulator_flags(feed_settings, flags.simulator)) {
    print_error(*wrong);
    return exit_code::kUsage;
  }
  std::shared_ptr<PlatformFeed> feed;
  auto made = make_practice_feed(feed_settings);
  if (auto* ok = std::get_if<std::unique_ptr<PlatformFeed>>(&made)) {
    feed = std::move(*ok);
  } else if (flags.simulator.catalog) {  // the host's own catalog: say what is wrong with it
    print_error(std::get<std::string>(made));
    return exit_code::kUsage;
  } else {
    spdlog::warn("[practice] no simulated orders: {}", std::get<std::string>(made));
  }
  if (int code = check_showcase_product(options, feed.get()); code != exit_code::kOk) return code;
  options.showcase_rotate_s = rotate_s.value_or(0);

  Studio studio(headless_studio(config, std::move(feed), false, CUNBO_VERSION));
  studio.start();
  auto ran = drive_session(studio, std::move(options));
  if (auto* code = std::get_if<int>(&ran)) return *code;
  const DriveResult& result = std::get<DriveResult>(ran);
  print_recording(result.summary);
  if (result.summary.encoder_failed) return exit_code::kFailure;  // said when it happened
  return result.summary.recording_failed ? exit_code::kOutputFailed : exit_code::kOk;
}

}  // namespace cunbo
