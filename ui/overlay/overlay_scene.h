// What viewers see burned into the stream: the card of the product being presented, a short
// "someone just ordered" banner and an optional shop name on a dark plate, drawn with Dear
// ImGui into an offscreen draw list and rasterised on the CPU (OverlayRasterizer) into a
// premultiplied RGBA layer. Laid out at 720p and scaled with the output's short side; its text
// is sized by the height of capitals as a share of it (overlay_layout.h), so it reads on a
// phone at every quality. A portrait frame (9:16) is laid out an eighth larger (it fills an
// upright phone's screen, whose own words are that size) and kept inside its safe area. Characters the font lacks (emoji) are left out, never shown as "?".
// The overlay speaks to viewers, so its own words are always Chinese
// (tr_in(Language::zh_CN, ...)), whatever the host's language.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/platform/image_loader.h"
#include "client/platform/platform_feed.h"
#include "client/session/showcase.h"
#include "ui/overlay/font_set.h"
#include "ui/overlay/overlay_layout.h"
#include "ui/overlay/overlay_rasterizer.h"
#include "ui/overlay/overlay_text.h"

struct ImDrawList;
struct ImFont;

namespace cunbo::ui {

using cunbo::CardPlacement;  // client/config/card_placement.h

struct OverlayContent {
  std::optional<Product> card;                  // the product being presented
  std::shared_ptr<const RgbaImage> card_image;  // null or placeholder: the neutral tile
  std::string banner_text;                      // empty: no banner. Already composed ("张** 刚刚下单 永顺辣椒酱 ×2")
  float banner_progress = 1.0f;                 // 0..1: 0 = off-screen/invisible, 1 = fully in
  std::string watermark;                        // optional shop name, top-left on a dark plate
  CardPlacement placement = CardPlacement::bottom_left;
};

// Not thread-safe: one thread renders (it may differ from the UI thread; ImGui calls go
// through ImGuiContextGuard).
class OverlayScene {
 public:
  OverlayScene(int width, int height);
  ~OverlayScene();
  OverlayScene(const OverlayScene&) = delete;
  OverlayScene& operator=(const OverlayScene&) = delete;

  // Rasterises `content`. The second form reuses `layer`'s buffer (keep one or two layers and
  // pass them back: a 720p layer is 3.7 MB). Glyphs new to the atlas rebuild it first.
  [[nodiscard]] RgbaLayer render(const OverlayContent& content);
  void render(const OverlayContent& content, RgbaLayer& layer);

  // Layout queries (also for tests). The card rect includes its shadow; empty without a card.
  [[nodiscard]] Rect card_rect(const OverlayContent& content) const;
  // The band the banner can occupy at any progress (above where a bottom card sits, from the
  // frame's left edge, where it slides in from). The layer's region is the pill's actual box.
  [[nodiscard]] Rect banner_rect() const;
  // The shop name's plate; empty without a shop name (or with nothing of it the font can show).
  [[nodiscard]] Rect watermark_rect(const OverlayContent& content);
  // Every text `content` puts on the picture, where it is drawn (its line box: the pen's
  // top-left, its width, the font's size).
  [[nodiscard]] std::vector<OverlayTextBox> text_boxes(const OverlayContent& content);
  // Side of the square picture box in pixels. Pictures of exactly this size (ImageLoader
  // request(url, image_box(), image_box())) are drawn 1:1; others are rescaled once here.
  [[nodiscard]] int image_box() const { return m_.image; }
  // The title as the card shows it (≤ 2 lines, "…" when cut).
  [[nodiscard]] std::vector<std::string> title_lines(const OverlayContent& content);

  // Puts the glyphs of `text` (the product list's titles and tags, say) and of the common
  // surnames buyers are masked to ("张**") in the atlas now, so that a banner or a card
  // later rarely waits for an atlas rebuild (~15 ms at 720p). Only the first 160 characters of each line count.
  void warm_up(std::string_view text);

  // The slate viewers see over black while the camera is lost (DESIGN.md, "Faults"): its
  // words (overlay.camera_lost) on a plate in the middle of the frame.
  [[nodiscard]] RgbaLayer render_slate();
  [[nodiscard]] Rect slate_rect() const;

  [[nodiscard]] size_t atlas_bytes() const { return fonts_.atlas_bytes(); }
  [[nodiscard]] const FontSet& fonts() const { return fonts_; }
  [[nodiscard]] int width() const { return width_; }
  [[nodiscard]] int height() const { return height_; }

  // Where the overlay may draw. Landscape: the whole frame. Portrait: below the top 12 % and
  // above the bottom 35 %, the parts the platforms' phone apps cover with their own UI (the
  // host's name, the viewer count and the close button at the top; comments, the product bag,
  // likes and the buy bar at the bottom: Douyin, Kuaishou, 视频号 and Taobao Live all keep their
  // comment list in roughly the bottom third of an upright screen).
  [[nodiscard]] Rect safe_area() const;
  static constexpr float kSafeTopShare = 0.12f;
  static constexpr float kSafeBottomShare = 0.35f;

 private:
  [[nodiscard]] Rect panel_rect(CardPlacement placement) const;
  // The banner's pill now (it slides with the progress) and its text, cut to fit.
  [[nodiscard]] Rect banner_pill(const OverlayContent& content, std::string& text) const;
  // The shop name's plate and its text, cut to fit.
  [[nodiscard]] Rect plate_rect(const OverlayContent& content, std::string& text) const;
  void prepare_glyphs(const OverlayContent& content);  // rebuilds the atlas for new characters
  void prepare(const OverlayContent& content);         // glyphs, baked pills, title, picture
  [[nodiscard]] CardLayout card_layout(const OverlayContent& content) const;
  // Shadow, panel and picture tile, with the shadow's top-left corner at (x, y).
  void draw_chrome(ImDrawList& dl, float x, float y) const;
  void draw_banner_pill(ImDrawList& dl, const std::string& text, int w) const;
  void draw_plate(ImDrawList& dl, const std::string& text, int w) const;
  void draw_card(ImDrawList& dl, const OverlayContent& content) const;
  void draw_banner(ImDrawList& dl, const OverlayContent& content) const;
  void draw_watermark(ImDrawList& dl, const OverlayContent& content) const;
  [[nodiscard]] const ImFont& font(OverlayFont role) const;

  int width_;
  int height_;
  OverlayMetrics m_{};
  FontSet fonts_;              // outlives the rasteriser, whose ImGui context uses its atlas
  OverlayRasterizer raster_;   // outlives the textures below
  std::shared_ptr<const RgbaImage> picture_source_;  // what picture_ was made from
  OverlayTexture picture_;
  OverlayTexture placeholder_;
  // Rounded shapes are slow on SDL's triangle path: the card's chrome is rasterised once, the
  // banner pill and the shop name's plate once per text; each frame then blits them (the
  // banner with its fade as alpha).
  OverlayTexture chrome_;
  OverlayTexture banner_;
  std::string banner_text_;  // what banner_ shows
  OverlayTexture plate_;
  std::string plate_text_;   // what plate_ shows
  std::vector<std::string> title_cache_;  // title_lines() of the last prepared content
};

}  // namespace cunbo::ui
