// What SDL says about the display, for window_fit.h's policy, and the window fitted to it.
// UI thread; SDL's video subsystem initialised.
#pragma once

#include <SDL.h>

#include "ui/window/window_fit.h"

namespace cunbo::ui {

// The usable bounds and DPI of `display_index` (zeros where SDL has no answer, e.g. the dummy
// driver's DPI).
[[nodiscard]] DisplayArea query_display(int display_index);

// Renderer output pixels per window coordinate (1 unless the system scales windows itself).
[[nodiscard]] float pixel_ratio(SDL_Window* window, SDL_Renderer* renderer);

// Once the window is shown and its frame (title bar, borders) is known: a window that is not
// maximised is moved and shrunk so that frame and all lie inside `display`'s usable area.
void keep_frame_inside(SDL_Window* window, const DisplayArea& display);

}  // namespace cunbo::ui
