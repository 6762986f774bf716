#include "ui/overlay/overlay_scene.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8

#include "client/base/money.h"
#include "client/base/strings.h"
#include "media/image_fit.h"
#include "ui/overlay/imgui_guard.h"

namespace cunbo::ui {

namespace {

// Only what can show is looked at: a 10 000-character title costs no more than a short one.
constexpr size_t kMaxTitleChars = 160;
constexpr size_t kMaxTagChars = 24;
constexpr size_t kMaxBannerChars = 160;
constexpr size_t kMaxWatermarkChars = 48;
constexpr int kMaxTags = 3;
constexpr int64_t kLowStock = 20;
constexpr const char* kEllipsis = "\u2026";

constexpr ImU32 rgba(unsigned r, unsigned g, unsigned b, unsigned a = 255) { return r | g << 8 | b << 16 | a << 24; }
ImU32 with_alpha(ImU32 color, float factor) {
  const auto a = static_cast<unsigned>(std::lround(static_cast<float>(color >> 24) * std::clamp(factor, 0.0f, 1.0f)));
  return (color & 0x00FFFFFFu) | (a << 24);
}

constexpr ImU32 kColorPanel = rgba(255, 255, 255, 242);
constexpr ImU32 kColorShadow = rgba(0, 0, 0, 9);
constexpr ImU32 kColorTitle = rgba(28, 28, 30);
constexpr ImU32 kColorPrice = rgba(242, 48, 48);
constexpr ImU32 kColorStruck = rgba(150, 150, 155);
constexpr ImU32 kColorTagFill = rgba(255, 238, 228);
constexpr ImU32 kColorTagText = rgba(238, 82, 30);
constexpr ImU32 kColorStockLow = rgba(238, 82, 30);
constexpr ImU32 kColorBadge = rgba(255, 45, 85);
constexpr ImU32 kColorTile = rgba(242, 242, 244);
constexpr ImU32 kColorSoldOutVeil = rgba(0, 0, 0, 120);
constexpr ImU32 kColorSoldOutPill = rgba(40, 40, 44, 220);
constexpr ImU32 kColorWhite = rgba(255, 255, 255);
constexpr ImU32 kColorBanner = rgba(255, 86, 34, 232);
constexpr ImU32 kColorWatermark = rgba(255, 255, 255, 180);
constexpr ImU32 kColorWatermarkShadow = rgba(0, 0, 0, 110);

ImVec2 v(float x, float y) { return {x, y}; }
ImVec2 v(int x, int y) { return {static_cast<float>(x), static_cast<float>(y)}; }

// At most `max_chars` code points of `text` (never cutting one in half).
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

void add_text(ImDrawList& dl, const ImFont& font, float x, float y, ImU32 color, std::string_view text) {
  dl.AddText(&font, font.FontSize, v(std::floor(x), std::floor(y)), color, text.data(), text.data() + text.size());
}

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
    // Characters the atlas lacks (emoji, variation selectors, anything the font has no glyph
    // for) are left out rather than shown as "?", and the spaces around them collapse.
    if (c != ' ' && !font.FindGlyphNoFallback(static_cast<ImWchar>(c))) continue;
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

// ---------------------------------------------------------------------------------------------

namespace {

int px(float design, float scale, int at_least = 1) {
  return std::max(at_least, static_cast<int>(std::lround(design * scale)));
}

std::vector<FontSpec> font_specs(int height) {
  const float s = static_cast<float>(height) / 720.0f;
  // kSmall (tags, stock, badge, watermark), kTitle (title, banner), kPrice (digits only).
  return {{std::max(12.0f, std::round(15.0f * s)), false, false},
          {std::max(14.0f, std::round(22.0f * s)), true, false},
          {std::max(20.0f, std::round(32.0f * s)), true, true}};
}

}  // namespace

OverlayScene::OverlayScene(int width, int height)
    : width_(width), height_(height), fonts_(font_specs(height)), raster_(width, height, fonts_.atlas()) {
  const float s = static_cast<float>(height) / 720.0f;
  m_.unit = px(1, s);
  m_.margin = px(24, s);
  m_.panel_w = px(440, s);
  m_.panel_h = px(150, s);
  m_.pad = px(12, s);
  m_.radius = px(14, s);
  m_.image = m_.panel_h - 2 * m_.pad;
  m_.gap = px(14, s);
  m_.shadow = px(10, s);
  m_.line_h = static_cast<int>(font_specs(height)[kTitle].pixels) + px(5, s);
  m_.tag_h = static_cast<int>(font_specs(height)[kSmall].pixels) + px(7, s);
  m_.tag_pad = px(7, s);
  m_.tag_gap = px(6, s);
  m_.banner_h = px(40, s);
  m_.banner_gap = px(12, s);
  m_.banner_max_w = std::min(width - 2 * m_.margin, px(600, s));
  // The overlay's own words, so that their glyphs are in the first atlas.
  for (const char* id : {"overlay.presenting", "overlay.stock_low", "overlay.sold_out", "overlay.banner_order",
                         "overlay.banner_burst", "overlay.price"}) {
    fonts_.ensure_glyphs(tr_in(Language::zh_CN, id));
  }
  fonts_.ensure_glyphs("0123456789");
  const ImGuiContextGuard guard(raster_.context());
  fonts_.build();
  raster_.upload_fonts();
  fonts_.release_pixels();
  chrome_ = raster_.bake(m_.panel_w + 2 * m_.shadow, m_.panel_h + 2 * m_.shadow + m_.shadow / 2,
                         [&](ImDrawList& dl) { draw_chrome(dl, 0, 0); });
}

OverlayScene::~OverlayScene() = default;

const ImFont& OverlayScene::font(FontRole role) const { return *fonts_.font(role); }

Rect OverlayScene::panel_rect(CardPlacement placement) const {
  const int x = placement == CardPlacement::bottom_left ? m_.margin : width_ - m_.margin - m_.panel_w;
  const int y = placement == CardPlacement::top_right ? m_.margin : height_ - m_.margin - m_.panel_h;
  return {x, y, m_.panel_w, m_.panel_h};
}

Rect OverlayScene::card_rect(const OverlayContent& content) const {
  if (!content.card) return {};
  const Rect panel = panel_rect(content.placement);
  // The shadow reaches m_.shadow around the panel and a little further down.
  return align_to_chroma({panel.x - m_.shadow, panel.y - m_.shadow, panel.w + 2 * m_.shadow,
                          panel.h + 2 * m_.shadow + m_.shadow / 2},
                         width_, height_);
}

Rect OverlayScene::banner_rect() const {
  const int y = height_ - m_.margin - m_.panel_h - m_.shadow - m_.banner_gap - m_.banner_h;
  return align_to_chroma({0, y, m_.margin + m_.banner_max_w, m_.banner_h}, width_, height_);
}

Rect OverlayScene::banner_pill(const OverlayContent& content, std::string& text) const {
  text.clear();
  const float progress = std::clamp(content.banner_progress, 0.0f, 1.0f);
  if (content.banner_text.empty() || !(progress > 0.0f)) return {};
  const ImFont& f = font(kTitle);
  const int icon = m_.banner_h;  // a round icon as tall as the pill
  const int text_pad = m_.banner_h * 2 / 5;
  const float room = static_cast<float>(m_.banner_max_w - icon - text_pad);
  const std::vector<std::string> lines = wrap_text(f, utf8_prefix(content.banner_text, kMaxBannerChars), room, 1);
  if (lines.empty()) return {};
  text = lines.front();
  const int w = icon + static_cast<int>(std::ceil(text_width(f, text))) + text_pad;
  // Slides in from the left edge while fading in.
  const int x = m_.margin - static_cast<int>(std::lround((1.0f - progress) * static_cast<float>(w + m_.margin)));
  return {x, banner_rect().y, w, m_.banner_h};
}

Rect OverlayScene::watermark_rect(const OverlayContent& content) {
  if (content.watermark.empty()) return {};
  fonts_.ensure_glyphs(utf8_prefix(content.watermark, kMaxWatermarkChars));
  const ImFont& f = font(kSmall);
  const std::vector<std::string> lines =
      wrap_text(f, utf8_prefix(content.watermark, kMaxWatermarkChars), static_cast<float>(width_) * 0.4f, 1);
  if (lines.empty()) return {};
  const int w = static_cast<int>(std::ceil(text_width(f, lines.front()))) + m_.unit;
  return {m_.margin, m_.margin, w, static_cast<int>(f.FontSize) + m_.unit};
}

std::vector<std::string> OverlayScene::title_lines(const OverlayContent& content) {
  prepare(content);
  return title_cache_;
}

void OverlayScene::warm_up(std::string_view text) {
  // The hundred most common surnames: a masked buyer is one of them followed by "**".
  static constexpr std::string_view kSurnames =
      "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
      "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
  fonts_.ensure_glyphs(kSurnames);
  while (!text.empty()) {
    const size_t end = text.find('\n');
    fonts_.ensure_glyphs(utf8_prefix(text.substr(0, end), kMaxTitleChars));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  if (fonts_.needs_build()) {
    const ImGuiContextGuard guard(raster_.context());
    fonts_.build();
    raster_.upload_fonts();
    fonts_.release_pixels();
  }
}

void OverlayScene::prepare(const OverlayContent& content) {
  if (content.card) {
    const Product& product = *content.card;
    fonts_.ensure_glyphs(utf8_prefix(product.title, kMaxTitleChars));
    for (size_t i = 0; i < product.tags.size() && i < kMaxTags; ++i) {
      fonts_.ensure_glyphs(utf8_prefix(product.tags[i], kMaxTagChars));
    }
  }
  fonts_.ensure_glyphs(utf8_prefix(content.banner_text, kMaxBannerChars));
  fonts_.ensure_glyphs(utf8_prefix(content.watermark, kMaxWatermarkChars));
  if (fonts_.needs_build()) {
    const ImGuiContextGuard guard(raster_.context());
    fonts_.build();
    raster_.upload_fonts();
    fonts_.release_pixels();
  }

  std::string banner_text;
  const Rect pill = banner_pill(content, banner_text);
  if (!pill.empty() && (banner_text != banner_text_ || !banner_)) {
    banner_text_ = banner_text;
    banner_ = raster_.bake(pill.w, pill.h, [&](ImDrawList& dl) { draw_banner_pill(dl, banner_text, pill.w); });
  }

  title_cache_.clear();
  if (!content.card) return;
  const float column = static_cast<float>(m_.panel_w - 2 * m_.pad - m_.image - m_.gap);
  title_cache_ = wrap_text(font(kTitle), utf8_prefix(content.card->title, kMaxTitleChars), column, 2);

  const RgbaImage* image = content.card_image.get();
  if (!image || image->placeholder || image->width <= 0 || image->height <= 0) {
    picture_source_.reset();
    picture_ = OverlayTexture();
    if (!placeholder_) placeholder_ = raster_.upload(make_placeholder(m_.image, m_.image));
  } else if (content.card_image != picture_source_) {
    picture_source_ = content.card_image;
    const auto fitted = fit_image(*image, m_.image, m_.image);
    picture_ = fitted ? raster_.upload(*fitted) : raster_.upload(make_placeholder(m_.image, m_.image));
  }
}

void OverlayScene::render(const OverlayContent& content, RgbaLayer& layer) {
  prepare(content);
  std::vector<Rect> regions;
  if (content.card) regions.push_back(card_rect(content));
  std::string banner_text;
  const Rect pill = banner_pill(content, banner_text);
  if (!pill.empty()) regions.push_back(pill);
  const Rect watermark = watermark_rect(content);
  if (!watermark.empty()) regions.push_back(watermark);
  raster_.render(
      regions,
      [&](ImDrawList& dl) {
        if (content.card) draw_card(dl, content);
        if (!pill.empty()) draw_banner(dl, content);
        if (!watermark.empty()) draw_watermark(dl, content);
      },
      layer);
}

RgbaLayer OverlayScene::render(const OverlayContent& content) {
  RgbaLayer layer;
  render(content, layer);
  return layer;
}

void OverlayScene::draw_chrome(ImDrawList& dl, float x, float y) const {
  const float x0 = x + static_cast<float>(m_.shadow);
  const float y0 = y + static_cast<float>(m_.shadow);
  const float x1 = x0 + static_cast<float>(m_.panel_w);
  const float y1 = y0 + static_cast<float>(m_.panel_h);
  const float r = static_cast<float>(m_.radius);
  // A soft shadow: widening, fading rounded rectangles, a little lower than the panel.
  const int layers = 5;
  for (int i = layers; i >= 1; --i) {
    const float grow = static_cast<float>(m_.shadow * i) / layers;
    const float drop = static_cast<float>(m_.shadow) / 3.0f;
    dl.AddRectFilled(v(x0 - grow, y0 - grow + drop), v(x1 + grow, y1 + grow + drop), kColorShadow, r + grow);
  }
  dl.AddRectFilled(v(x0, y0), v(x1, y1), kColorPanel, r);
  const float ix = x0 + static_cast<float>(m_.pad);
  const float iy = y0 + static_cast<float>(m_.pad);
  const float box = static_cast<float>(m_.image);
  dl.AddRectFilled(v(ix, iy), v(ix + box, iy + box), kColorTile, static_cast<float>(m_.radius - m_.pad / 2));
}

void OverlayScene::draw_banner_pill(ImDrawList& dl, const std::string& text, int w) const {
  const ImFont& f = font(kTitle);
  const float h = static_cast<float>(m_.banner_h);
  dl.AddRectFilled(v(0.0f, 0.0f), v(static_cast<float>(w), h), kColorBanner, h / 2);
  // Icon: a white disc with a little shopping bag.
  const float cx = h / 2;
  const float cy = h / 2;
  dl.AddCircleFilled(v(cx, cy), h * 0.34f, kColorWhite, 24);
  const float bw = h * 0.32f;
  const float bh = h * 0.24f;
  const float top = cy - bh * 0.25f;
  dl.AddRectFilled(v(cx - bw / 2, top), v(cx + bw / 2, top + bh), kColorBanner, h * 0.04f);
  dl.PathArcTo(v(cx, top), bw * 0.28f, IM_PI, 2 * IM_PI, 10);
  dl.PathStroke(kColorBanner, 0, std::max(1.5f, h * 0.05f));
  add_text(dl, f, h, (h - f.FontSize) / 2.0f, kColorWhite, text);
}

void OverlayScene::draw_card(ImDrawList& dl, const OverlayContent& content) const {
  const Product& product = *content.card;
  const Rect panel = panel_rect(content.placement);
  const float x0 = static_cast<float>(panel.x);
  const float y0 = static_cast<float>(panel.y);
  const float x1 = static_cast<float>(panel.right());
  const float y1 = static_cast<float>(panel.bottom());

  if (chrome_) {
    const int cx = panel.x - m_.shadow;
    const int cy = panel.y - m_.shadow;
    dl.AddImage(chrome_.id(), v(cx, cy), v(cx + chrome_.width(), cy + chrome_.height()));
  } else {
    draw_chrome(dl, x0 - static_cast<float>(m_.shadow), y0 - static_cast<float>(m_.shadow));
  }

  // Everything inside the panel stays inside it, whatever the content.
  dl.PushClipRect(v(x0, y0), v(x1, y1), true);

  // The picture centred 1:1 on its tile (SDL's geometry path samples nearest, so the texture
  // is drawn at exactly its pixel size, at whole-pixel coordinates).
  const int ix = panel.x + m_.pad;
  const int iy = panel.y + m_.pad;
  const int box = m_.image;
  const float tile_r = static_cast<float>(m_.radius - m_.pad / 2);
  const OverlayTexture& picture = picture_ ? picture_ : placeholder_;
  if (picture) {
    const int px0 = ix + (box - picture.width()) / 2;
    const int py0 = iy + (box - picture.height()) / 2;
    dl.AddImage(picture.id(), v(px0, py0), v(px0 + picture.width(), py0 + picture.height()));
  }

  const ImFont& small = font(kSmall);
  const ImFont& title = font(kTitle);
  const ImFont& price = font(kPrice);
  const bool sold_out = product.stock && *product.stock <= 0;
  if (sold_out) {
    dl.AddRectFilled(v(ix, iy), v(ix + box, iy + box), kColorSoldOutVeil);
    const std::string& text = tr_in(Language::zh_CN, "overlay.sold_out");
    const float tw = text_width(title, text);
    const float pw = tw + static_cast<float>(2 * m_.tag_pad);
    const float ph = static_cast<float>(m_.line_h + m_.unit * 4);
    const float cx = static_cast<float>(ix) + static_cast<float>(box) / 2.0f;
    const float cy = static_cast<float>(iy) + static_cast<float>(box) / 2.0f;
    dl.AddRectFilled(v(std::floor(cx - pw / 2), std::floor(cy - ph / 2)), v(std::floor(cx + pw / 2), std::floor(cy + ph / 2)),
                     kColorSoldOutPill, ph / 2);
    add_text(dl, title, cx - tw / 2, cy - title.FontSize / 2, kColorWhite, text);
  }

  // "讲解中" badge over the picture's top-left corner, with a little equaliser icon.
  {
    const std::string& text = tr_in(Language::zh_CN, "overlay.presenting");
    const int bh = m_.tag_h;
    const int bar = std::max(2, m_.unit * 2);
    const int icon_w = bar * 5;
    const int bw = m_.tag_pad + icon_w + m_.unit * 4 + static_cast<int>(std::ceil(text_width(small, text))) + m_.tag_pad;
    dl.AddRectFilled(v(ix, iy), v(ix + bw, iy + bh), kColorBadge, tile_r,
                     ImDrawFlags_RoundCornersTopLeft | ImDrawFlags_RoundCornersBottomRight);
    const int base = iy + bh - bh / 4;
    const int heights[3] = {bh / 3, bh / 2, bh / 4 + m_.unit};
    for (int k = 0; k < 3; ++k) {
      const int bx = ix + m_.tag_pad + k * bar * 2;
      dl.AddRectFilled(v(bx, base - heights[k]), v(bx + bar, base), kColorWhite);
    }
    add_text(dl, small, static_cast<float>(ix + m_.tag_pad + icon_w + m_.unit * 4),
             static_cast<float>(iy) + static_cast<float>(bh - static_cast<int>(small.FontSize)) / 2.0f, kColorWhite, text);
  }

  // Text column.
  const int cx0 = ix + box + m_.gap;
  const int cx1 = panel.right() - m_.pad;
  dl.PushClipRect(v(cx0, panel.y), v(cx1, panel.bottom()), true);
  int y = panel.y + m_.pad - m_.unit;
  for (const std::string& line : title_cache_) {
    add_text(dl, title, static_cast<float>(cx0), static_cast<float>(y), kColorTitle, line);
    y += m_.line_h;
  }

  // Tags: small pills on one row, as many of the first three as fit whole.
  {
    const int ty = panel.y + m_.pad + static_cast<int>(std::max<size_t>(title_cache_.size(), 1)) * m_.line_h + m_.unit * 4;
    int tx = cx0;
    for (size_t i = 0; i < product.tags.size() && i < kMaxTags; ++i) {
      const std::string_view tag = utf8_prefix(product.tags[i], kMaxTagChars);
      if (tag.empty()) continue;
      const int tw = static_cast<int>(std::ceil(text_width(small, tag))) + 2 * m_.tag_pad;
      if (tx + tw > cx1) break;
      dl.AddRectFilled(v(tx, ty), v(tx + tw, ty + m_.tag_h), kColorTagFill, static_cast<float>(m_.unit * 4));
      add_text(dl, small, static_cast<float>(tx + m_.tag_pad),
               static_cast<float>(ty) + static_cast<float>(m_.tag_h - static_cast<int>(small.FontSize)) / 2.0f, kColorTagText, tag);
      tx += tw + m_.tag_gap;
    }
  }

  // Price row at the bottom: the price, then (room permitting) the stock note at the right
  // and the struck-through original price.
  {
    const std::string price_text = tr_in(Language::zh_CN, "overlay.price", format_yuan(product.price_cents));
    const float py = static_cast<float>(panel.bottom() - m_.pad) - price.FontSize;
    const float baseline = py + std::round(price.Ascent);
    const float small_y = baseline - std::round(small.Ascent);
    const float pw = text_width(price, price_text);
    add_text(dl, price, static_cast<float>(cx0), py, sold_out ? kColorStruck : kColorPrice, price_text);
    float used = static_cast<float>(cx0) + pw;

    std::string stock_text;
    if (product.stock && *product.stock > 0 && *product.stock <= kLowStock) {
      stock_text = tr_in(Language::zh_CN, "overlay.stock_low", *product.stock);
    }
    float stock_x = static_cast<float>(cx1);
    if (!stock_text.empty()) {
      const float sw = text_width(small, stock_text);
      if (used + static_cast<float>(m_.tag_gap) + sw <= static_cast<float>(cx1)) {
        stock_x = static_cast<float>(cx1) - sw;
        add_text(dl, small, stock_x, small_y, kColorStockLow, stock_text);
      }
    }
    if (product.original_price_cents && *product.original_price_cents > product.price_cents) {
      const std::string original = tr_in(Language::zh_CN, "overlay.price", format_yuan(*product.original_price_cents));
      const float ow = text_width(small, original);
      const float ox = used + static_cast<float>(m_.tag_gap);
      if (ox + ow + static_cast<float>(m_.tag_gap) <= stock_x || (stock_text.empty() && ox + ow <= static_cast<float>(cx1))) {
        add_text(dl, small, ox, small_y, kColorStruck, original);
        const float mid = std::floor(small_y + small.FontSize * 0.55f);
        dl.AddRectFilled(v(std::floor(ox), mid), v(std::floor(ox + ow), mid + static_cast<float>(m_.unit)), kColorStruck);
      }
    }
  }
  dl.PopClipRect();
  dl.PopClipRect();
}

void OverlayScene::draw_banner(ImDrawList& dl, const OverlayContent& content) const {
  std::string text;
  const Rect pill = banner_pill(content, text);
  if (pill.empty() || !banner_) return;
  // Fading in (twice as fast as it slides, so it is readable from its first frame): a uniform
  // tint, which SDL applies as the texture's alpha modulation.
  const ImU32 tint = with_alpha(kColorWhite, std::clamp(2.0f * content.banner_progress, 0.0f, 1.0f));
  dl.AddImage(banner_.id(), v(pill.x, pill.y), v(pill.x + banner_.width(), pill.y + banner_.height()), v(0.0f, 0.0f),
              v(1.0f, 1.0f), tint);
}

void OverlayScene::draw_watermark(ImDrawList& dl, const OverlayContent& content) const {
  const ImFont& f = font(kSmall);
  const std::vector<std::string> lines =
      wrap_text(f, utf8_prefix(content.watermark, kMaxWatermarkChars), static_cast<float>(width_) * 0.4f, 1);
  if (lines.empty()) return;
  const float x = static_cast<float>(m_.margin);
  const float y = static_cast<float>(m_.margin);
  add_text(dl, f, x + static_cast<float>(m_.unit), y + static_cast<float>(m_.unit), kColorWatermarkShadow, lines.front());
  add_text(dl, f, x, y, kColorWatermark, lines.front());
}

}  // namespace cunbo::ui
