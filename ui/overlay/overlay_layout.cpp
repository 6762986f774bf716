#include "ui/overlay/overlay_layout.h"

#include <algorithm>
#include <cmath>

#include <imgui.h>

#include "client/base/money.h"
#include "client/base/strings.h"
#include "ui/overlay/overlay_palette.h"
#include "ui/overlay/overlay_text.h"

namespace cunbo::ui {

namespace {

constexpr int64_t kLowStock = 20;

int px(float design, float scale, int at_least = 1) {
  return std::max(at_least, static_cast<int>(std::lround(design * scale)));
}

// Collects the card's shapes in drawing order.
class Shapes {
 public:
  void fill(float x0, float y0, float x1, float y1, ImU32 color, float rounding = 0, int corners = 0) {
    CardShape s;
    s.kind = CardShape::Kind::fill;
    s.x0 = std::floor(x0);
    s.y0 = std::floor(y0);
    s.x1 = std::floor(x1);
    s.y1 = std::floor(y1);
    s.color = color;
    s.rounding = rounding;
    s.corners = corners;
    list.push_back(std::move(s));
  }
  void text(OverlayText kind, OverlayFont font, const ImFont& f, float x, float y, ImU32 color, std::string text) {
    CardShape s;
    s.kind = CardShape::Kind::text;
    s.x0 = std::floor(x);
    s.y0 = std::floor(y);
    s.x1 = s.x0 + std::ceil(text_width(f, text));
    s.y1 = s.y0 + f.FontSize;
    s.color = color;
    s.text_kind = kind;
    s.font = font;
    s.text = std::move(text);
    list.push_back(std::move(s));
  }
  std::vector<CardShape> list;
};

}  // namespace

std::vector<FontSpec> overlay_font_specs(int frame_height) {
  const auto h = static_cast<float>(frame_height);
  FontSpec small{0, false, false, kSmallCapShare * h};
  FontSpec title{0, true, false, kTitleCapShare * h};
  FontSpec price{0, true, true, kPriceCapShare * h};
  // The slate's words only, in the viewers' language (Simplified Chinese).
  FontSpec slate{0, true, false, kSlateCapShare * h, tr_in(Language::zh_CN, "overlay.camera_lost")};
  return {small, title, price, slate};
}

OverlayMetrics overlay_metrics(int width, int height, const FontSet& fonts) {
  const float s = static_cast<float>(height) / 720.0f;
  const int small = static_cast<int>(fonts.spec(kSmall).pixels);
  const int title = static_cast<int>(fonts.spec(kTitle).pixels);
  const int price = static_cast<int>(fonts.spec(kPrice).pixels);
  OverlayMetrics m{};
  m.unit = px(1, s);
  m.margin = px(24, s);
  m.pad = px(14, s);
  m.radius = px(14, s);
  m.gap = px(14, s);
  m.shadow = px(10, s);
  m.line_h = title + px(4, s);
  m.tag_h = small + px(8, s);
  m.tag_pad = px(8, s);
  m.tag_gap = px(6, s);
  // Two title lines, the tag row and the price row (whose capitals sit in the lower three
  // quarters of its line), whatever rounding did to the fonts.
  const int rows = m.pad + 2 * m.line_h + m.unit * 4 + m.tag_h + px(6, s) + price * 3 / 4 + m.pad;
  m.panel_h = std::max(px(164, s), rows);
  m.panel_w = std::min(px(470, s), width - 2 * m.margin);
  m.image = m.panel_h - 2 * m.pad;
  m.column_w = m.panel_w - 2 * m.pad - m.image - m.gap;
  m.banner_h = title + 2 * px(8, s);
  m.banner_gap = px(12, s);
  m.banner_max_w = std::min(width - 2 * m.margin, px(640, s));
  m.plate_h = title + 2 * px(5, s);
  m.plate_pad = m.plate_h / 2;
  return m;
}

CardLayout layout_card(const Product& product, const std::vector<std::string>& title_lines, const OverlayMetrics& m,
                       const ImFont* const fonts[3], const Rect& panel) {
  const ImFont& small = *fonts[kSmall];
  const ImFont& title = *fonts[kTitle];
  const ImFont& price = *fonts[kPrice];
  Shapes shapes;

  const auto ix = static_cast<float>(panel.x + m.pad);
  const auto iy = static_cast<float>(panel.y + m.pad);
  const auto box = static_cast<float>(m.image);
  const bool sold_out = product.stock && *product.stock <= 0;
  if (sold_out) {
    shapes.fill(ix, iy, ix + box, iy + box, palette::kSoldOutVeil);
    const std::string& text = tr_in(Language::zh_CN, "overlay.sold_out");
    const float tw = text_width(title, text);
    const float pw = tw + static_cast<float>(2 * m.tag_pad);
    const float ph = title.FontSize + static_cast<float>(m.unit * 10);
    const float cx = ix + box / 2.0f;
    const float cy = iy + box / 2.0f;
    shapes.fill(cx - pw / 2, cy - ph / 2, cx + pw / 2, cy + ph / 2, palette::kSoldOutPill, ph / 2);
    shapes.text(OverlayText::sold_out, kTitle, title, cx - tw / 2, cy - title.FontSize / 2, palette::kWhite, text);
  }

  // "讲解中" badge over the picture's top-left corner, with a little equaliser icon.
  {
    const std::string& text = tr_in(Language::zh_CN, "overlay.presenting");
    const auto bh = static_cast<float>(m.tag_h);
    const int bar = std::max(2, m.unit * 2);
    const int icon_w = bar * 5;
    const float text_x = ix + static_cast<float>(m.tag_pad + icon_w + m.unit * 4);
    const float bw = text_x - ix + std::ceil(text_width(small, text)) + static_cast<float>(m.tag_pad);
    shapes.fill(ix, iy, ix + bw, iy + bh, palette::kBadge, static_cast<float>(m.radius - m.pad / 2),
                ImDrawFlags_RoundCornersTopLeft | ImDrawFlags_RoundCornersBottomRight);
    const float base = iy + bh - std::floor(bh / 4);
    const float heights[3] = {std::floor(bh / 3), std::floor(bh / 2), std::floor(bh / 4) + static_cast<float>(m.unit)};
    for (int k = 0; k < 3; ++k) {
      const float bx = ix + static_cast<float>(m.tag_pad + k * bar * 2);
      shapes.fill(bx, base - heights[k], bx + static_cast<float>(bar), base, palette::kWhite);
    }
    shapes.text(OverlayText::badge, kSmall, small, text_x, iy + (bh - small.FontSize) / 2.0f, palette::kWhite, text);
  }

  CardLayout layout;
  layout.on_picture = std::move(shapes.list);
  shapes.list.clear();

  // The text column.
  layout.column = {panel.x + m.pad + m.image + m.gap, panel.y, m.column_w, panel.h};
  const auto cx0 = static_cast<float>(layout.column.x);
  const auto cx1 = static_cast<float>(layout.column.right());
  float y = static_cast<float>(panel.y + m.pad - m.unit);
  for (const std::string& line : title_lines) {
    shapes.text(OverlayText::title, kTitle, title, cx0, y, palette::kTitle, line);
    y += static_cast<float>(m.line_h);
  }

  // Tags: small pills on one row, as many of the first three as fit whole.
  {
    const auto lines = static_cast<int>(std::max<size_t>(title_lines.size(), 1));
    const auto ty = static_cast<float>(panel.y + m.pad + lines * m.line_h + m.unit * 4);
    float tx = cx0;
    for (size_t i = 0; i < product.tags.size() && i < kMaxTags; ++i) {
      const std::string tag = one_line(small, utf8_prefix(product.tags[i], kMaxTagChars), cx1 - cx0);
      if (tag.empty()) continue;  // nothing of it can be shown (an emoji alone)
      const float tw = std::ceil(text_width(small, tag)) + static_cast<float>(2 * m.tag_pad);
      if (tx + tw > cx1) break;
      shapes.fill(tx, ty, tx + tw, ty + static_cast<float>(m.tag_h), palette::kTagFill, static_cast<float>(m.unit * 4));
      shapes.text(OverlayText::tag, kSmall, small, tx + static_cast<float>(m.tag_pad),
                  ty + (static_cast<float>(m.tag_h) - small.FontSize) / 2.0f, palette::kTagText, tag);
      tx += tw + static_cast<float>(m.tag_gap);
    }
  }

  // The price row at the bottom: the price; then, room permitting, the stock note as a pill at
  // the right (it matters more) and the struck-through original price.
  const std::string price_text = tr_in(Language::zh_CN, "overlay.price", format_yuan(product.price_cents));
  const float py = static_cast<float>(panel.bottom() - m.pad) - price.FontSize;
  const float baseline = py + std::round(price.Ascent);
  const float pw = std::ceil(text_width(price, price_text));
  shapes.text(OverlayText::price, kPrice, price, cx0, py, sold_out ? palette::kStruck : palette::kPrice, price_text);
  const float used = cx0 + pw;
  const auto gap = static_cast<float>(m.tag_gap);

  float stock_x = cx1;
  if (product.stock && *product.stock > 0 && *product.stock <= kLowStock) {
    const std::string text = tr_in(Language::zh_CN, "overlay.stock_low", *product.stock);
    const float w = std::ceil(text_width(small, text)) + static_cast<float>(2 * m.tag_pad);
    if (used + gap + w <= cx1) {
      stock_x = cx1 - w;
      const float bottom = baseline + static_cast<float>(m.unit * 3);
      const float top = bottom - static_cast<float>(m.tag_h);
      shapes.fill(stock_x, top, cx1, bottom, palette::kStockFill, static_cast<float>(m.tag_h) / 2.0f);
      shapes.text(OverlayText::stock, kSmall, small, stock_x + static_cast<float>(m.tag_pad),
                  top + (static_cast<float>(m.tag_h) - small.FontSize) / 2.0f, palette::kWhite, text);
    }
  }
  if (product.original_price_cents && *product.original_price_cents > product.price_cents) {
    const std::string original = tr_in(Language::zh_CN, "overlay.price", format_yuan(*product.original_price_cents));
    const float ow = std::ceil(text_width(small, original));
    const float ox = used + gap;
    const bool room = stock_x < cx1 ? ox + ow + gap <= stock_x : ox + ow <= cx1;
    if (room) {
      const float small_y = baseline - std::round(small.Ascent);
      shapes.text(OverlayText::original_price, kSmall, small, ox, small_y, palette::kStruck, original);
      const float mid = std::floor(small_y + small.FontSize * 0.55f);
      shapes.fill(ox, mid, ox + ow, mid + static_cast<float>(m.unit), palette::kStruck);
    }
  }
  layout.in_column = std::move(shapes.list);
  return layout;
}

}  // namespace cunbo::ui
