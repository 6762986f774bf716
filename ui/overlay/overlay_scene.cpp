#include "ui/overlay/overlay_scene.h"

#include <algorithm>
#include <cmath>

#include <imgui.h>
#include <imgui_internal.h>  // IM_PI

#include "client/base/strings.h"
#include "media/image_fit.h"
#include "ui/overlay/imgui_guard.h"
#include "ui/overlay/overlay_palette.h"

namespace cunbo::ui {

namespace {

// Only what can show is looked at: a 10 000-character title costs no more than a short one.
constexpr size_t kMaxTitleChars = 160;
constexpr size_t kMaxBannerChars = 160;
constexpr size_t kMaxWatermarkChars = 48;
// The shop name takes at most this share of the frame's width.
constexpr float kWatermarkMaxWidth = 0.4f;

ImU32 with_alpha(ImU32 color, float factor) {
  const auto a = static_cast<unsigned>(std::lround(static_cast<float>(color >> 24) * std::clamp(factor, 0.0f, 1.0f)));
  return (color & 0x00FFFFFFu) | (a << 24);
}

ImVec2 v(float x, float y) { return {x, y}; }
ImVec2 v(int x, int y) { return {static_cast<float>(x), static_cast<float>(y)}; }

Rect line_box(float x, float y, const ImFont& font, std::string_view text) {
  return {static_cast<int>(std::floor(x)), static_cast<int>(std::floor(y)),
          static_cast<int>(std::ceil(text_width(font, text))), static_cast<int>(font.FontSize)};
}

void draw_shapes(ImDrawList& dl, const std::vector<CardShape>& shapes, const ImFont* const fonts[3]) {
  for (const CardShape& s : shapes) {
    if (s.kind == CardShape::Kind::fill) {
      dl.AddRectFilled(v(s.x0, s.y0), v(s.x1, s.y1), s.color, s.rounding, s.corners);
    } else {
      add_text(dl, *fonts[s.font], s.x0, s.y0, s.color, s.text);
    }
  }
}

}  // namespace

namespace {
// The size the overlay is laid out for: the short side, an eighth more in portrait.
int layout_size(int width, int height) { return height > width ? width * 9 / 8 : height; }
}  // namespace

OverlayScene::OverlayScene(int width, int height)
    : width_(width), height_(height), fonts_(overlay_font_specs(layout_size(width, height))),
      raster_(width, height, fonts_.atlas()) {
  m_ = overlay_metrics(width, layout_size(width, height), fonts_);
  // The overlay's own words, so that their glyphs are in the first atlas.
  for (const char* id : {"overlay.presenting", "overlay.stock_low", "overlay.sold_out", "overlay.banner_order",
                         "overlay.banner_burst", "overlay.price", "overlay.camera_lost"}) {
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

const ImFont& OverlayScene::font(OverlayFont role) const { return *fonts_.font(role); }

Rect OverlayScene::safe_area() const {
  if (height_ <= width_) return {0, 0, width_, height_};
  const auto h = static_cast<float>(height_);
  const int top = static_cast<int>(std::lround(h * kSafeTopShare));
  const int bottom = height_ - static_cast<int>(std::lround(h * kSafeBottomShare));
  return {0, top, width_, bottom - top};
}

Rect OverlayScene::panel_rect(CardPlacement placement) const {
  const Rect safe = safe_area();
  const int x = placement == CardPlacement::bottom_left ? m_.margin : width_ - m_.margin - m_.panel_w;
  // Narrow portrait: a card at the top goes under the shop name's plate, not beside it.
  const int top = safe.y + m_.margin + (height_ > width_ ? m_.plate_h + m_.margin : 0);
  const int y = placement == CardPlacement::top_right ? top : safe.bottom() - m_.margin - m_.panel_h;
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
  const int y = safe_area().bottom() - m_.margin - m_.panel_h - m_.shadow - m_.banner_gap - m_.banner_h;
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
  text = one_line(f, utf8_prefix(content.banner_text, kMaxBannerChars), room);
  if (text.empty()) return {};
  const int w = icon + static_cast<int>(std::ceil(text_width(f, text))) + text_pad;
  // Slides in from the left edge while fading in.
  const int x = m_.margin - static_cast<int>(std::lround((1.0f - progress) * static_cast<float>(w + m_.margin)));
  return {x, banner_rect().y, w, m_.banner_h};
}

Rect OverlayScene::plate_rect(const OverlayContent& content, std::string& text) const {
  text.clear();
  if (content.watermark.empty()) return {};
  const ImFont& f = font(kTitle);
  const float room = static_cast<float>(width_) * kWatermarkMaxWidth - static_cast<float>(2 * m_.plate_pad);
  text = one_line(f, utf8_prefix(content.watermark, kMaxWatermarkChars), room);
  if (text.empty()) return {};
  const int w = static_cast<int>(std::ceil(text_width(f, text))) + 2 * m_.plate_pad;
  return {m_.margin, safe_area().y + m_.margin, w, m_.plate_h};
}

Rect OverlayScene::watermark_rect(const OverlayContent& content) {
  prepare_glyphs(content);
  std::string text;
  return plate_rect(content, text);
}

std::vector<OverlayTextBox> OverlayScene::text_boxes(const OverlayContent& content) {
  prepare(content);
  std::vector<OverlayTextBox> boxes;
  std::string text;
  if (const Rect plate = plate_rect(content, text); !plate.empty()) {
    const ImFont& f = font(kTitle);
    const float y = static_cast<float>(plate.y) + (static_cast<float>(m_.plate_h) - f.FontSize) / 2.0f;
    boxes.push_back({OverlayText::watermark, text, line_box(static_cast<float>(plate.x + m_.plate_pad), y, f, text)});
  }
  if (content.card) {
    const CardLayout layout = card_layout(content);
    for (const auto* shapes : {&layout.on_picture, &layout.in_column}) {
      for (const CardShape& s : *shapes) {
        if (s.kind == CardShape::Kind::text) boxes.push_back({s.text_kind, s.text, line_box(s.x0, s.y0, font(s.font), s.text)});
      }
    }
  }
  if (const Rect pill = banner_pill(content, text); !pill.empty()) {
    const ImFont& f = font(kTitle);
    const float y = static_cast<float>(pill.y) + (static_cast<float>(m_.banner_h) - f.FontSize) / 2.0f;
    boxes.push_back({OverlayText::banner, text, line_box(static_cast<float>(pill.x + m_.banner_h), y, f, text)});
  }
  return boxes;
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
  prepare_glyphs(OverlayContent{});
}

void OverlayScene::prepare_glyphs(const OverlayContent& content) {
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
}

void OverlayScene::prepare(const OverlayContent& content) {
  prepare_glyphs(content);

  std::string text;
  const Rect pill = banner_pill(content, text);
  if (!pill.empty() && (text != banner_text_ || !banner_)) {
    banner_text_ = text;
    banner_ = raster_.bake(pill.w, pill.h, [&](ImDrawList& dl) { draw_banner_pill(dl, text, pill.w); });
  }
  const Rect plate = plate_rect(content, text);
  if (!plate.empty() && (text != plate_text_ || !plate_)) {
    plate_text_ = text;
    plate_ = raster_.bake(plate.w, plate.h, [&](ImDrawList& dl) { draw_plate(dl, text, plate.w); });
  }

  title_cache_.clear();
  if (!content.card) return;
  title_cache_ = wrap_text(font(kTitle), utf8_prefix(content.card->title, kMaxTitleChars),
                           static_cast<float>(m_.column_w), 2);

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

CardLayout OverlayScene::card_layout(const OverlayContent& content) const {
  const ImFont* const fonts[3] = {&font(kSmall), &font(kTitle), &font(kPrice)};
  return layout_card(*content.card, title_cache_, m_, fonts, panel_rect(content.placement));
}

void OverlayScene::render(const OverlayContent& content, RgbaLayer& layer) {
  prepare(content);
  std::vector<Rect> regions;
  if (content.card) regions.push_back(card_rect(content));
  std::string text;
  const Rect pill = banner_pill(content, text);
  if (!pill.empty()) regions.push_back(pill);
  const Rect plate = plate_rect(content, text);
  if (!plate.empty()) regions.push_back(plate);
  raster_.render(
      regions,
      [&](ImDrawList& dl) {
        if (content.card) draw_card(dl, content);
        if (!pill.empty()) draw_banner(dl, content);
        if (!plate.empty()) draw_watermark(dl, content);
      },
      layer);
}

RgbaLayer OverlayScene::render(const OverlayContent& content) {
  RgbaLayer layer;
  render(content, layer);
  return layer;
}

Rect OverlayScene::slate_rect() const {
  const ImFont& f = font(kSlate);
  const float text_w = text_width(f, tr_in(Language::zh_CN, "overlay.camera_lost"));
  const int w = static_cast<int>(std::ceil(text_w + 2.0f * f.FontSize));
  const int h = static_cast<int>(std::ceil(2.0f * f.FontSize));
  return {(width_ - w) / 2, (height_ - h) / 2, w, h};
}

RgbaLayer OverlayScene::render_slate() {
  const std::string text = tr_in(Language::zh_CN, "overlay.camera_lost");
  const Rect plate = slate_rect();
  const std::vector<Rect> regions{plate};
  return raster_.render(regions, [&](ImDrawList& dl) {
    const ImFont& f = font(kSlate);
    const float h = static_cast<float>(plate.h);
    dl.AddRectFilled(v(plate.x, plate.y), v(plate.right(), plate.bottom()), palette::kSlate, h / 4);
    add_text(dl, f, static_cast<float>(plate.x) + (static_cast<float>(plate.w) - text_width(f, text)) / 2.0f,
             static_cast<float>(plate.y) + (h - f.FontSize) / 2.0f, palette::kPlateText, text);
  });
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
    dl.AddRectFilled(v(x0 - grow, y0 - grow + drop), v(x1 + grow, y1 + grow + drop), palette::kShadow, r + grow);
  }
  dl.AddRectFilled(v(x0, y0), v(x1, y1), palette::kPanel, r);
  const float ix = x0 + static_cast<float>(m_.pad);
  const float iy = y0 + static_cast<float>(m_.pad);
  const float box = static_cast<float>(m_.image);
  dl.AddRectFilled(v(ix, iy), v(ix + box, iy + box), palette::kTile, static_cast<float>(m_.radius - m_.pad / 2));
}

void OverlayScene::draw_banner_pill(ImDrawList& dl, const std::string& text, int w) const {
  const ImFont& f = font(kTitle);
  const float h = static_cast<float>(m_.banner_h);
  dl.AddRectFilled(v(0.0f, 0.0f), v(static_cast<float>(w), h), palette::kBanner, h / 2);
  // Icon: a white disc with a little shopping bag.
  const float cx = h / 2;
  const float cy = h / 2;
  dl.AddCircleFilled(v(cx, cy), h * 0.34f, palette::kWhite, 24);
  const float bw = h * 0.32f;
  const float bh = h * 0.24f;
  const float top = cy - bh * 0.25f;
  dl.AddRectFilled(v(cx - bw / 2, top), v(cx + bw / 2, top + bh), palette::kBanner, h * 0.04f);
  dl.PathArcTo(v(cx, top), bw * 0.28f, IM_PI, 2 * IM_PI, 10);
  dl.PathStroke(palette::kBanner, 0, std::max(1.5f, h * 0.05f));
  add_text(dl, f, h, (h - f.FontSize) / 2.0f, palette::kWhite, text);
}

void OverlayScene::draw_plate(ImDrawList& dl, const std::string& text, int w) const {
  const ImFont& f = font(kTitle);
  const auto h = static_cast<float>(m_.plate_h);
  dl.AddRectFilled(v(0.0f, 0.0f), v(static_cast<float>(w), h), palette::kPlate, h / 2);
  add_text(dl, f, static_cast<float>(m_.plate_pad), (h - f.FontSize) / 2.0f, palette::kPlateText, text);
}

void OverlayScene::draw_card(ImDrawList& dl, const OverlayContent& content) const {
  const Rect panel = panel_rect(content.placement);
  if (chrome_) {
    const int cx = panel.x - m_.shadow;
    const int cy = panel.y - m_.shadow;
    dl.AddImage(chrome_.id(), v(cx, cy), v(cx + chrome_.width(), cy + chrome_.height()));
  } else {
    draw_chrome(dl, static_cast<float>(panel.x - m_.shadow), static_cast<float>(panel.y - m_.shadow));
  }

  // Everything inside the panel stays inside it, whatever the content.
  dl.PushClipRect(v(panel.x, panel.y), v(panel.right(), panel.bottom()), true);
  // The picture centred 1:1 on its tile (SDL's geometry path samples nearest, so the texture
  // is drawn at exactly its pixel size, at whole-pixel coordinates).
  const OverlayTexture& picture = picture_ ? picture_ : placeholder_;
  if (picture) {
    const int px0 = panel.x + m_.pad + (m_.image - picture.width()) / 2;
    const int py0 = panel.y + m_.pad + (m_.image - picture.height()) / 2;
    dl.AddImage(picture.id(), v(px0, py0), v(px0 + picture.width(), py0 + picture.height()));
  }
  const ImFont* const fonts[3] = {&font(kSmall), &font(kTitle), &font(kPrice)};
  const CardLayout layout = card_layout(content);
  draw_shapes(dl, layout.on_picture, fonts);
  const Rect& column = layout.column;
  dl.PushClipRect(v(column.x, column.y), v(column.right(), column.bottom()), true);
  draw_shapes(dl, layout.in_column, fonts);
  dl.PopClipRect();
  dl.PopClipRect();
}

void OverlayScene::draw_banner(ImDrawList& dl, const OverlayContent& content) const {
  std::string text;
  const Rect pill = banner_pill(content, text);
  if (pill.empty() || !banner_) return;
  // Fading in (twice as fast as it slides, so it is readable from its first frame): a uniform
  // tint, which SDL applies as the texture's alpha modulation.
  const ImU32 tint = with_alpha(palette::kWhite, std::clamp(2.0f * content.banner_progress, 0.0f, 1.0f));
  dl.AddImage(banner_.id(), v(pill.x, pill.y), v(pill.x + banner_.width(), pill.y + banner_.height()), v(0.0f, 0.0f),
              v(1.0f, 1.0f), tint);
}

void OverlayScene::draw_watermark(ImDrawList& dl, const OverlayContent& content) const {
  std::string text;
  const Rect plate = plate_rect(content, text);
  if (plate.empty() || !plate_) return;
  dl.AddImage(plate_.id(), v(plate.x, plate.y), v(plate.x + plate_.width(), plate.y + plate_.height()));
}

}  // namespace cunbo::ui
