// Text for ImGui fonts of a FontSet: measuring, cutting to a number of characters, and breaking
// into lines the way Chinese and Latin text break. Shared by the stream overlay and the studio
// window. A character the font has no glyph for (emoji, rare symbols) is never shown: FontSet
// makes ImGui draw it as nothing, and these helpers leave it out of the lines they return.
#pragma once

#include <string>
#include <string_view>
#include <vector>

struct ImDrawList;
struct ImFont;

namespace cunbo::ui {

// At most `max_chars` code points of `text` (never cutting one in half).
[[nodiscard]] std::string_view utf8_prefix(std::string_view text, size_t max_chars);

// Width of `text` in `font` at its own size.
[[nodiscard]] float text_width(const ImFont& font, std::string_view text);

// Draws `text` with its top-left corner at (x, y) snapped to whole pixels (the SDL software
// renderer samples the atlas nearest-neighbour: glyphs must land 1:1).
void add_text(ImDrawList& dl, const ImFont& font, float x, float y, unsigned color, std::string_view text);

// Breaks `text` into at most `max_lines` lines no wider than `width` pixels in `font` (at its
// own size): per character around CJK (which has no spaces), at spaces between Latin words,
// never starting a line with closing punctuation. When the text does not fit, the last line
// ends with "…". Control characters become spaces; characters `font` has no glyph for (emoji)
// are left out, and the spaces around them collapse.
[[nodiscard]] std::vector<std::string> wrap_text(const ImFont& font, std::string_view text, float width, int max_lines);

// `text` as one line of at most `width` pixels: wrap_text's first line ("" when nothing of it
// can be shown).
[[nodiscard]] std::string one_line(const ImFont& font, std::string_view text, float width);

}  // namespace cunbo::ui
