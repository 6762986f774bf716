#include "ui/window/sdl_display.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace cunbo::ui {

DisplayArea query_display(int display_index) {
  DisplayArea area;
  SDL_Rect usable{};
  if (SDL_GetDisplayUsableBounds(display_index, &usable) == 0) {
    area.x = usable.x;
    area.y = usable.y;
    area.w = usable.w;
    area.h = usable.h;
  }
  float ddpi = 0;
  if (SDL_GetDisplayDPI(display_index, &ddpi, nullptr, nullptr) == 0 && ddpi > 0) area.dpi = ddpi;
  spdlog::info("[window] display {}: usable {}x{} at {},{}, {} dpi", display_index, area.w, area.h, area.x, area.y,
               area.dpi);
  return area;
}

float pixel_ratio(SDL_Window* window, SDL_Renderer* renderer) {
  int ww = 0;
  int wh = 0;
  int ow = 0;
  int oh = 0;
  SDL_GetWindowSize(window, &ww, &wh);
  if (SDL_GetRendererOutputSize(renderer, &ow, &oh) != 0 || ww <= 0 || ow <= 0) return 1;
  return static_cast<float>(ow) / static_cast<float>(ww);
}

void keep_frame_inside(SDL_Window* window, const DisplayArea& display) {
  if (display.w <= 0 || display.h <= 0 || (SDL_GetWindowFlags(window) & SDL_WINDOW_MAXIMIZED)) return;
  int top = 0;
  int left = 0;
  int bottom = 0;
  int right = 0;
  if (SDL_GetWindowBordersSize(window, &top, &left, &bottom, &right) != 0) return;  // no frame, or unknown
  if (top + left + bottom + right == 0) return;
  const int w = std::max(display.w - left - right, kMinimumSize.w);
  const int h = std::max(display.h - top - bottom, kMinimumSize.h);
  SDL_SetWindowSize(window, w, h);
  SDL_SetWindowPosition(window, display.x + left, display.y + top);
  spdlog::info("[window] frame {} {} {} {}: the window is {}x{}", top, left, bottom, right, w, h);
}

}  // namespace cunbo::ui
