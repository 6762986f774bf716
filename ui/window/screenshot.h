// Saving what the window shows as a PNG (libavcodec's PNG encoder): for `cunbo --screenshot`,
// which tests and documentation use to look at the studio without a display.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

struct SDL_Renderer;

namespace cunbo::ui {

// `rgb`: `height` rows of `width` RGB24 pixels, `pitch` bytes apart. nullopt when written,
// else why not (technical, for the log).
[[nodiscard]] std::optional<std::string> write_png(const std::filesystem::path& path, const uint8_t* rgb, int width,
                                                   int height, int pitch);

// What `renderer` has drawn, read back and written as a PNG to `path`; nullopt when written.
[[nodiscard]] std::optional<std::string> save_screenshot(SDL_Renderer* renderer, const std::filesystem::path& path);

}  // namespace cunbo::ui
