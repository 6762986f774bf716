// Redrawing in parts (ui/window/redraw_gate.h) shows exactly what a whole redraw shows, does
// only the part that changed, and does nothing when nothing changed. Real ImGui frames on SDL's
// software renderer, offscreen.
#include "ui/window/redraw_gate.h"

#include <SDL.h>
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_impl_sdlrenderer.h>

#include <cstring>
#include <functional>
#include <string>

#include "ui/overlay/imgui_guard.h"
#include "ui/window/studio_panel.h"

namespace cunbo::ui {
namespace {

constexpr int kWidth = 640;
constexpr int kHeight = 400;

// Two panels side by side and a banner over the first, like the studio window's.
void draw_scene(const std::string& left_text, const std::string& right_text, bool banner) {
  auto panel = [](const char* id, ImVec2 pos, ImVec2 size, const std::string& text) {
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    ImGui::Begin(id, nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
    ImGui::TextUnformatted(text.c_str());
    ImGui::Button("A button", ImVec2(120, 40));
    ImGui::End();
  };
  panel("##left", ImVec2(8, 8), ImVec2(300, 380), left_text);
  panel("##right", ImVec2(320, 8), ImVec2(312, 380), right_text);
  if (banner) {
    ImGui::SetNextWindowPos(ImVec2(20, 150));
    ImGui::Begin("##banner", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings);
    ImGui::TextUnformatted("A banner over the left panel");
    ImGui::End();
  }
}

class RedrawGateTest : public ::testing::Test {
 protected:
  RedrawGateTest() {
    // One ImGui context (with its own backend and font texture) per renderer: the gate's
    // target and the target of whole redraws.
    for (Target& t : targets_) {
      t.surface = SDL_CreateRGBSurfaceWithFormat(0, kWidth, kHeight, 32, SDL_PIXELFORMAT_RGBA32);
      t.renderer = SDL_CreateSoftwareRenderer(t.surface);
      t.context = create_imgui_context();
      const ImGuiContextGuard guard(t.context);
      ImGuiIO& io = ImGui::GetIO();
      io.IniFilename = nullptr;
      io.DisplaySize = ImVec2(kWidth, kHeight);
      io.Fonts->AddFontDefault();
      apply_studio_style(ImGui::GetStyle());
      ImGui_ImplSDLRenderer_Init(t.renderer);
    }
  }
  ~RedrawGateTest() override {
    for (Target& t : targets_) {
      {
        const ImGuiContextGuard guard(t.context);
        ImGui_ImplSDLRenderer_Shutdown();
      }
      destroy_imgui_context(t.context);
      SDL_DestroyRenderer(t.renderer);
      SDL_FreeSurface(t.surface);
    }
  }

  // One ImGui frame of `scene`, rasterised on target `i` by `raster`.
  void frame(size_t i, const std::function<void()>& scene, const std::function<void(SDL_Renderer*, ImDrawData&)>& raster) {
    const ImGuiContextGuard guard(targets_[i].context);
    ImGui::GetIO().DeltaTime = 1.0f / 30.0f;
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui::NewFrame();
    scene();
    ImGui::Render();
    raster(targets_[i].renderer, *ImGui::GetDrawData());
  }

  // Three frames of `scene` (auto-sized windows settle), the last rasterised whole on target 1.
  void whole(const std::function<void()>& scene) {
    frame(1, scene, [](SDL_Renderer*, ImDrawData&) {});
    frame(1, scene, [](SDL_Renderer*, ImDrawData&) {});
    frame(1, scene, [](SDL_Renderer* r, ImDrawData& data) {
      SDL_SetRenderDrawColor(r, 0xEC, 0xEE, 0xF1, 0xFF);
      SDL_RenderClear(r);
      ImGui_ImplSDLRenderer_RenderDrawData(&data);
      SDL_RenderFlush(r);
    });
  }

  // Through the gate on target 0; whether it drew anything.
  bool gated(const std::function<void()>& scene) {
    bool drew = false;
    frame(0, scene, [&](SDL_Renderer* r, ImDrawData& data) {
      drew = gate_.prepare(data, std::nullopt);
      if (drew) gate_.render(r, data, colors::kBackground);
    });
    return drew;
  }

  [[nodiscard]] int differing_pixels() const {
    int differ = 0;
    for (int y = 0; y < kHeight; ++y) {
      const auto* a = static_cast<const uint8_t*>(targets_[0].surface->pixels) + y * targets_[0].surface->pitch;
      const auto* b = static_cast<const uint8_t*>(targets_[1].surface->pixels) + y * targets_[1].surface->pitch;
      for (int x = 0; x < kWidth * 4; x += 4) differ += std::memcmp(a + x, b + x, 3) != 0 ? 1 : 0;
    }
    return differ;
  }

  struct Target {
    SDL_Surface* surface = nullptr;
    SDL_Renderer* renderer = nullptr;
    ImGuiContext* context = nullptr;
  };
  Target targets_[2];
  RedrawGate gate_;
};

TEST_F(RedrawGateTest, RedrawsOnlyThePanelThatChangedAndShowsWhatAWholeRedrawShows) {
  gate_.set_backbuffer_kept(true);
  // Two frames to settle (ImGui sizes auto-resized windows in the first).
  ASSERT_TRUE(gated([] { draw_scene("Orders: 3", "Comments: 7", true); }));
  (void)gated([] { draw_scene("Orders: 3", "Comments: 7", true); });
  EXPECT_FALSE(gated([] { draw_scene("Orders: 3", "Comments: 7", true); })) << "nothing changed: nothing drawn";

  // The right panel changes: only it is drawn again.
  ASSERT_TRUE(gated([] { draw_scene("Orders: 3", "Comments: 8", true); }));
  EXPECT_LT(gate_.last_area(), 0.6);
  EXPECT_GT(gate_.last_area(), 0.3);
  whole([] { draw_scene("Orders: 3", "Comments: 8", true); });
  EXPECT_EQ(differing_pixels(), 0);

  // The left panel changes under the banner: the banner is drawn over it again.
  ASSERT_TRUE(gated([] { draw_scene("Orders: 4", "Comments: 8", true); }));
  whole([] { draw_scene("Orders: 4", "Comments: 8", true); });
  EXPECT_EQ(differing_pixels(), 0);

  // The banner goes: what it covered comes back.
  ASSERT_TRUE(gated([] { draw_scene("Orders: 4", "Comments: 8", false); }));
  whole([] { draw_scene("Orders: 4", "Comments: 8", false); });
  EXPECT_EQ(differing_pixels(), 0);
}

TEST_F(RedrawGateTest, ARendererThatKeepsNothingIsRedrawnWhole) {
  gate_.set_backbuffer_kept(false);
  ASSERT_TRUE(gated([] { draw_scene("a", "b", false); }));
  ASSERT_TRUE(gated([] { draw_scene("a", "c", false); }));
  EXPECT_EQ(gate_.last_area(), 1.0);
}

}  // namespace
}  // namespace cunbo::ui
