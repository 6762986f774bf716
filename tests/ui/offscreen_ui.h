// What the settings and guide tests share: an offscreen ImGui frame loop drawn like the studio
// window, and a camera and microphones to list.
#pragma once

#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>

#include <SDL.h>
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_impl_sdlrenderer.h>
#include <stb_image_write.h>

#include "client/studio/device_lister.h"
#include "ui/overlay/font_set.h"
#include "ui/overlay/imgui_guard.h"
#include "ui/window/modal_sheet.h"
#include "ui/window/studio_panel.h"

namespace cunbo::ui {

inline DeviceLists fake_devices() {
  DeviceLists lists;
  lists.cameras.push_back({"HD Webcam C270", "v4l2:/dev/video0", {}});
  lists.microphones.push_back({"Built-in Audio Analog Stereo", "pulse:alsa_input.pci.analog-stereo", true, false});
  lists.microphones.push_back({"Monitor of Built-in Audio", "pulse:alsa_output.pci.analog-stereo.monitor", false, true});
  return lists;
}

// An offscreen ImGui frame loop: the SDL software renderer on a 1280x800 RGBA surface and the
// window's font set and style, fed every frame with the text the panels say they draw (as the
// window does).
class OffscreenUi {
 public:
  static constexpr int kWidth = 1280;
  static constexpr int kHeight = 800;

  explicit OffscreenUi(int width = kWidth, int height = kHeight)
      : width_(width), height_(height), fonts_(studio_font_specs()) {
    surface_ = SDL_CreateRGBSurfaceWithFormat(0, width_, height_, 32, SDL_PIXELFORMAT_RGBA32);
    renderer_ = SDL_CreateSoftwareRenderer(surface_);
    fonts_.build();
    context_ = create_imgui_context(&fonts_.atlas());
    const ImGuiContextGuard guard(context_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.DisplaySize = ImVec2(static_cast<float>(width_), static_cast<float>(height_));
    apply_studio_style(ImGui::GetStyle());
    ImGui_ImplSDLRenderer_Init(renderer_);
    ImGui_ImplSDLRenderer_CreateFontsTexture();
  }
  ~OffscreenUi() {
    {
      const ImGuiContextGuard guard(context_);
      ImGui_ImplSDLRenderer_Shutdown();
    }
    destroy_imgui_context(context_);
    SDL_DestroyRenderer(renderer_);
    SDL_FreeSurface(surface_);
  }
  OffscreenUi(const OffscreenUi&) = delete;
  OffscreenUi& operator=(const OffscreenUi&) = delete;

  // One frame: glyphs for `text` first (between frames), then `draw` and the raster.
  void frame(const std::string& text, const std::function<void()>& draw) {
    const ImGuiContextGuard guard(context_);
    if (fonts_.ensure_glyphs(text) || fonts_.needs_build()) {
      fonts_.build();
      ImGui_ImplSDLRenderer_DestroyFontsTexture();
      ImGui_ImplSDLRenderer_CreateFontsTexture();
    }
    ImGui::GetIO().DeltaTime = 1.0f / 30.0f;
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui::NewFrame();
    ImGui::PushFont(fonts_.font(static_cast<size_t>(FontRole::body)));
    draw();
    ImGui::PopFont();
    ImGui::Render();
    SDL_SetRenderDrawColor(renderer_, 0xEC, 0xEE, 0xF1, 255);
    SDL_RenderClear(renderer_);
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    SDL_RenderFlush(renderer_);
  }

  // Saves the last frame as `name`.png under $CUNBO_SCREENSHOT_DIR, if set.
  void screenshot(const std::string& name) const {
    const char* dir = std::getenv("CUNBO_SCREENSHOT_DIR");
    if (!dir || !*dir) return;
    std::filesystem::create_directories(dir);
    const auto path = std::filesystem::path(dir) / (name + ".png");
    EXPECT_NE(stbi_write_png(path.string().c_str(), width_, height_, 4, surface_->pixels, surface_->pitch), 0) << path;
  }

  [[nodiscard]] bool has_cjk_font() const { return fonts_.has_font_file(); }
  // The font set the frames draw with (a UiFrame's).
  [[nodiscard]] FontSet& fonts() { return fonts_; }
  // The window's sheet fonts (valid until the next frame's rebuild).
  [[nodiscard]] SheetLook look() const {
    return {fonts_.font(static_cast<size_t>(FontRole::heading)), fonts_.font(static_cast<size_t>(FontRole::bold)), 1};
  }
  // The last frame's pixel at (x, y), RGB.
  [[nodiscard]] std::array<uint8_t, 3> pixel(int x, int y) const {
    const auto* p = static_cast<const uint8_t*>(surface_->pixels) + y * surface_->pitch + x * 4;
    return {p[0], p[1], p[2]};
  }

 private:
  int width_;
  int height_;
  FontSet fonts_;
  SDL_Surface* surface_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  ImGuiContext* context_ = nullptr;
};

}  // namespace cunbo::ui
