// `cunbo`: the thin executable. Parses the command line and hands over to a command.
#include <cstdio>
#include <variant>

#include <CLI/CLI.hpp>

#include "client/commands.h"
#include "client/config.h"
#include "client/exit_codes.h"
#include "client/logging.h"
#include "client/stop_signals.h"
#include "client/strings.h"

#ifndef CUNBO_VERSION
#error "CUNBO_VERSION must be defined by the build"
#endif

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

  PracticeFlags practice;
  CLI::App* practice_cmd = app.add_subcommand("practice", tr("cli.practice"));
  practice_cmd->add_option("--video", practice.video, tr("cli.opt_video"))->type_name("SPEC");
  practice_cmd->add_option("--audio", practice.audio, tr("cli.opt_audio"))->type_name("SPEC");
  practice_cmd->add_option("--duration", practice.duration, tr("cli.opt_duration"))->type_name("SECONDS");
  practice_cmd->add_option("--out", practice.out, tr("cli.opt_out"))->type_name("FILE");
  practice_cmd->add_option("--quality", practice.quality, tr("cli.opt_quality"))->type_name("480p|720p|1080p");

  std::string key;
  std::string value;
  CLI::App* config_cmd = app.add_subcommand("config", tr("cli.config"));
  config_cmd->require_subcommand(1);
  CLI::App* config_set = config_cmd->add_subcommand("set", tr("cli.config_set"));
  config_set->add_option("key", key)->required();
  config_set->add_option("value", value)->required();
  CLI::App* config_show = config_cmd->add_subcommand("show", tr("cli.config_show"));

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    print_error(tr("err.usage", e.what()));
    return exit_code::kUsage;
  }

  setup_logging(verbose);
  if (auto* err = std::get_if<ConfigError>(&loaded)) {
    print_error(tr(err->id, err->what, err->detail));
    return exit_code::kUsage;
  }
  if (*practice_cmd) return run_practice(practice, config);
  if (*config_set) return run_config_set(key, value);
  if (*config_show) return run_config_show();
  // No sub-command: the studio window will open here; until it exists, show what there is.
  std::fputs(app.help().c_str(), stdout);
  return exit_code::kOk;
}
