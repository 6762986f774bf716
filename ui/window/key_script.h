// The --keys test hook: keys "pressed" at given frames, fed through the same path as the
// keyboard ("150:F12,160:Return"; SDL key names: F1–F12, Return, Escape, PageUp, PageDown).
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include <SDL.h>

namespace cunbo::ui {

// (frame, key) pairs in the order given. Items that are not "N:KEY" with a key SDL knows are
// skipped.
[[nodiscard]] std::vector<std::pair<int64_t, SDL_Keycode>> parse_key_script(std::string_view text);

}  // namespace cunbo::ui
