// The preview: the composited picture viewers see (card and banner included), from the
// studio's one-slot latest frame. Each UI frame takes the newest frame if one came and uploads
// it into an IYUV streaming texture; it never waits for one, so a slow window cannot slow the
// stream. Letterboxed in the panel, with the on-air badge and the "what viewers see" hint
// around the picture, never over it; when not live, a calm placeholder says what to do.
#pragma once

#include <cstdint>
#include <memory>

#include "ui/window/studio_panel.h"

struct SDL_Texture;

namespace cunbo::ui {

class PreviewPanel : public StudioPanel {
 public:
  PreviewPanel();
  ~PreviewPanel() override;

  // Takes the newest frame, if any came since the last call, into the texture. Call once per
  // UI frame before the ImGui frame (outside the ImGui lock: the upload takes a few ms). True
  // when the picture changed (a new frame, or none any more).
  bool update(Studio& studio, SDL_Renderer* renderer);

  [[nodiscard]] int64_t frames_shown() const { return frames_shown_; }
  [[nodiscard]] bool has_picture() const { return has_picture_; }

 protected:
  void draw_content() override;
  [[nodiscard]] ImVec2 padding() const override { return {0, 0}; }

 private:
  struct TextureDeleter {
    void operator()(SDL_Texture* texture) const noexcept;
  };
  void draw_placeholder(ImVec2 min, ImVec2 max);

  std::unique_ptr<SDL_Texture, TextureDeleter> texture_;
  int width_ = 0;
  int height_ = 0;
  bool has_picture_ = false;  // the texture holds a frame of the current session (or the idle preview)
  int64_t last_capture_us_ = -1;
  int64_t frames_shown_ = 0;
};

}  // namespace cunbo::ui
