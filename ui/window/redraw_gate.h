// Redraw only what changed. Every UI frame builds ImGui's draw data (about a millisecond); this
// decides whether it needs rasterising at all, and where. On the software renderer (a cheap
// laptop's usual case) rasterising the whole window is most of a frame's cost, and what a host
// sees while live changes in a few places only: the camera picture, the microphone bar, the
// timer once a second, the orders when one comes.
//
// Each ImGui window has its own draw list. A list whose contents (vertices, indices, commands)
// hash the same as in the picture on screen is unchanged; the rectangles of the lists that did
// change (where they are now and where they were), plus the preview's when a new camera picture
// came, are redrawn: every list is rasterised again with its clip rectangles cut down to them,
// over the background, so that what overlaps them (a banner over the preview, a modal's dim)
// comes out as in a whole redraw. A frame with nothing changed is neither drawn nor presented.
// Only a renderer that keeps its picture between presents (the software renderer draws into the
// window's surface) is redrawn in parts; the others are redrawn whole when anything changed.
// UI thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <imgui.h>

#include "media/overlay_layer.h"  // OverlayRect

struct SDL_Renderer;

namespace cunbo::ui {

class RedrawGate {
 public:
  // The renderer keeps what was drawn between presents (the software renderer's window surface).
  void set_backbuffer_kept(bool kept) { backbuffer_kept_ = kept; }
  // What is on screen is gone or stale (a resize, an expose, a new font texture): the next
  // frame is drawn whole.
  void invalidate() { whole_ = true; }

  // Looks at `data` (after ImGui::Render) and decides what to rasterise; false when nothing
  // changed. `picture`: the preview's rectangle when a new camera picture came.
  [[nodiscard]] bool prepare(const ImDrawData& data, std::optional<ImVec4> picture);
  // Rasterises what prepare() found changed (everything after invalidate(), or when the
  // changes cover most of the window), over `background`.
  void render(SDL_Renderer* renderer, ImDrawData& data, ImU32 background);
  // Whether a present is due (something was rendered since the last one); resets it.
  [[nodiscard]] bool take_present();

  // The fraction of the window the last render() rasterised (1: all of it).
  [[nodiscard]] double last_area() const { return last_area_; }

 private:
  struct Shown {
    uint64_t hash = 0;
    ImVec4 rect;  // x0, y0, x1, y1
    bool seen = false;
  };
  void add_dirty(const ImVec4& rect);

  std::unordered_map<std::string, Shown> shown_;  // by the ImGui window that owns the list
  std::vector<OverlayRect> dirty_;  // whole pixels, not overlapping
  ImVec2 display_{0, 0};
  bool whole_ = true;
  bool present_due_ = false;
  bool backbuffer_kept_ = false;
  double last_area_ = 1;
};

// A hash of everything in `list` that decides its pixels: vertices, indices and commands (clip
// rectangles, textures, ranges).
[[nodiscard]] uint64_t draw_list_hash(const ImDrawList& list);

}  // namespace cunbo::ui
