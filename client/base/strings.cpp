#include "client/base/strings.h"

#include <atomic>
#include <cstdlib>
#include <map>

#include <nlohmann/json.hpp>

namespace cunbo {

extern const char* const kStringsJson;  // generated from assets/strings.json

namespace {

struct Table {
  std::map<std::string, std::string, std::less<>> zh;
  std::map<std::string, std::string, std::less<>> en;
};

const Table& table() {
  static const Table t = [] {
    Table result;
    const nlohmann::json json = nlohmann::json::parse(kStringsJson);
    for (const auto& [id, texts] : json.items()) {
      if (!texts.is_object()) continue;
      if (texts.contains("zh-CN")) result.zh[id] = texts["zh-CN"].get<std::string>();
      if (texts.contains("en")) result.en[id] = texts["en"].get<std::string>();
    }
    return result;
  }();
  return t;
}

std::atomic<Language> g_language{Language::zh_CN};

}  // namespace

Language language_from_locale() {
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(name);
    if (!value || !*value) continue;
    return std::string_view(value).starts_with("en") ? Language::en : Language::zh_CN;
  }
  return Language::zh_CN;
}

void set_language(Language language) { g_language.store(language); }
Language current_language() { return g_language.load(); }

const std::string& tr(std::string_view id) { return tr_in(g_language.load(), id); }

const std::string& tr_in(Language language, std::string_view id) {
  const Table& t = table();
  if (language == Language::en) {
    if (auto it = t.en.find(id); it != t.en.end()) return it->second;
  }
  if (auto it = t.zh.find(id); it != t.zh.end()) return it->second;
  static thread_local std::string missing;
  missing = std::string(id);
  return missing;
}

}  // namespace cunbo
