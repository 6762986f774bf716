// The command line in the host's words. CLI11 parses; every text a host reads comes from the
// string table: the help screens (HostFormatter), and the refusals — CLI11's own checks
// (validators, required, excludes) are not used on anything a host types, so that the commands
// check their values themselves and name them, and what CLI11 still refuses (a value missing, a
// flag given one, an unknown word) is said here in one line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "client/base/strings.h"
#include "client/config/config.h"

namespace cunbo {

// Help in the host's language: "用法：cunbo practice [选项]", the options with their placeholders
// and descriptions aligned by display width (a Chinese character takes two columns), nothing of
// CLI11's own ("Usage", "REQUIRED", "Excludes", validator names).
class HostFormatter : public CLI::Formatter {
 public:
  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override;
  std::string make_description(const CLI::App* app) const override;
  std::string make_usage(const CLI::App* app, std::string name) const override;
  std::string make_positionals(const CLI::App* app) const override;
  // Every option shown is in CLI11's one default group (hidden ones are in ""), so the group's
  // name is not shown: ours is.
  std::string make_group(std::string group, bool is_positional, std::vector<const CLI::Option*> opts) const override;
  std::string make_subcommands(const CLI::App* app, CLI::AppFormatMode mode) const override;
  std::string make_subcommand(const CLI::App* sub) const override;
  std::string make_option(const CLI::Option* opt, bool is_positional) const override;
  std::string make_option_name(const CLI::Option* opt, bool is_positional) const override;
  std::string make_option_opts(const CLI::Option* opt) const override;
  std::string make_option_usage(const CLI::Option* opt) const override;
};

// The language of everything printed: --lang anywhere on the command line (looked for before
// the command line is built, since the help is written in it), else the config's `language`,
// else the locale. An unknown --lang value is refused later (check_lang_option).
[[nodiscard]] Language host_language(int argc, char** argv, const Config& config);

// Before any option or sub-command is added: the host's formatter, help and version texts,
// unknown words kept for parse_command_line to name, a repeated option's last value taken.
void use_host_words(CLI::App& app, const std::string& version);
// --lang zh-CN|en on a sub-command, bound to `lang` (every command shares one).
void add_lang_option(CLI::App* cmd, std::optional<std::string>& lang);
// Nullopt when `lang` is unset or valid; else the host's message.
[[nodiscard]] std::optional<std::string> check_lang_option(const std::optional<std::string>& lang);

// Parses argv. Returns the exit status when the command line is already answered (--help,
// --version: printed, 0) or refused (one line printed in the host's words, exit_code::kUsage);
// nullopt when a command should run.
[[nodiscard]] std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv);

// "cunbo practice": the command the host typed, for "see cunbo practice --help".
[[nodiscard]] std::string command_path(const CLI::App& app);

}  // namespace cunbo
