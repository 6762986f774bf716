#include "ui/window/redraw_gate.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <SDL.h>
#include <imgui_impl_sdlrenderer.h>

#include "ui/overlay/overlay_rasterizer.h"  // merge_overlapping

namespace cunbo::ui {

namespace {

// Above this share of the window, one whole redraw costs less than the parts.
constexpr double kWholeAbove = 0.6;

// A fast 64-bit mix over whole words (a list holds up to hundreds of kB): not cryptographic,
// only "did anything change".
class Hasher {
 public:
  void add(const void* data, size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    size_t i = 0;
    for (; i + 8 <= size; i += 8) {
      uint64_t word = 0;
      std::memcpy(&word, p + i, 8);
      mix(word);
    }
    uint64_t tail = 0;
    if (i < size) std::memcpy(&tail, p + i, size - i);
    mix(tail ^ (static_cast<uint64_t>(size) << 56));
  }
  [[nodiscard]] uint64_t value() const { return h_; }

 private:
  void mix(uint64_t word) {
    h_ ^= word + 0x9E3779B97F4A7C15ULL + (h_ << 6) + (h_ >> 2);
    h_ *= 0xFF51AFD7ED558CCDULL;
  }
  uint64_t h_ = 0xCBF29CE484222325ULL;
};

ImVec4 united(const ImVec4& a, const ImVec4& b) {
  return {std::min(a.x, b.x), std::min(a.y, b.y), std::max(a.z, b.z), std::max(a.w, b.w)};
}

ImVec4 intersected(const ImVec4& a, const ImVec4& b) {
  const ImVec4 r{std::max(a.x, b.x), std::max(a.y, b.y), std::min(a.z, b.z), std::min(a.w, b.w)};
  if (r.z <= r.x || r.w <= r.y) return {0, 0, 0, 0};  // the backend skips an empty clip
  return r;
}

// Where `list` draws: for each command, the box around its vertices cut to its clip rectangle
// (a window's first command may clip to the whole display while drawing only its frame), all
// within the display.
std::optional<ImVec4> bounds_of(const ImDrawList& list, ImVec2 display) {
  std::optional<ImVec4> bounds;
  const ImDrawVert* vertices = list.VtxBuffer.Data;
  const ImDrawIdx* indices = list.IdxBuffer.Data;
  for (const ImDrawCmd& cmd : list.CmdBuffer) {
    if (cmd.ElemCount == 0 || cmd.UserCallback) continue;
    ImVec4 box(display.x, display.y, 0, 0);
    for (unsigned int i = cmd.IdxOffset; i < cmd.IdxOffset + cmd.ElemCount; ++i) {
      const ImVec2 p = vertices[cmd.VtxOffset + indices[i]].pos;
      box = ImVec4(std::min(box.x, p.x), std::min(box.y, p.y), std::max(box.z, p.x), std::max(box.w, p.y));
    }
    const ImVec4 drawn = intersected(intersected(box, cmd.ClipRect), ImVec4(0, 0, display.x, display.y));
    if (drawn.z <= drawn.x) continue;
    bounds = bounds ? united(*bounds, drawn) : drawn;
  }
  return bounds;
}

void set_color(SDL_Renderer* renderer, ImU32 color) {
  const ImVec4 c = ImGui::ColorConvertU32ToFloat4(color);
  SDL_SetRenderDrawColor(renderer, static_cast<Uint8>(c.x * 255), static_cast<Uint8>(c.y * 255),
                         static_cast<Uint8>(c.z * 255), 0xFF);
}

}  // namespace

uint64_t draw_list_hash(const ImDrawList& list) {
  Hasher h;
  h.add(list.VtxBuffer.Data, static_cast<size_t>(list.VtxBuffer.Size) * sizeof(ImDrawVert));
  h.add(list.IdxBuffer.Data, static_cast<size_t>(list.IdxBuffer.Size) * sizeof(ImDrawIdx));
  for (const ImDrawCmd& cmd : list.CmdBuffer) {
    h.add(&cmd.ClipRect, sizeof cmd.ClipRect);
    const ImTextureID texture = cmd.TextureId;
    h.add(&texture, sizeof texture);
    const unsigned int range[3] = {cmd.VtxOffset, cmd.IdxOffset, cmd.ElemCount};
    h.add(range, sizeof range);
    const bool callback = cmd.UserCallback != nullptr;
    h.add(&callback, sizeof callback);
  }
  return h.value();
}

void RedrawGate::add_dirty(const ImVec4& rect) {
  // Whole pixels: a partly covered pixel is redrawn whole.
  const int x0 = static_cast<int>(std::floor(rect.x));
  const int y0 = static_cast<int>(std::floor(rect.y));
  dirty_.push_back({x0, y0, static_cast<int>(std::ceil(rect.z)) - x0, static_cast<int>(std::ceil(rect.w)) - y0});
}

bool RedrawGate::prepare(const ImDrawData& data, std::optional<ImVec4> picture) {
  dirty_.clear();
  if (data.DisplaySize.x != display_.x || data.DisplaySize.y != display_.y) {
    display_ = data.DisplaySize;
    whole_ = true;
  }
  for (auto& [name, shown] : shown_) shown.seen = false;
  for (int n = 0; n < data.CmdListsCount; ++n) {
    const ImDrawList& list = *data.CmdLists[n];
    const std::optional<ImVec4> bounds = bounds_of(list, display_);
    Shown& shown = shown_[list._OwnerName ? list._OwnerName : ""];
    const uint64_t hash = draw_list_hash(list);
    const ImVec4 rect = bounds.value_or(ImVec4(0, 0, 0, 0));
    if (hash != shown.hash || rect.x != shown.rect.x || rect.y != shown.rect.y || rect.z != shown.rect.z ||
        rect.w != shown.rect.w) {
      if (shown.rect.z > shown.rect.x) add_dirty(shown.rect);  // what it covered goes
      if (bounds) add_dirty(*bounds);
    }
    shown = Shown{hash, rect, true};
  }
  for (auto it = shown_.begin(); it != shown_.end();) {
    if (it->second.seen) {
      ++it;
      continue;
    }
    // A window that is gone (a closed tooltip or banner): what it covered is drawn again.
    if (it->second.rect.z > it->second.rect.x) add_dirty(it->second.rect);
    it = shown_.erase(it);
  }
  if (picture) add_dirty(*picture);
  dirty_ = merge_overlapping(std::move(dirty_));
  return whole_ || !dirty_.empty();
}

void RedrawGate::render(SDL_Renderer* renderer, ImDrawData& data, ImU32 background) {
  double area = 0;
  for (const OverlayRect& r : dirty_) area += static_cast<double>(r.w) * static_cast<double>(r.h);
  const double window_area = static_cast<double>(display_.x) * static_cast<double>(display_.y);
  const bool whole = whole_ || !backbuffer_kept_ || window_area <= 0 || area > kWholeAbove * window_area;
  set_color(renderer, background);
  if (whole) {
    SDL_RenderClear(renderer);
    ImGui_ImplSDLRenderer_RenderDrawData(&data);
    last_area_ = 1;
  } else {
    // Each part: the background, then every list clipped to it (the commands outside are
    // skipped by the backend), in the same order as a whole redraw.
    std::vector<ImVec4> clips;
    for (int n = 0; n < data.CmdListsCount; ++n)
      for (const ImDrawCmd& cmd : data.CmdLists[n]->CmdBuffer) clips.push_back(cmd.ClipRect);
    for (const OverlayRect& part : dirty_) {
      const SDL_Rect fill{part.x, part.y, part.w, part.h};
      const ImVec4 r(static_cast<float>(part.x), static_cast<float>(part.y), static_cast<float>(part.right()),
                     static_cast<float>(part.bottom()));
      SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_NONE);
      SDL_RenderFillRect(renderer, &fill);
      size_t i = 0;
      for (int n = 0; n < data.CmdListsCount; ++n)
        for (ImDrawCmd& cmd : data.CmdLists[n]->CmdBuffer) cmd.ClipRect = intersected(clips[i++], r);
      ImGui_ImplSDLRenderer_RenderDrawData(&data);
    }
    size_t i = 0;
    for (int n = 0; n < data.CmdListsCount; ++n)
      for (ImDrawCmd& cmd : data.CmdLists[n]->CmdBuffer) cmd.ClipRect = clips[i++];
    last_area_ = area / window_area;
  }
  SDL_RenderFlush(renderer);  // SDL queues the commands: rasterise now (the frame stats' "raster")
  whole_ = false;
  present_due_ = true;
}

bool RedrawGate::take_present() {
  const bool due = present_due_;
  present_due_ = false;
  return due;
}

}  // namespace cunbo::ui
