#include "ui/overlay/overlay_rasterizer.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdlrenderer.h>

#include "ui/overlay/imgui_guard.h"

namespace cunbo::ui {

namespace {

int floor_even(int v) { return v >= 0 ? v & ~1 : -((-v + 1) & ~1); }
int ceil_even(int v) { return v >= 0 ? (v + 1) & ~1 : -((-v) & ~1); }

bool overlap(const OverlayRect& a, const OverlayRect& b) {
  return a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom();
}

OverlayRect bounding_box(const OverlayRect& a, const OverlayRect& b) {
  const int x = std::min(a.x, b.x);
  const int y = std::min(a.y, b.y);
  return {x, y, std::max(a.right(), b.right()) - x, std::max(a.bottom(), b.bottom()) - y};
}

void zero_rect(uint8_t* pixels, size_t pitch, const OverlayRect& r) {
  for (int row = r.y; row < r.bottom(); ++row) {
    std::memset(pixels + static_cast<size_t>(row) * pitch + static_cast<size_t>(r.x) * 4, 0, static_cast<size_t>(r.w) * 4);
  }
}

}  // namespace

OverlayRect align_to_chroma(const OverlayRect& rect, int frame_width, int frame_height) {
  if (rect.empty()) return {};
  const int x0 = std::max(0, floor_even(rect.x));
  const int y0 = std::max(0, floor_even(rect.y));
  const int x1 = std::min(frame_width, ceil_even(rect.right()));
  const int y1 = std::min(frame_height, ceil_even(rect.bottom()));
  if (x1 <= x0 || y1 <= y0) return {};
  return {x0, y0, x1 - x0, y1 - y0};
}

std::vector<OverlayRect> normalize_regions(std::span<const OverlayRect> rects, int frame_width, int frame_height) {
  std::vector<OverlayRect> result;
  for (const OverlayRect& rect : rects) {
    const OverlayRect aligned = align_to_chroma(rect, frame_width, frame_height);
    if (!aligned.empty()) result.push_back(aligned);
  }
  return merge_overlapping(std::move(result));
}

std::vector<OverlayRect> merge_overlapping(std::vector<OverlayRect> rects) {
  // A merged box can overlap a third one: repeat until no two overlap.
  for (bool merged = true; merged;) {
    merged = false;
    for (size_t i = 0; i < rects.size() && !merged; ++i) {
      for (size_t j = i + 1; j < rects.size(); ++j) {
        if (!overlap(rects[i], rects[j])) continue;
        rects[i] = bounding_box(rects[i], rects[j]);
        rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(j));
        merged = true;
        break;
      }
    }
  }
  return rects;
}

void OverlayTexture::Deleter::operator()(SDL_Texture* texture) const noexcept { SDL_DestroyTexture(texture); }
void OverlayRasterizer::SurfaceDeleter::operator()(SDL_Surface* surface) const noexcept { SDL_FreeSurface(surface); }
void OverlayRasterizer::RendererDeleter::operator()(SDL_Renderer* renderer) const noexcept {
  SDL_DestroyRenderer(renderer);
}

OverlayRasterizer::OverlayRasterizer(int width, int height, ImFontAtlas& fonts) : width_(width), height_(height) {
  if (width <= 0 || height <= 0) throw std::invalid_argument("overlay size must be positive");
  surface_.reset(SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_RGBA32));
  if (!surface_) throw std::runtime_error(std::string("SDL_CreateRGBSurfaceWithFormat: ") + SDL_GetError());
  std::memset(surface_->pixels, 0, static_cast<size_t>(surface_->pitch) * static_cast<size_t>(height));
  renderer_.reset(SDL_CreateSoftwareRenderer(surface_.get()));
  if (!renderer_) throw std::runtime_error(std::string("SDL_CreateSoftwareRenderer: ") + SDL_GetError());

  context_ = create_imgui_context(&fonts);
  const ImGuiContextGuard guard(context_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // an offscreen context has no windows to remember
  io.LogFilename = nullptr;
  io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
  ImGui_ImplSDLRenderer_Init(renderer_.get());
}

OverlayRasterizer::~OverlayRasterizer() {
  {
    const ImGuiContextGuard guard(context_);
    ImGui_ImplSDLRenderer_Shutdown();
  }
  destroy_imgui_context(context_);
}

void OverlayRasterizer::upload_fonts() {
  const ImGuiContextGuard guard(context_);
  ImGui_ImplSDLRenderer_DestroyFontsTexture();
  ImGui_ImplSDLRenderer_CreateFontsTexture();
}

OverlayTexture OverlayRasterizer::upload(const RgbaImage& image) {
  OverlayTexture result;
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() < static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 4) {
    return result;
  }
  result.texture_.reset(
      SDL_CreateTexture(renderer_.get(), SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC, image.width, image.height));
  if (!result.texture_) return result;
  SDL_UpdateTexture(result.texture_.get(), nullptr, image.pixels.data(), image.width * 4);
  SDL_SetTextureBlendMode(result.texture_.get(), SDL_BLENDMODE_BLEND);
  result.width_ = image.width;
  result.height_ = image.height;
  return result;
}

void OverlayRasterizer::raster(const std::vector<OverlayRect>& regions, const DrawFn& draw) {
  auto* const pixels = static_cast<uint8_t*>(surface_->pixels);
  const auto pitch = static_cast<size_t>(surface_->pitch);

  // Only what the previous pass drew is non-zero on the surface: erase just that.
  for (const OverlayRect& r : drawn_) zero_rect(pixels, pitch, r);
  drawn_ = regions;

  if (!regions.empty()) {
    const ImGuiContextGuard guard(context_);
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(width_), static_cast<float>(height_));
    io.DeltaTime = 1.0f / 30.0f;
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui::NewFrame();
    draw(*ImGui::GetBackgroundDrawList());
    ImGui::Render();
    ImDrawData* data = ImGui::GetDrawData();

    // One pass of the stock backend per region, every command's clip rectangle narrowed to the
    // region: nothing lands outside the regions, and (regions being disjoint) nothing twice.
    std::vector<ImVec4> clips;
    for (int n = 0; n < data->CmdListsCount; ++n) {
      for (const ImDrawCmd& cmd : data->CmdLists[n]->CmdBuffer) clips.push_back(cmd.ClipRect);
    }
    for (const OverlayRect& r : regions) {
      size_t i = 0;
      for (int n = 0; n < data->CmdListsCount; ++n) {
        for (ImDrawCmd& cmd : data->CmdLists[n]->CmdBuffer) {
          const ImVec4& clip = clips[i++];
          // An empty intersection makes the backend skip the command.
          cmd.ClipRect = ImVec4(std::max(clip.x, static_cast<float>(r.x)), std::max(clip.y, static_cast<float>(r.y)),
                                std::min(clip.z, static_cast<float>(r.right())),
                                std::min(clip.w, static_cast<float>(r.bottom())));
        }
      }
      ImGui_ImplSDLRenderer_RenderDrawData(data);
    }
  }
  SDL_RenderFlush(renderer_.get());
}

void OverlayRasterizer::render(std::span<const OverlayRect> regions_in, const DrawFn& draw, RgbaLayer& layer) {
  const std::vector<OverlayRect> regions = normalize_regions(regions_in, width_, height_);
  raster(regions, draw);
  const auto* const pixels = static_cast<const uint8_t*>(surface_->pixels);
  const auto pitch = static_cast<size_t>(surface_->pitch);

  const size_t frame_bytes = static_cast<size_t>(width_) * static_cast<size_t>(height_) * 4;
  if (layer.width != width_ || layer.height != height_ || layer.rgba.size() != frame_bytes) {
    layer.width = width_;
    layer.height = height_;
    layer.rgba.assign(frame_bytes, 0);
  } else {
    for (const OverlayRect& r : layer.regions) zero_rect(layer.rgba.data(), static_cast<size_t>(width_) * 4, r);
  }
  const size_t layer_pitch = static_cast<size_t>(width_) * 4;
  for (const OverlayRect& r : regions) {
    for (int row = r.y; row < r.bottom(); ++row) {
      std::memcpy(layer.rgba.data() + static_cast<size_t>(row) * layer_pitch + static_cast<size_t>(r.x) * 4,
                  pixels + static_cast<size_t>(row) * pitch + static_cast<size_t>(r.x) * 4, static_cast<size_t>(r.w) * 4);
    }
  }
  layer.regions = regions;
}

RgbaLayer OverlayRasterizer::render(std::span<const OverlayRect> regions, const DrawFn& draw) {
  RgbaLayer layer;
  render(regions, draw, layer);
  return layer;
}

OverlayTexture OverlayRasterizer::bake(int width, int height, const DrawFn& draw) {
  const int w = std::min(width, width_);
  const int h = std::min(height, height_);
  if (w <= 0 || h <= 0) return {};
  raster({OverlayRect{0, 0, w, h}}, draw);
  // The surface holds premultiplied pixels; SDL blends textures as straight alpha.
  RgbaImage image;
  image.width = w;
  image.height = h;
  image.pixels.resize(static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
  const auto* const pixels = static_cast<const uint8_t*>(surface_->pixels);
  const auto pitch = static_cast<size_t>(surface_->pitch);
  for (int y = 0; y < h; ++y) {
    const uint8_t* src = pixels + static_cast<size_t>(y) * pitch;
    uint8_t* dst = image.pixels.data() + static_cast<size_t>(y) * static_cast<size_t>(w) * 4;
    for (int x = 0; x < w * 4; x += 4) {
      const unsigned a = src[x + 3];
      for (int c = 0; c < 3; ++c) {
        dst[x + c] = a == 0 ? 0 : static_cast<uint8_t>(std::min(255u, (src[x + c] * 255u + a / 2) / a));
      }
      dst[x + 3] = static_cast<uint8_t>(a);
    }
  }
  return upload(image);
}

}  // namespace cunbo::ui
