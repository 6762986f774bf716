// Reading the config file as TOML, for config.cpp and settings.cpp alike: the parsed file, or
// what is wrong with it as a whole (a syntax error with its line, or a file that cannot be read).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include <toml.hpp>

#include "client/config/config.h"

namespace cunbo {

// toml11's multi-line report on one log line.
[[nodiscard]] inline std::string one_log_line(std::string text) {
  for (char& c : text)
    if (c == '\n') c = ' ';
  return text;
}

// <toml::discard_comments, std::unordered_map> is toml::value; settings.cpp keeps the comments.
template <typename Comment, template <typename...> class Table>
[[nodiscard]] std::variant<toml::basic_value<Comment, Table, std::vector>, ConfigProblem> parse_config_toml(
    const std::filesystem::path& path) {
  try {
    return toml::parse<Comment, Table, std::vector>(path.string());
  } catch (const toml::exception& e) {  // a syntax error: toml11 knows the line
    return ConfigProblem{path, static_cast<int>(e.location().line()), {}, one_log_line(e.what())};
  } catch (const std::exception& e) {  // cannot be opened (a folder, no permission)
    return ConfigProblem{path, 0, {}, one_log_line(e.what())};
  }
}

// Writes `text` as the config file at `path` (private, atomic). `broken`: what was wrong with the
// file there, which is then kept aside whole (its new name goes to `kept_aside` when given). The
// one way config.cpp and settings.cpp reach the disk; logs what it did.
[[nodiscard]] std::optional<ConfigError> write_config_text(const std::filesystem::path& path, const std::string& text,
                                                           std::optional<ConfigProblem> broken,
                                                           std::optional<KeptAside>* kept_aside);

}  // namespace cunbo
