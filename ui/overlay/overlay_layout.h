// Where the overlay's parts go at one output size: its fonts (sized by the height of their
// capitals as a share of the frame height, so that viewers on a phone can read every text at
// 480p as well as at 1080p), the card's geometry, and the product card laid out as a list of
// shapes in drawing order. The scene draws that list and answers layout queries from it, so
// what is drawn and what is reported never diverge.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "client/platform/platform_feed.h"
#include "ui/overlay/font_set.h"
#include "ui/overlay/overlay_rasterizer.h"

struct ImFont;

namespace cunbo::ui {

using Rect = OverlayRect;

// The overlay's fonts, in FontSet order (overlay_font_specs()).
enum OverlayFont : size_t {
  kSmall = 0,  // tags, the stock note, the original price, the 讲解中 badge
  kTitle = 1,  // the title, the banner, the shop name, 已售罄
  kPrice = 2,  // the price (digits and ¥ only)
  kSlate = 3,  // the lost camera's slate (摄像头暂时断开 only)
};

// Capital-letter height of each font as a share of the frame height. The smallest text is
// above 1.5 % (what stays readable on a phone at 480p) with a margin for rounding.
inline constexpr float kSmallCapShare = 0.0165f;
inline constexpr float kTitleCapShare = 0.019f;
inline constexpr float kPriceCapShare = 0.024f;
// The slate is the whole picture while the camera is away: its words read across a room.
inline constexpr float kSlateCapShare = 0.05f;

[[nodiscard]] std::vector<FontSpec> overlay_font_specs(int frame_height);

// What a piece of text on the overlay is.
enum class OverlayText { watermark, title, tag, price, original_price, stock, badge, sold_out, banner };

// A text as drawn: its line box is (x, y) to (x + width, y + the font's size).
struct OverlayTextBox {
  OverlayText kind;
  std::string text;
  Rect box;
};

// Pixel metrics at one output size (designed at 720p, scaled with the height; the rows of the
// card follow the sizes of its fonts).
struct OverlayMetrics {
  int unit, margin, pad, radius, gap, shadow;
  int panel_w, panel_h, image;       // the card's panel and its square picture
  int column_w;                      // the text column beside the picture
  int line_h, tag_h, tag_pad, tag_gap;
  int banner_h, banner_gap, banner_max_w;
  int plate_h, plate_pad;            // the shop name's backing plate
};

// `fonts` built from overlay_font_specs(height) (their sizes are read from it).
[[nodiscard]] OverlayMetrics overlay_metrics(int width, int height, const FontSet& fonts);

// Only what can show is looked at: a tag of 10 000 characters costs no more than a short one.
inline constexpr size_t kMaxTagChars = 24;
inline constexpr size_t kMaxTags = 3;

// One shape of the card, in drawing order: a filled (rounded) rectangle or a line of text.
struct CardShape {
  enum class Kind { fill, text } kind = Kind::fill;
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // fill: the rectangle; text: the line box
  unsigned color = 0;                    // ImU32
  float rounding = 0;
  int corners = 0;  // ImDrawFlags_RoundCorners*; 0: all
  // Text only.
  OverlayText text_kind = OverlayText::title;
  OverlayFont font = kSmall;
  std::string text;
};

// Everything on the card's panel after its chrome and picture: over the picture the sold-out
// veil and the 讲解中 badge; in the text column (drawn clipped to `column`) the title lines,
// the tags and the price row.
struct CardLayout {
  std::vector<CardShape> on_picture;
  std::vector<CardShape> in_column;
  Rect column;
};

// `fonts[i]` is the font of OverlayFont i; `title_lines` as wrap_text gave them for the column
// (OverlayMetrics::column_w).
[[nodiscard]] CardLayout layout_card(const Product& product, const std::vector<std::string>& title_lines,
                                     const OverlayMetrics& m, const ImFont* const fonts[3], const Rect& panel);

}  // namespace cunbo::ui
