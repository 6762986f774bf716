// How big the studio window opens and how large it draws, from what the display says: the
// usable area (the screen less the taskbar or panels, SDL_GetDisplayUsableBounds), its DPI
// (SDL_GetDisplayDPI: 120 at Windows' 125 %, 144 at 150 %) and, where the system scales windows
// itself (a renderer output larger than the window), that ratio. Pure policy on plain inputs, no
// SDL here, so it is unit-tested (tests/ui/window_fit_test.cpp); studio_window.cpp asks SDL.
#pragma once

#include <optional>
#include <string_view>

namespace cunbo::ui {

struct DisplayArea {
  int x = 0, y = 0, w = 0, h = 0;  // the usable bounds; w or h 0 when unknown
  float dpi = 0;                   // diagonal DPI; 0 when the display does not say
};

struct WindowSize {
  int w = 0, h = 0;
};

struct WindowPlan {
  int x = 0, y = 0, w = 0, h = 0;  // the window's client area, in screen coordinates
  bool maximised = false;
};

// The layout is designed for this many pixels at scale 1 and reflows down to it (1280x720 less a
// title bar); a larger scale is taken only as far as the screen still holds this many scaled pixels.
inline constexpr WindowSize kDesignSize{1280, 680};
// Below this the window does not shrink (the controls no longer fit side by side).
inline constexpr WindowSize kMinimumSize{1024, 600};
// Screens up to this size (most village hosts' laptops) open the window maximised: the window
// manager then fits it, title bar and taskbar included, which a computed size cannot.
inline constexpr WindowSize kSmallScreen{1366, 768};

// Where the window opens. `requested` (screenshots: --window-size) wins; without a usable area
// (no display answer) it is kFallback, centred.
inline constexpr WindowSize kFallbackSize{1280, 720};
[[nodiscard]] WindowPlan plan_window(const DisplayArea& display, std::optional<WindowSize> requested);

// The UI scale: fonts, spacing and panel sizes multiply by it. `pixel_ratio` is renderer output
// pixels per window coordinate (above 1 where the system scales windows: that is the scale);
// otherwise the DPI over 96, to the nearest quarter step. Never below 1, and never so large that
// `pixels` (the usable area, in output pixels) holds less than kDesignSize scaled. `override_text`
// (CUNBO_UI_SCALE, e.g. "1.5") wins when it is a number from 1 to 3.
[[nodiscard]] float choose_ui_scale(float dpi, float pixel_ratio, WindowSize pixels, std::string_view override_text);

// "1366x768" → {1366, 768}; nullopt unless both are whole numbers from 320 to 8192.
[[nodiscard]] std::optional<WindowSize> parse_window_size(std::string_view text);

}  // namespace cunbo::ui
