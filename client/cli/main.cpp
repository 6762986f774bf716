// `cunbo`: the thin executable. Parses the command line and hands over to a command.
#include <cstdio>
#include <variant>

#include <CLI/CLI.hpp>

#include "client/cli/commands.h"
#include "client/config/config.h"
#include "client/config/destination.h"
#include "client/cli/devices_command.h"
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

// A key typed into --dest would show in `ps` for as long as we run: overwrite it in place
// (the kernel shows argv's memory) once CLI11 has its own copy. --key-file avoids it entirely.
void hide_keys_from_process_list(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const size_t scheme = arg.find("://");
    if (scheme == std::string::npos) continue;
    const std::string url = arg.substr(arg.find('=') < scheme ? arg.find('=') + 1 : 0);
    const std::string masked = cunbo::mask_url(url);
    const size_t keep = masked.size() - 4;  // masked ends in ****
    if (!masked.ends_with("****") || keep >= url.size()) continue;
    char* key = argv[i] + (arg.size() - url.size()) + keep;
    for (char* c = key; *c; ++c) *c = '*';
  }
}

// `cunbo` without a sub-command: the studio window's options (ui/window/studio_window.h).
void add_window_options(CLI::App& app, cunbo::ui::WindowFlags& flags) {
  app.add_option("--video", flags.video, cunbo::tr("cli.opt_video"))->type_name("SPEC");
  app.add_option("--audio", flags.audio, cunbo::tr("cli.opt_audio"))->type_name("SPEC");
  app.add_flag("--practice", flags.practice, cunbo::tr("win.opt_practice"));
  app.add_option("--lang", flags.lang, cunbo::tr("win.opt_lang"))->type_name("zh-CN|en")->check(CLI::IsMember({"zh-CN", "en"}));
  app.add_option("--screenshot", flags.screenshot, cunbo::tr("win.opt_screenshot"))->type_name("FILE.png");
  app.add_option("--after-frames", flags.after_frames, cunbo::tr("win.opt_after_frames"))
      ->type_name("N")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--window-size", flags.window_size, cunbo::tr("win.opt_window_size"))
      ->type_name("WxH")
      ->check([](const std::string& text) {
        return cunbo::ui::parse_window_size(text) ? std::string() : cunbo::tr("win.err_window_size", text);
      });
  // Test hooks, not in --help.
  app.add_option("--go-live-after-frames", flags.go_live_after_frames)->group("");
  app.add_option("--state", flags.state)->group("")->check(CLI::IsMember({"settings"}));
  app.add_option("--practice-seed", flags.practice_seed)->group("");
  app.add_option("--practice-orders-per-minute", flags.practice_orders_per_minute)->group("");
  app.add_option("--present", flags.present)->group("")->check(CLI::Range(1, 9));
  app.add_option("--keys", flags.keys)->group("");
  app.add_flag("--frame-stats", flags.frame_stats)->group("");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace cunbo;
  // Before any thread exists, so that every thread inherits the mask (see stop_signals.h).
  stop_signals::block();

  // The config decides the language, which the help text is already in.
  auto loaded = load_config(config_path());
  Config config;
  if (auto* c = std::get_if<Config>(&loaded)) config = *c;
  set_language(config.language ? (*config.language == "en" ? Language::en : Language::zh_CN)
                               : language_from_locale());

  CLI::App app{tr("cli.about"), "cunbo"};
  app.set_version_flag("--version", std::string("cunbo ") + CUNBO_VERSION);
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, tr("cli.opt_verbose"));

  auto add_capture_options = [](CLI::App* cmd, CaptureFlags& flags) {
    cmd->add_option("--video", flags.video, tr("cli.opt_video"))->type_name("SPEC");
    cmd->add_option("--audio", flags.audio, tr("cli.opt_audio"))->type_name("SPEC");
    cmd->add_option("--duration", flags.duration, tr("cli.opt_duration"))->type_name("SECONDS");
    cmd->add_option("--quality", flags.quality, tr("cli.opt_quality"))->type_name("480p|720p|1080p");
    cmd->add_option("--showcase", flags.showcase, tr("cli.opt_showcase"))->type_name("PRODUCT_ID");
    cmd->add_option("--card-position", flags.card_position, tr("cli.opt_card_position"))
        ->type_name("bottom-left|bottom-right|top-right");
    cmd->add_option("--shop-name", flags.shop_name, tr("cli.opt_shop_name"))->type_name("TEXT");
    flags.overlay_painter = ui::overlay_painter_factory();
  };
  PracticeFlags practice;
  CLI::App* practice_cmd = app.add_subcommand("practice", tr("cli.practice"));
  add_capture_options(practice_cmd, practice.capture);
  practice_cmd->add_option("--out", practice.out, tr("cli.opt_out"))->type_name("FILE");
  practice_cmd->add_option("--rotate", practice.rotate, tr("cli.opt_rotate"))->type_name("SECONDS")->check(CLI::PositiveNumber);
  practice_cmd->add_option("--catalog", practice.catalog, tr("cli.opt_catalog"))->type_name("FILE");
  practice_cmd->add_option("--orders-per-minute", practice.orders_per_minute, tr("cli.opt_orders_rate"))->type_name("N");
  practice_cmd->add_option("--comments-per-minute", practice.comments_per_minute, tr("cli.opt_comments_rate"))
      ->type_name("N");
  practice_cmd->add_option("--seed", practice.seed, tr("cli.opt_seed"))->type_name("N");

  StreamFlags stream;
  stream.version = CUNBO_VERSION;
  CLI::App* stream_cmd = app.add_subcommand("stream", tr("cli.stream"));
  add_capture_options(stream_cmd, stream.capture);
  stream_cmd->add_option("--dest", stream.dest, tr("cli.opt_dest"))->type_name("URL");
  stream_cmd->add_option("--key-file", stream.key_file, tr("cli.opt_key_file"))->type_name("FILE");
  auto* record_opt = stream_cmd->add_option("--record", stream.record, tr("cli.opt_record"))->type_name("FILE");
  stream_cmd->add_flag("--no-record", stream.no_record, tr("cli.opt_no_record"))->excludes(record_opt);
  stream_cmd->add_option("--bitrate", stream.bitrate, tr("cli.opt_bitrate"))->type_name("KBPS");
  stream_cmd->add_flag("--no-abr", stream.no_abr, tr("cli.opt_no_abr"));
  stream_cmd->add_option("--catalog", stream.catalog, tr("cli.opt_catalog"))->type_name("FILE");

  FeedFlags feed;
  feed.version = CUNBO_VERSION;
  CLI::App* feed_cmd = add_feed_command(app, feed);

  DevicesFlags devices;
  CLI::App* devices_cmd = add_devices_command(app, devices);

  ProbeFlags probe;
  CLI::App* probe_cmd = add_probe_command(app, probe);

  std::string key;
  std::string value;
  CLI::App* config_cmd = app.add_subcommand("config", tr("cli.config"));
  config_cmd->require_subcommand(1);
  CLI::App* config_set = config_cmd->add_subcommand("set", tr("cli.config_set"));
  config_set->add_option("key", key)->required();
  config_set->add_option("value", value)->required();
  CLI::App* config_show = config_cmd->add_subcommand("show", tr("cli.config_show"));

  // No sub-command: the studio window (ui/window/studio_window.h).
  ui::WindowFlags window;
  add_window_options(app, window);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    print_error(tr("err.usage", e.what()));
    return exit_code::kUsage;
  }

  hide_keys_from_process_list(argc, argv);
  setup_logging(verbose);
  if (auto* err = std::get_if<ConfigError>(&loaded)) {
    print_error(tr(err->id, err->what, err->detail));
    return exit_code::kUsage;
  }
  if (*practice_cmd) return run_practice(practice, config);
  if (*stream_cmd) return run_stream(stream, config);
  if (*feed_cmd) return run_feed(feed, config);
  if (*devices_cmd) return run_devices(devices);
  if (*probe_cmd) return run_probe(probe);
  if (*config_set) return run_config_set(key, value);
  if (*config_show) return run_config_show();
  StudioOptions studio_options;
  studio_options.overlay_painter = ui::overlay_painter_factory();
  studio_options.version = CUNBO_VERSION;
  return ui::run_studio_window(window, config, std::move(studio_options));
}
