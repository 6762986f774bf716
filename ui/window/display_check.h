// Whether the studio window can appear on a screen here. Decided before SDL is asked where we
// can tell (SDL trying a display server that is not there prints that library's complaints on
// stderr, and its dummy driver would run a window nobody ever sees), and checked again once SDL
// is up. The one place that reads the display's environment variables (Linux; on Windows there
// is always a desktop to ask).
#pragma once

#include <optional>
#include <string>

namespace cunbo::ui {

// Before SDL_Init. `headless` (--screenshot): SDL's dummy driver, always fine. Otherwise points
// SDL at the display server the environment names; nullopt when there may be one, else why
// not (for the log).
[[nodiscard]] std::optional<std::string> prepare_display(bool headless);

// After SDL_Init succeeded: nullopt when SDL found a screen, else why not (for the log).
[[nodiscard]] std::optional<std::string> check_display_found(bool headless);

}  // namespace cunbo::ui
