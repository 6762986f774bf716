#include "ui/window/window_layout.h"

#include <algorithm>
#include <cmath>

namespace cunbo::ui {

Layout layout_for(float w, float h, size_t health_lines) {
  constexpr float m = 8;
  constexpr float top_h = 52;
  constexpr float mic_w = 236;
  Layout l;
  l.top = {0, 0, w, top_h};
  const float right_w = std::clamp(std::floor(w * 0.4f), 380.0f, 620.0f);
  const float left_w = w - right_w - 3 * m;
  const float preview_h = std::floor(left_w * 9.0f / 16.0f);
  float y = top_h + m;
  l.preview = {m, y, left_w, preview_h};
  y += preview_h + m;
  const float controls_h = 98 + 40 * static_cast<float>(std::clamp<size_t>(health_lines, 1, 3));
  l.controls = {m, y, left_w - mic_w - m, controls_h};
  l.mic = {m + left_w - mic_w, y, mic_w, controls_h};
  y += controls_h + m;
  l.comments = {m, y, left_w, std::max(60.0f, h - y - m)};
  const float rx = m + left_w + m;
  const float products_h = std::floor((h - top_h - 3 * m) * 0.56f);
  l.products = {rx, top_h + m, right_w, products_h};
  l.orders = {rx, top_h + 2 * m + products_h, right_w, h - (top_h + 2 * m + products_h) - m};
  return l;
}

}  // namespace cunbo::ui
