#include "ui/overlay/font_discovery.h"

#include <cstdlib>
#include <filesystem>
#include <initializer_list>

#ifdef _WIN32
#include "client/base/assets.h"
#include "client/base/paths.h"
#include "media/utf8_path.h"
#else
#include <fontconfig/fontconfig.h>
#endif

namespace cunbo::ui {

#ifdef _WIN32

std::optional<FontLocation> system_cjk_font(bool bold) {
  struct Candidate {
    std::filesystem::path path;
    int index;
  };
  const std::filesystem::path fonts = system_fonts_dir();
  const std::filesystem::path assets = assets_dir();
  std::initializer_list<Candidate> candidates = {
      {fonts / (bold ? "msyhbd.ttc" : "msyh.ttc"), 0},  // 微软雅黑 (Windows 8 and later: a collection)
      {fonts / (bold ? "msyhbd.ttf" : "msyh.ttf"), 0},  // 微软雅黑 on Windows 7
      {fonts / (bold ? "Dengb.ttf" : "Deng.ttf"), 0},   // 等线
      {assets / "fonts" / "NotoSansCJKsc-subset.otf", 0},
  };
  for (const Candidate& c : candidates) {
    std::error_code ec;
    if (!c.path.empty() && std::filesystem::is_regular_file(c.path, ec)) return FontLocation{path_utf8(c.path), c.index};
  }
  return std::nullopt;
}

#else

std::optional<FontLocation> system_cjk_font(bool bold) {
  static const bool finish_at_exit = [] {
    // fontconfig keeps its default configuration until FcFini(); nothing else here uses it
    // after these lookups, so release it at exit (LeakSanitizer reports it otherwise).
    std::atexit([] { FcFini(); });
    return true;
  }();
  (void)finish_at_exit;
  FcPattern* pattern = FcPatternCreate();
  if (!pattern) return std::nullopt;
  FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>("Noto Sans CJK SC"));
  FcLangSet* langs = FcLangSetCreate();
  FcLangSetAdd(langs, reinterpret_cast<const FcChar8*>("zh-cn"));
  FcPatternAddLangSet(pattern, FC_LANG, langs);
  FcLangSetDestroy(langs);
  FcPatternAddInteger(pattern, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
  FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
  FcDefaultSubstitute(pattern);
  FcResult result = FcResultNoMatch;
  FcPattern* match = FcFontMatch(nullptr, pattern, &result);
  FcPatternDestroy(pattern);
  if (!match) return std::nullopt;
  std::optional<FontLocation> location;
  FcChar8* file = nullptr;
  int index = 0;
  if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch && file) {
    if (FcPatternGetInteger(match, FC_INDEX, 0, &index) != FcResultMatch) index = 0;
    location = FontLocation{reinterpret_cast<const char*>(file), index};
  }
  FcPatternDestroy(match);
  return location;
}

#endif

}  // namespace cunbo::ui
