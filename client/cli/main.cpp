// `cunbo`: the thin executable. Parses the command line and hands over to a command.
#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "client/cli/command_line.h"
#include "client/cli/commands.h"
#include "client/cli/typed_values.h"
#include "client/config/config.h"
#include "client/config/destination.h"
#include "client/cli/devices_command.h"
#include "client/cli/process_list.h"
#include "client/base/console.h"
#include "client/base/exit_codes.h"
#include "client/base/logging.h"
#include "client/base/stop_signals.h"
#include "client/base/strings.h"
#include "ui/overlay/overlay_painter_factory.h"
#include "ui/window/studio_window.h"
#include "ui/window/window_fit.h"

#ifndef CUNBO_VERSION
#error "CUNBO_VERSION must be defined by the build"
#endif

namespace {

// `cunbo` without a sub-command: the studio window's options (ui/window/studio_window.h).
// --after-frames and --window-size are kept as typed and read by main.
void add_window_options(CLI::App& app, cunbo::ui::WindowFlags& flags, std::optional<std::string>& after_frames) {
  using cunbo::tr;
  app.add_option("--video", flags.video, tr("cli.opt_video"))->type_name(tr("cli.type_spec"));
  app.add_option("--audio", flags.audio, tr("cli.opt_audio"))->type_name(tr("cli.type_spec"));
  app.add_flag("--practice", flags.practice, tr("win.opt_practice"));
  app.add_option("--lang", flags.lang, tr("win.opt_lang"))->type_name("zh-CN|en");
  app.add_option("--screenshot", flags.screenshot, tr("win.opt_screenshot"))->type_name(tr("cli.type_png"));
  app.add_option("--after-frames", after_frames, tr("win.opt_after_frames"))->type_name(tr("cli.type_frames"));
  app.add_option("--window-size", flags.window_size, tr("win.opt_window_size"))->type_name(tr("cli.type_size"));
  // Test hooks, not in --help (a wrong value still gets our words: command_line.h).
  app.add_option("--go-live-after-frames", flags.go_live_after_frames)->group("");
  app.add_option("--state", flags.state)->group("")->check(CLI::IsMember({"settings"}));
  app.add_option("--practice-seed", flags.practice_seed)->group("");
  app.add_option("--practice-orders-per-minute", flags.practice_orders_per_minute)->group("");
  app.add_option("--present", flags.present)->group("")->check(CLI::Range(1, 9));
  app.add_option("--keys", flags.keys)->group("");
  app.add_flag("--frame-stats", flags.frame_stats)->group("");
}

}  // namespace

int main(int argc, char** system_argv) {
  using namespace cunbo;
  prepare_console();
  std::vector<std::string> argument_storage;
  std::vector<char*> arguments = utf8_arguments(argc, system_argv, argument_storage);
  char** argv = arguments.data();
  // Before any thread exists, so that every thread inherits the mask (see stop_signals.h).
  stop_signals::block();

  // The config and --lang decide the language, which the help text is already in. A config
  // file that cannot be used never locks the host out: the defaults, and one line saying so.
  const LoadedConfig loaded = load_config_or_defaults(config_path());
  const Config& config = loaded.config;
  set_language(host_language(argc, argv, config));

  CLI::App app{tr("cli.about"), "cunbo"};
  use_host_words(app, std::string("cunbo ") + CUNBO_VERSION);
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, tr("cli.opt_verbose"));

  std::optional<std::string> lang;  // --lang of a sub-command (the window's is its own flag)
  PracticeFlags practice;
  CLI::App* practice_cmd = add_practice_command(app, practice, lang);
  StreamFlags stream;
  stream.version = CUNBO_VERSION;
  CLI::App* stream_cmd = add_stream_command(app, stream, lang);
  practice.capture.overlay_painter = stream.capture.overlay_painter = ui::overlay_painter_factory();
  FeedFlags feed;
  feed.version = CUNBO_VERSION;
  CLI::App* feed_cmd = add_feed_command(app, feed, lang);
  DevicesFlags devices;
  CLI::App* devices_cmd = add_devices_command(app, devices, lang);
  ProbeFlags probe;
  CLI::App* probe_cmd = add_probe_command(app, probe, lang);
  ConfigFlags config_flags;
  CLI::App* config_cmd = add_config_command(app, config_flags, lang);

  // No sub-command: the studio window (ui/window/studio_window.h).
  ui::WindowFlags window;
  std::optional<std::string> after_frames;
  add_window_options(app, window, after_frames);

  if (auto answered = parse_command_line(app, argc, argv)) return *answered;
  for (const auto& given : {lang, window.lang}) {
    if (auto wrong = check_lang_option(given)) {
      print_error(*wrong);
      return exit_code::kUsage;
    }
  }
  if (after_frames) {
    const auto frames = parse_whole(*after_frames);
    if (!frames || *frames > 1'000'000) {
      print_error(tr("err.bad_after_frames", *after_frames));
      return exit_code::kUsage;
    }
    window.after_frames = static_cast<int>(*frames);
  }
  if (window.window_size && !ui::parse_window_size(*window.window_size)) {
    print_error(tr("win.err_window_size", *window.window_size));
    return exit_code::kUsage;
  }

  if (const std::string shown = hide_keys_from_process_list(argc, system_argv); !shown.empty()) {
    print_error(tr("err.key_on_command_line", shown));
    return exit_code::kUsage;
  }
  setup_logging(verbose);
  if (loaded.problem) {
    spdlog::warn("[config] {} (line {}): {}", loaded.problem->path.string(), loaded.problem->line,
                 loaded.problem->detail);
    // `stream` decides for itself (it may refuse), `config` keeps the file aside when it writes,
    // the window says it below.
    if (*practice_cmd || *feed_cmd || *devices_cmd || *probe_cmd) print_warning(config_problem_text(*loaded.problem));
  }
  if (*practice_cmd) return run_practice(practice, config);
  if (*stream_cmd) return run_stream(stream, loaded);
  if (*feed_cmd) return run_feed(feed, config);
  if (*devices_cmd) return run_devices(devices);
  if (*probe_cmd) return run_probe(probe);
  if (*config_cmd) return run_config(config_flags, loaded.problem);
  StudioOptions studio_options;
  studio_options.overlay_painter = ui::overlay_painter_factory();
  studio_options.version = CUNBO_VERSION;
  studio_options.idle_preview = true;  // the host sees their camera before going live
  if (loaded.problem) {
    const std::string text = config_problem_text(*loaded.problem);
    print_warning(text);  // a terminal sees it too; the window shows it until dismissed
    studio_options.startup_message = text;
  }
  return ui::run_studio_window(window, config, std::move(studio_options));
}
