#include "client/platform/image_placeholder.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace cunbo {

RgbaImage make_placeholder(int box_w, int box_h) {
  RgbaImage image;
  image.width = std::clamp(box_w, 1, 4096);
  image.height = std::clamp(box_h, 1, 4096);
  image.placeholder = true;
  image.pixels.assign(static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 4, 0);
  const double w = image.width;
  const double h = image.height;
  const double side = std::min(w, h);
  const double radius = std::max(2.0, side / 10);
  // The pattern: a sun and a mountain in a darker grey, centred, half the tile's short side.
  const double cx = w / 2;
  const double cy = h / 2;
  const double s = side / 2;
  const double sun_x = cx + 0.25 * s;
  const double sun_y = cy - 0.25 * s;
  const double sun_r = 0.12 * s;
  const double base_y = cy + 0.3 * s;
  const double peak_x = cx - 0.1 * s;
  const double peak_y = cy - 0.2 * s;
  const double half_base = 0.45 * s;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const double px = x + 0.5;
      const double py = y + 0.5;
      // Rounded corners: coverage from the distance to the nearest corner's centre.
      const double dx = std::max({radius - px, px - (w - radius), 0.0});
      const double dy = std::max({radius - py, py - (h - radius), 0.0});
      const double coverage = std::clamp(radius - std::hypot(dx, dy) + 0.5, 0.0, 1.0);
      uint8_t grey = 228;
      const bool in_sun = std::hypot(px - sun_x, py - sun_y) <= sun_r;
      const bool in_mountain = py <= base_y && py >= peak_y &&
                               std::abs(px - peak_x) <= half_base * (py - peak_y) / (base_y - peak_y);
      if (in_mountain) grey = 188;
      else if (in_sun) grey = 204;
      uint8_t* p = image.pixels.data() + (static_cast<size_t>(y) * static_cast<size_t>(image.width) + static_cast<size_t>(x)) * 4;
      p[0] = p[1] = p[2] = grey;
      p[3] = static_cast<uint8_t>(std::lround(coverage * 255));
    }
  }
  return image;
}

}  // namespace cunbo
