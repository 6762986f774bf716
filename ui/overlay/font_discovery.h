// Where this system keeps a font with Simplified Chinese glyphs.
//   Linux: fontconfig's best match for "Noto Sans CJK SC" (lang zh-cn).
//   Windows: Microsoft YaHei (msyh.ttc), else DengXian (Deng.ttf), from the system's Fonts
//            folder; else the Noto Sans CJK SC subset the installer puts in the assets.
#pragma once

#include <optional>
#include <string>

namespace cunbo::ui {

struct FontLocation {
  std::string path;  // UTF-8
  int index = 0;     // face in a .ttc collection
};

// nullopt when the system has none. Not cached: callers keep the answer.
[[nodiscard]] std::optional<FontLocation> system_cjk_font(bool bold);

}  // namespace cunbo::ui
