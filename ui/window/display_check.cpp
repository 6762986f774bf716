#include "ui/window/display_check.h"

#include <cstdlib>
#include <string_view>

#include <SDL.h>

namespace cunbo::ui {

namespace {

#ifndef _WIN32
bool is_set(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0';
}
#endif

// Drivers that run without showing anything: right for a screenshot, wrong for a host.
bool shows_nothing(std::string_view driver) { return driver == "dummy" || driver == "offscreen" || driver == "evdev"; }

}  // namespace

std::optional<std::string> prepare_display(bool headless) {
  if (headless) {
    SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);  // the same pixels everywhere, no display needed
    return std::nullopt;
  }
#ifdef _WIN32
  return std::nullopt;
#else
  if (const char* chosen = std::getenv("SDL_VIDEODRIVER"); chosen != nullptr && *chosen != '\0') {
    if (shows_nothing(chosen)) return std::string("SDL_VIDEODRIVER=") + chosen + " shows no window";
    return std::nullopt;  // the host's own choice (kmsdrm on a console, ...)
  }
  // libwayland needs XDG_RUNTIME_DIR for a socket name that is not a full path.
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  const bool wayland_usable = wayland != nullptr && *wayland != '\0' && (is_set("XDG_RUNTIME_DIR") || *wayland == '/');
  if (!is_set("DISPLAY") && !wayland_usable) return "no DISPLAY, and no WAYLAND_DISPLAY with XDG_RUNTIME_DIR";
  // Only what the environment names: a DISPLAY that points nowhere then fails quietly.
  if (!wayland_usable) SDL_SetHint(SDL_HINT_VIDEODRIVER, "x11");
  return std::nullopt;
#endif
}

std::optional<std::string> check_display_found(bool headless) {
  const char* driver = SDL_GetCurrentVideoDriver();
  if (driver == nullptr) return "SDL has no video driver";
  if (headless) return std::nullopt;
  if (shows_nothing(driver)) return std::string("SDL chose the ") + driver + " video driver, which shows nothing";
  if (SDL_GetNumVideoDisplays() < 1) return std::string("SDL's ") + driver + " driver found no screen";
  return std::nullopt;
}

}  // namespace cunbo::ui
