#include "ui/overlay/overlay_text.h"

#include <algorithm>
#include <cmath>

#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8

namespace cunbo::ui {

namespace {

constexpr const char* kEllipsis = "\u2026";

bool is_cjk(unsigned c) { return c >= 0x2E80; }
bool is_space(unsigned c) { return c == ' '; }
// No line starts with these (Chinese and Latin closing punctuation).
bool is_closing(unsigned c) {
  static constexpr std::u16string_view kClosing = u"，。、；：！？）】》」』”’…,.;:!?)]}%";
  return kClosing.find(static_cast<char16_t>(c)) != std::u16string_view::npos;
}
bool is_opening(unsigned c) {
  static constexpr std::u16string_view kOpening = u"（【《「『“‘([{¥$";
  return kOpening.find(static_cast<char16_t>(c)) != std::u16string_view::npos;
}
// May a line break between a and b?
bool can_break(unsigned a, unsigned b) {
  if (is_closing(b) || is_opening(a)) return false;
  return is_space(a) || is_space(b) || is_cjk(a) || is_cjk(b);
}

void append_utf8(std::string& out, unsigned c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

}  // namespace

std::string_view utf8_prefix(std::string_view text, size_t max_chars) {
  const char* p = text.data();
  const char* const end = p + text.size();
  for (size_t n = 0; p < end && n < max_chars; ++n) {
    unsigned int c = 0;
    const int length = ImTextCharFromUtf8(&c, p, end);
    if (length <= 0) break;
    p += length;
  }
  return text.substr(0, static_cast<size_t>(p - text.data()));
}

float text_width(const ImFont& font, std::string_view text) {
  return font.CalcTextSizeA(font.FontSize, 1e9f, 0.0f, text.data(), text.data() + text.size()).x;
}

void add_text(ImDrawList& dl, const ImFont& font, float x, float y, unsigned color, std::string_view text) {
  dl.AddText(&font, font.FontSize, ImVec2(std::floor(x), std::floor(y)), color, text.data(), text.data() + text.size());
}

std::vector<std::string> wrap_text(const ImFont& font, std::string_view text, float width, int max_lines) {
  struct Char {
    unsigned c;
    float advance;
  };
  std::vector<Char> chars;
  const char* p = text.data();
  const char* const end = p + text.size();
  // More than this many characters never fit on max_lines lines of a sane width; stop early.
  const size_t cap = static_cast<size_t>(std::max(max_lines, 1)) * 400;
  while (p < end && chars.size() < cap) {
    unsigned int c = 0;
    const int length = ImTextCharFromUtf8(&c, p, end);
    if (length <= 0) break;
    p += length;
    if (c < 0x20 || c == 0x7F) c = ' ';
    // Characters the atlas lacks (emoji, which ImGui decodes to U+FFFD, variation selectors,
    // anything the font has no glyph for) are left out, and the spaces around them collapse.
    if (c != ' ' && (c == IM_UNICODE_CODEPOINT_INVALID || !font.FindGlyphNoFallback(static_cast<ImWchar>(c)))) continue;
    if (c == ' ' && !chars.empty() && chars.back().c == ' ') continue;
    chars.push_back({c, font.GetCharAdvance(static_cast<ImWchar>(c))});
  }
  const bool more_than_cap = p < end;

  std::vector<std::string> lines;
  size_t i = 0;
  const size_t n = chars.size();
  auto skip_spaces = [&] {
    while (i < n && is_space(chars[i].c)) ++i;
  };
  skip_spaces();
  while (i < n && static_cast<int>(lines.size()) < max_lines) {
    const bool last_line = static_cast<int>(lines.size()) + 1 == max_lines;
    float x = 0;
    size_t j = i;
    size_t breakpoint = 0;  // index the next line would start at; 0: none found
    while (j < n && x + chars[j].advance <= width) {
      x += chars[j].advance;
      ++j;
      if (j < n && can_break(chars[j - 1].c, chars[j].c)) breakpoint = j;
    }
    size_t stop = j;
    if (j < n && !last_line && breakpoint > i) stop = breakpoint;  // keep Latin words whole
    if (stop == i) stop = i + 1;  // a glyph wider than the line still goes somewhere
    std::string line;
    size_t trimmed = stop;
    while (trimmed > i && is_space(chars[trimmed - 1].c)) --trimmed;
    for (size_t k = i; k < trimmed; ++k) append_utf8(line, chars[k].c);
    lines.push_back(std::move(line));
    i = stop;
    skip_spaces();
  }
  if ((i < n || more_than_cap) && !lines.empty()) {
    // Cut the last line so that it and the ellipsis fit.
    std::string& line = lines.back();
    const float ellipsis = text_width(font, kEllipsis);
    std::vector<unsigned> cps;
    for (const char* q = line.data(); q < line.data() + line.size();) {
      unsigned int c = 0;
      const int length = ImTextCharFromUtf8(&c, q, line.data() + line.size());
      if (length <= 0) break;
      q += length;
      cps.push_back(c);
    }
    float w = 0;
    for (unsigned c : cps) w += font.GetCharAdvance(static_cast<ImWchar>(c));
    while (!cps.empty() && (w + ellipsis > width || is_space(cps.back()))) {
      w -= font.GetCharAdvance(static_cast<ImWchar>(cps.back()));
      cps.pop_back();
    }
    line.clear();
    for (unsigned c : cps) append_utf8(line, c);
    line += kEllipsis;
  }
  return lines;
}

std::string one_line(const ImFont& font, std::string_view text, float width) {
  std::vector<std::string> lines = wrap_text(font, text, width, 1);
  return lines.empty() ? std::string() : std::move(lines.front());
}

}  // namespace cunbo::ui
