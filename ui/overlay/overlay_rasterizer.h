// The CPU rasteriser of the stream overlay: an offscreen Dear ImGui context whose draw data is
// rasterised by SDL2's software renderer (SDL_CreateSoftwareRenderer on an RGBA32 surface) with
// the stock SDL_Renderer backend; no window, no SDL video subsystem. SDL blends straight alpha;
// onto a surface cleared to transparent black that yields premultiplied RGBA, which is what the
// compositor blends into the YUV frame. Only the given regions are cleared and rasterised.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "client/platform/image_loader.h"
#include "media/overlay_layer.h"

struct ImDrawList;
struct ImFontAtlas;
struct ImGuiContext;
struct SDL_Renderer;
struct SDL_Surface;
struct SDL_Texture;

namespace cunbo::ui {

// The rectangles the blend works on (media/overlay_layer.h).
using cunbo::OverlayRect;

// One rasterised overlay frame. Invariant: every pixel outside `regions` is (0,0,0,0).
struct RgbaLayer {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgba;          // width * height * 4, premultiplied alpha, rows packed
  std::vector<OverlayRect> regions;   // even-aligned, inside the frame, not overlapping
};

// `rect` grown outward to even coordinates (the 4:2:0 blend works on 2x2 blocks) and clipped
// to the frame; empty when nothing of it is inside.
[[nodiscard]] OverlayRect align_to_chroma(const OverlayRect& rect, int frame_width, int frame_height);

// Each rect aligned with align_to_chroma, empty ones dropped, overlapping ones merged into
// their bounding box (repeatedly), so that no pixel is rasterised twice.
[[nodiscard]] std::vector<OverlayRect> normalize_regions(std::span<const OverlayRect> rects, int frame_width,
                                                         int frame_height);
// Overlapping rects merged into their bounding box, repeatedly, until no two overlap (also the
// studio window's redraw regions, ui/window/redraw_gate.h).
[[nodiscard]] std::vector<OverlayRect> merge_overlapping(std::vector<OverlayRect> rects);

// An SDL texture owned by (and valid only while) the rasteriser that uploaded it.
class OverlayTexture {
 public:
  OverlayTexture() = default;
  [[nodiscard]] void* id() const { return texture_.get(); }  // an ImTextureID
  [[nodiscard]] int width() const { return width_; }
  [[nodiscard]] int height() const { return height_; }
  [[nodiscard]] explicit operator bool() const { return texture_ != nullptr; }

 private:
  friend class OverlayRasterizer;
  struct Deleter {
    void operator()(SDL_Texture* texture) const noexcept;
  };
  std::unique_ptr<SDL_Texture, Deleter> texture_;
  int width_ = 0;
  int height_ = 0;
};

// Not thread-safe: use from one thread. Every ImGui call goes through ImGuiContextGuard, so
// another thread may run its own ImGui context meanwhile. Textures it uploads must be destroyed
// before it.
class OverlayRasterizer {
 public:
  using DrawFn = std::function<void(ImDrawList& draw_list)>;

  // `fonts` must outlive the rasteriser and be built before the first render().
  OverlayRasterizer(int width, int height, ImFontAtlas& fonts);
  ~OverlayRasterizer();
  OverlayRasterizer(const OverlayRasterizer&) = delete;
  OverlayRasterizer& operator=(const OverlayRasterizer&) = delete;

  [[nodiscard]] int width() const { return width_; }
  [[nodiscard]] int height() const { return height_; }
  [[nodiscard]] ImGuiContext* context() const { return context_; }

  // (Re-)uploads the font atlas texture; call after every build of the atlas.
  void upload_fonts();

  // Uploads a straight-alpha RGBA picture as is: SDL's blend expects straight alpha, so it is
  // not premultiplied here. Drawn 1:1 (AddImage with its exact pixel size at integer
  // coordinates) it is copied texel for texel; scaled, SDL samples nearest-neighbour, so
  // pictures should be scaled to their box beforehand. Empty image: an empty texture.
  [[nodiscard]] OverlayTexture upload(const RgbaImage& image);

  // Runs `draw` on the background draw list of one ImGui frame and rasterises the result,
  // clipped to `regions` (normalised with normalize_regions), into `layer`. The layer's
  // buffer is reused: only the regions of its previous content and the new regions are
  // touched, so pass the same layer again to avoid reallocating 4 bytes per pixel.
  void render(std::span<const OverlayRect> regions, const DrawFn& draw, RgbaLayer& layer);
  [[nodiscard]] RgbaLayer render(std::span<const OverlayRect> regions, const DrawFn& draw);

  // Rasterises `draw` within (0,0)-(width,height) once and returns the result as a texture, so
  // that shapes SDL draws slowly (rounded corners and circles go through its per-triangle path)
  // cost one blit per frame afterwards. Drawn back 1:1 it reproduces the pixels within ±1.
  [[nodiscard]] OverlayTexture bake(int width, int height, const DrawFn& draw);

 private:
  // Clears what the last pass drew, rasterises `draw` clipped to `regions` (normalised).
  void raster(const std::vector<OverlayRect>& regions, const DrawFn& draw);

  struct SurfaceDeleter {
    void operator()(SDL_Surface* surface) const noexcept;
  };
  struct RendererDeleter {
    void operator()(SDL_Renderer* renderer) const noexcept;
  };

  int width_;
  int height_;
  std::unique_ptr<SDL_Surface, SurfaceDeleter> surface_;
  std::unique_ptr<SDL_Renderer, RendererDeleter> renderer_;
  ImGuiContext* context_ = nullptr;
  std::vector<OverlayRect> drawn_;  // where the surface holds pixels now (all else is zero)
};

}  // namespace cunbo::ui
