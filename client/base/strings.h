// The one string table for host-facing text (assets/strings.json, compiled in): Simplified
// Chinese first, English second. Language: the config's `language`, else the locale.
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace cunbo {

enum class Language { zh_CN, en };

[[nodiscard]] Language language_from_locale();  // LC_ALL / LC_MESSAGES / LANG: en* → English
void set_language(Language language);
[[nodiscard]] Language current_language();

// The text for `id` in the current language (Chinese if the English is missing; the id itself
// if the id is unknown, so a missing string shows up in review instead of crashing).
[[nodiscard]] const std::string& tr(std::string_view id);

template <typename... Args>
[[nodiscard]] std::string tr(std::string_view id, Args&&... args) {
  return fmt::format(fmt::runtime(tr(id)), std::forward<Args>(args)...);
}

// The text for `id` in a given language, whatever the host's: the overlay speaks to viewers,
// who read Chinese on every platform we push to.
[[nodiscard]] const std::string& tr_in(Language language, std::string_view id);

template <typename... Args>
[[nodiscard]] std::string tr_in(Language language, std::string_view id, Args&&... args) {
  return fmt::format(fmt::runtime(tr_in(language, id)), std::forward<Args>(args)...);
}

}  // namespace cunbo
