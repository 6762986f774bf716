#include "client/cli/command_line.h"

#include <cstdint>
#include <memory>
#include <vector>

#include "client/base/console.h"
#include "client/base/exit_codes.h"

namespace cunbo {

namespace {

constexpr size_t kDescriptionColumn = 32;

// Whether a terminal gives the code point two columns (East Asian wide and full-width forms).
bool is_wide(uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

// The columns `text` (UTF-8) takes on a terminal.
size_t display_width(std::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    uint32_t cp = length == 1 ? lead : lead & (0xFF >> (length + 1));
    for (size_t k = 1; k < length && i + k < text.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    width += is_wide(cp) ? 2 : 1;
    i += length;
  }
  return width;
}

// "  --duration 秒数" and the description from the same column; a name too long for the column
// gets a line of its own.
std::string aligned_line(const std::string& name, const std::string& description) {
  const std::string start = "  " + name;
  const size_t width = display_width(start);
  if (description.empty()) return start + "\n";
  if (width + 2 > kDescriptionColumn) return start + "\n" + std::string(kDescriptionColumn, ' ') + description + "\n";
  return start + std::string(kDescriptionColumn - width, ' ') + description + "\n";
}

// Options in the "" group are test hooks: never in the help.
bool shown(const CLI::Option* opt) { return !opt->get_group().empty(); }

std::vector<const CLI::App*> named_subcommands(const CLI::App* app) {
  return app->get_subcommands([](const CLI::App* sub) { return !sub->get_name().empty() && !sub->get_disabled(); });
}

// The deepest command that was typed ("cunbo config set" → set).
const CLI::App& typed_command(const CLI::App& app) {
  const CLI::App* cmd = &app;
  while (!cmd->get_subcommands().empty()) cmd = cmd->get_subcommands().front();
  return *cmd;
}

void collect_options(const CLI::App* app, std::vector<const CLI::Option*>& out) {
  for (const CLI::Option* opt : app->get_options()) out.push_back(opt);
  for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; })) collect_options(sub, out);
}

// "--present", also for a hidden option (CLI11's get_name() is empty for those).
std::string name_of(const CLI::Option* opt) {
  if (!opt->get_lnames().empty()) return "--" + opt->get_lnames().front();
  if (!opt->get_snames().empty()) return "-" + opt->get_snames().front();
  return {};
}

bool takes_no_value(const CLI::Option* opt) { return opt->get_expected_max() == 0; }

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// The option a CLI11 refusal is about: the longest of our option names that its text mentions
// as a whole word. The text itself is never shown.
const CLI::Option* option_mentioned(const CLI::App& app, std::string_view text) {
  std::vector<const CLI::Option*> options;
  collect_options(&app, options);
  const CLI::Option* best = nullptr;
  for (const CLI::Option* opt : options) {
    const std::string name = name_of(opt);
    if (name.empty() || (best && name.size() <= name_of(best).size())) continue;
    for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
      const size_t end = at + name.size();
      if ((at == 0 || !is_name_char(text[at - 1])) && (end == text.size() || !is_name_char(text[end]))) {
        best = opt;
        break;
      }
    }
  }
  return best;
}

// What CLI11 refused, in the host's words.
std::string refusal_text(const CLI::App& app, const CLI::ParseError& error) {
  const std::string path = command_path(app);
  const CLI::Option* opt = option_mentioned(app, error.what());
  if (!opt) return tr("cli.err_command_line", path);
  if (takes_no_value(opt)) return tr("cli.err_flag_value", name_of(opt));
  if (error.get_name() == "ArgumentMismatch") return tr("cli.err_needs_value", name_of(opt), path);
  return tr("cli.err_bad_value", name_of(opt), path);
}

// What was left over (allow_extras keeps it), in the host's words; nullopt when nothing was.
std::optional<std::string> leftover_text(const CLI::App& app) {
  const std::vector<std::string> left = app.remaining(true);
  if (left.empty()) return std::nullopt;
  const CLI::App& cmd = typed_command(app);
  std::string word = left.front();
  if (word.starts_with("-")) return tr("cli.err_unknown_option", word.substr(0, word.find('=')), command_path(app));
  const std::vector<const CLI::App*> commands = named_subcommands(&cmd);
  if (commands.empty()) return tr("cli.err_unexpected_word", word, command_path(app));
  std::string names;
  for (const CLI::App* sub : commands) names += (names.empty() ? "" : tr("cli.list_separator")) + sub->get_name();
  return tr("cli.err_unknown_command", word, names);
}

}  // namespace

// ---- Help -----------------------------------------------------------------------------------

std::string HostFormatter::make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const {
  std::string out = make_description(app) + make_usage(app, std::move(name)) + make_positionals(app);
  const auto options = app->get_options([](const CLI::Option* o) { return o->nonpositional() && shown(o); });
  if (!options.empty()) out += make_group({}, false, options);
  return out + make_subcommands(app, mode);
}

std::string HostFormatter::make_description(const CLI::App* app) const {
  const std::string& description = app->get_description();
  return description.empty() ? std::string() : description + "\n";
}

std::string HostFormatter::make_usage(const CLI::App* app, std::string name) const {
  std::string usage = std::move(name);
  if (!app->get_options([](const CLI::Option* o) { return o->nonpositional() && shown(o); }).empty())
    usage += " " + tr("cli.help_options_badge");
  for (const CLI::Option* p : app->get_options([](const CLI::Option* o) { return o->get_positional() && shown(o); }))
    usage += " " + make_option_usage(p);
  if (!named_subcommands(app).empty()) usage += " " + tr("cli.help_command_badge");
  return tr("cli.help_usage", usage) + "\n";
}

std::string HostFormatter::make_positionals(const CLI::App* app) const {
  const auto positionals = app->get_options([](const CLI::Option* o) { return o->get_positional() && shown(o); });
  return positionals.empty() ? std::string() : make_group({}, true, positionals);
}

std::string HostFormatter::make_group(std::string, bool is_positional, std::vector<const CLI::Option*> opts) const {
  std::string out = "\n" + tr(is_positional ? "cli.help_arguments" : "cli.help_options") + "\n";
  for (const CLI::Option* opt : opts) out += make_option(opt, is_positional);
  return out;
}

std::string HostFormatter::make_subcommands(const CLI::App* app, CLI::AppFormatMode) const {
  const std::vector<const CLI::App*> commands = named_subcommands(app);
  if (commands.empty()) return {};
  std::string out = "\n" + tr("cli.help_commands") + "\n";
  for (const CLI::App* sub : commands) out += make_subcommand(sub);
  if (!app->get_parent()) out += "\n" + tr("cli.help_footer") + "\n";
  return out;
}

std::string HostFormatter::make_subcommand(const CLI::App* sub) const {
  return aligned_line(sub->get_name(), sub->get_description());
}

std::string HostFormatter::make_option(const CLI::Option* opt, bool is_positional) const {
  return aligned_line(make_option_name(opt, is_positional) + make_option_opts(opt), opt->get_description());
}

std::string HostFormatter::make_option_name(const CLI::Option* opt, bool is_positional) const {
  // A positional is shown by its placeholder ("项", "KEY"), not by the name the code uses.
  if (is_positional) return opt->get_type_name().empty() ? opt->get_name() : opt->get_type_name();
  return opt->get_name(false, true);
}

std::string HostFormatter::make_option_opts(const CLI::Option* opt) const {
  if (opt->get_positional() || takes_no_value(opt) || opt->get_type_name().empty()) return {};
  return " " + opt->get_type_name();
}

std::string HostFormatter::make_option_usage(const CLI::Option* opt) const { return make_option_name(opt, true); }

// ---- Language -------------------------------------------------------------------------------

Language host_language(int argc, char** argv, const Config& config) {
  std::optional<Language> asked;  // the last valid --lang, as CLI11 takes the last value
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    std::string_view value;
    if (arg == "--lang" && i + 1 < argc) value = argv[i + 1];
    else if (arg.starts_with("--lang=")) value = arg.substr(7);
    if (value == "en") asked = Language::en;
    if (value == "zh-CN") asked = Language::zh_CN;
  }
  if (asked) return *asked;
  if (config.language) return *config.language == "en" ? Language::en : Language::zh_CN;
  return language_from_locale();
}

void use_host_words(CLI::App& app, const std::string& version) {
  app.formatter(std::make_shared<HostFormatter>());
  app.set_help_flag("-h,--help", tr("cli.opt_help"));  // sub-commands copy it when added
  app.set_version_flag("--version", version, tr("cli.opt_version"));
  app.allow_extras();  // inherited: unknown words are named by parse_command_line
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

void add_lang_option(CLI::App* cmd, std::optional<std::string>& lang) {
  cmd->add_option("--lang", lang, tr("cli.opt_lang"))->type_name("zh-CN|en");
}

std::optional<std::string> check_lang_option(const std::optional<std::string>& lang) {
  if (lang && *lang != "zh-CN" && *lang != "en") return tr("err.bad_language", *lang);
  return std::nullopt;
}

// ---- Parsing --------------------------------------------------------------------------------

std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help (on stdout), --version
  } catch (const CLI::ParseError& e) {
    print_error(refusal_text(app, e));
    return exit_code::kUsage;
  }
  if (auto text = leftover_text(app)) {
    print_error(*text);
    return exit_code::kUsage;
  }
  return std::nullopt;
}

std::string command_path(const CLI::App& app) {
  std::string path = app.get_name();
  for (const CLI::App* cmd = &app; !cmd->get_subcommands().empty();) {
    cmd = cmd->get_subcommands().front();
    path += " " + cmd->get_name();
  }
  return path;
}

}  // namespace cunbo
