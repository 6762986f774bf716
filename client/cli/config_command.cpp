#include <cstdio>
#include <fstream>

#include <CLI/CLI.hpp>

#include "client/base/console.h"
#include "client/base/exit_codes.h"
#include "client/base/strings.h"
#include "client/cli/command_line.h"
#include "client/cli/commands.h"
#include "client/config/destination.h"

namespace cunbo {

namespace {

int run_config_set(const std::string& key, const std::string& value, const std::optional<ConfigProblem>& problem) {
  const auto path = config_path();
  std::optional<KeptAside> broken;
  if (auto err = set_config_value(path, key, value, &broken)) {
    std::string keys;
    for (const std::string& k : config_keys()) keys += (keys.empty() ? "" : ", ") + k;
    print_error(err->id == "err.config_unknown_key" ? tr(err->id, key, keys) : tr(err->id, err->what, err->detail));
    return err->id == "err.config_write" ? exit_code::kFailure : exit_code::kUsage;
  }
  if (broken) print_warning(config_kept_aside_text(broken->problem, broken->kept));
  else if (problem && problem->key != key) print_warning(config_problem_text(*problem));  // still there
  std::printf("%s\n", tr("msg.config_saved", key, value, path.string()).c_str());
  return exit_code::kOk;
}

int run_config_show(const std::optional<ConfigProblem>& problem) {
  const auto path = config_path();
  std::ifstream in(path);
  if (!in) {
    if (problem) print_warning(config_problem_text(*problem));
    else std::printf("%s\n", tr("msg.config_empty", path.string()).c_str());
    return exit_code::kOk;
  }
  // The file as the host wrote it, even when part of it cannot be used: they see what to fix.
  if (problem) print_warning(config_problem_text(*problem));
  // Shown on screen, so keys and key-bearing URLs are masked like everywhere else.
  std::printf("# %s\n", path.string().c_str());
  for (std::string line; std::getline(in, line);) {
    const size_t eq = line.find('=');
    const std::string name = eq == std::string::npos ? "" : line.substr(0, eq);
    if ((name.find("key") != std::string::npos || name.find("token") != std::string::npos ||
         name.find("passphrase") != std::string::npos) &&
        name.find('#') == std::string::npos) {
      line = name + "= \"****\"";
    } else if (const size_t quote = line.find('"', eq == std::string::npos ? 0 : eq); quote != std::string::npos &&
               line.find("://", quote) != std::string::npos) {
      const size_t end = line.find('"', quote + 1);
      line = line.substr(0, quote + 1) + mask_url(line.substr(quote + 1, end - quote - 1)) +
             (end == std::string::npos ? "" : line.substr(end));
    }
    std::printf("%s\n", line.c_str());
  }
  return exit_code::kOk;
}

}  // namespace

CLI::App* add_config_command(CLI::App& app, ConfigFlags& flags, std::optional<std::string>& lang) {
  CLI::App* cmd = app.add_subcommand("config", tr("cli.config"));
  add_lang_option(cmd, lang);
  flags.set = cmd->add_subcommand("set", tr("cli.config_set"));
  flags.set->add_option("key", flags.key, tr("cli.config_key"))->type_name(tr("cli.type_key"));
  flags.set->add_option("value", flags.value, tr("cli.config_value"))->type_name(tr("cli.type_value"));
  add_lang_option(flags.set, lang);
  flags.show = cmd->add_subcommand("show", tr("cli.config_show"));
  add_lang_option(flags.show, lang);
  return cmd;
}

int run_config(const ConfigFlags& flags, const std::optional<ConfigProblem>& problem) {
  if (*flags.show) return run_config_show(problem);
  if (!*flags.set) {
    print_error(tr("cli.err_config_command"));
    return exit_code::kUsage;
  }
  if (!flags.key || !flags.value) {
    print_error(tr("cli.err_config_set"));
    return exit_code::kUsage;
  }
  return run_config_set(*flags.key, *flags.value, problem);
}

}  // namespace cunbo
