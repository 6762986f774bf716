// What the studio window's panels share: the fixed-layout panel base (a Panel drawn as a
// title-less window at a rectangle the window's layout gives it: the host cannot move, fold or
// close a panel by accident), the font roles, the colours, and small widgets that note every
// text's glyphs in the font set before drawing it (the atlas holds only the glyphs in use:
// ui/font_set.h). UI thread only; every call here runs inside the window's ImGuiContextGuard.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "ui/overlay/font_set.h"
#include "ui/window/panel.h"

struct SDL_Renderer;

namespace cunbo {
class Studio;
struct StudioSnapshot;
}  // namespace cunbo

namespace cunbo::ui {

// The fonts of the window's FontSet, in this order (studio_font_specs()), at `scale` times
// their size at 100 % (ui/window/window_fit.h).
enum class FontRole : size_t { body, bold, heading, big, small, price, price_big };
[[nodiscard]] std::vector<FontSpec> studio_font_specs(float scale = 1);

// A piece of text the frame drew, where, in which colour: what `--screenshot` writes beside
// the picture (<png>.txt), so that a test reads the window's words, not only its pixels.
struct DrawnText {
  float x = 0, y = 0, w = 0, h = 0;
  ImU32 color = 0;
  std::string text;
};

// What a panel draws from in one UI frame; valid only while the frame is drawn.
struct UiFrame {
  Studio& studio;
  const StudioSnapshot& snapshot;
  FontSet& fonts;
  SDL_Renderer* renderer;
  float scale = 1;  // the UI scale: every size in a panel is given at 100 % and goes through px()
  std::vector<DrawnText>* drawn = nullptr;  // when set (a screenshot frame), every text drawn is added

  // `pixels` at 100 %, at this frame's scale, to whole pixels (1-pixel lines stay crisp).
  [[nodiscard]] float px(float pixels) const { return std::round(pixels * scale); }
};

struct PanelRect {
  float x = 0, y = 0, w = 0, h = 0;
};

class StudioPanel : public Panel {
 public:
  using Panel::Panel;
  // Draws the panel as a fixed window at `rect` (Begin/End around draw_content()).
  void draw_at(const UiFrame& frame, const PanelRect& rect);
  // Draws the content into whatever window is current (for panels that are only a modal).
  void draw_unframed(const UiFrame& frame);

 protected:
  [[nodiscard]] const UiFrame& frame() const { return *frame_; }
  // Padding inside the panel's window at 100 %; the preview uses none.
  [[nodiscard]] virtual ImVec2 padding() const { return {14, 10}; }

 private:
  const UiFrame* frame_ = nullptr;  // set for the duration of draw_at()
};

// The palette: calm light surfaces, one strong colour per meaning.
namespace colors {
inline constexpr ImU32 kBackground = IM_COL32(0xEC, 0xEE, 0xF1, 0xFF);
inline constexpr ImU32 kPanel = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
inline constexpr ImU32 kText = IM_COL32(0x1F, 0x23, 0x28, 0xFF);
inline constexpr ImU32 kMuted = IM_COL32(0x6B, 0x72, 0x80, 0xFF);
inline constexpr ImU32 kBorder = IM_COL32(0xDA, 0xDD, 0xE2, 0xFF);
inline constexpr ImU32 kLive = IM_COL32(0xE0, 0x36, 0x3A, 0xFF);        // live, go-live, prices
inline constexpr ImU32 kLiveHover = IM_COL32(0xEF, 0x4C, 0x50, 0xFF);
inline constexpr ImU32 kLiveActive = IM_COL32(0xC4, 0x2A, 0x2E, 0xFF);
inline constexpr ImU32 kGood = IM_COL32(0x16, 0xA3, 0x4A, 0xFF);
inline constexpr ImU32 kWarn = IM_COL32(0xD9, 0x77, 0x06, 0xFF);
inline constexpr ImU32 kBad = IM_COL32(0xDC, 0x26, 0x26, 0xFF);
inline constexpr ImU32 kPractice = IM_COL32(0x25, 0x63, 0xEB, 0xFF);
inline constexpr ImU32 kHighlight = IM_COL32(0xFF, 0xF1, 0xE6, 0xFF);  // the presented product
inline constexpr ImU32 kSoft = IM_COL32(0xF5, 0xF6, 0xF8, 0xFF);       // quiet boxes, rows
}  // namespace colors

// The window's look (light, large touch targets) at `scale`; call once after creating the context.
void apply_studio_style(ImGuiStyle& style, float scale = 1);

// The font for a role (null before the first atlas build: ImGui then uses its default).
[[nodiscard]] ImFont* font(const UiFrame& frame, FontRole role);

// Pushes `role`'s font for the lifetime of the object.
class FontScope {
 public:
  FontScope(const UiFrame& frame, FontRole role);
  ~FontScope();
  FontScope(const FontScope&) = delete;
  FontScope& operator=(const FontScope&) = delete;

 private:
  bool pushed_ = false;
};

// Text widgets that note `text`'s glyphs first. `text` need not be NUL-terminated.
void text(const UiFrame& frame, std::string_view text, FontRole role = FontRole::body, ImU32 color = colors::kText);
// Wrapped at the content region's right edge, or `wrap_width` pixels from the cursor when > 0.
void text_wrapped(const UiFrame& frame, std::string_view text, FontRole role = FontRole::body,
                  ImU32 color = colors::kText, float wrap_width = 0);
// Draws `text` at an absolute screen position on the current window's draw list.
void text_at(const UiFrame& frame, ImVec2 pos, std::string_view text, FontRole role = FontRole::body,
             ImU32 color = colors::kText);
[[nodiscard]] ImVec2 text_size(const UiFrame& frame, std::string_view text, FontRole role);

// A button (label may carry an ImGui "##id" suffix). `fill` 0: the style's colours.
bool button(const UiFrame& frame, std::string_view label, ImVec2 size = {0, 0}, FontRole role = FontRole::body,
            ImU32 fill = 0, ImU32 text_color = colors::kText);
bool checkbox(const UiFrame& frame, std::string_view label, bool* value);
// A crisp 1-pixel border around the current window (panels, sheets, dialogs).
void window_border(ImU32 color);
// A 1-pixel horizontal rule across the content region (drawn as a rectangle: the software
// renderer draws thin anti-aliased lines unevenly).
void separator();
// An axis-aligned 1-pixel line on the current window's draw list.
void hline(float x0, float x1, float y, ImU32 color);
void vline(float x, float y0, float y1, ImU32 color);
// A small rounded tag ("离线列表", "F3") at the cursor; stays on the same line.
void badge(const UiFrame& frame, std::string_view text, ImU32 fill, ImU32 text_color);
// A tooltip with these lines when the last item is hovered.
void tooltip(const UiFrame& frame, const std::vector<std::string>& lines);

// 3990 → "¥39.90".
[[nodiscard]] std::string yuan(int64_t cents);
// 3725 s → "1:02:05", 65 s → "01:05".
[[nodiscard]] std::string clock_text(double seconds);
// `text` cut to at most `max_width` pixels in `role`'s font, ending in "…" when cut.
[[nodiscard]] std::string ellipsize(const UiFrame& frame, std::string_view text, float max_width, FontRole role);

}  // namespace cunbo::ui
