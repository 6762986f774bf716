#include "ui/window/key_script.h"

#include <charconv>
#include <string>

namespace cunbo::ui {

std::vector<std::pair<int64_t, SDL_Keycode>> parse_key_script(std::string_view text) {
  std::vector<std::pair<int64_t, SDL_Keycode>> keys;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view item = text.substr(start, end - start);
    start = end + 1;
    const size_t colon = item.find(':');
    if (colon == std::string_view::npos) continue;
    int64_t frame = 0;
    const auto [ptr, error] = std::from_chars(item.data(), item.data() + colon, frame);
    if (error != std::errc() || ptr != item.data() + colon) continue;
    const SDL_Keycode key = SDL_GetKeyFromName(std::string(item.substr(colon + 1)).c_str());
    if (key == SDLK_UNKNOWN) continue;
    keys.emplace_back(frame, key);
  }
  return keys;
}

}  // namespace cunbo::ui
