#include "ui/window/window_layout.h"

#include <algorithm>
#include <cmath>

namespace cunbo::ui {

Layout layout_for(float w, float h, size_t health_lines, float scale) {
  const float s = scale;
  const float m = std::round(8 * s);
  const float top_h = std::round(52 * s);
  const float mic_w = std::round(236 * s);
  // Heading and three lines of comments: fewer, and a comment is cut off mid-sentence.
  const float comments_min = std::round(kCommentsMinHeight * s);
  Layout l;
  l.top = {0, 0, w, top_h};
  const float right_w = std::clamp(std::floor(w * 0.4f), std::round(380 * s), std::round(620 * s));
  const float left_w = w - right_w - 3 * m;
  const float controls_h = std::round((98 + 40 * static_cast<float>(std::clamp<size_t>(health_lines, 1, 3))) * s);
  // The preview is as tall as 16:9 of the column allows, less what the controls and the comments
  // under it need: on a short window it gets shorter (the picture letterboxed in it), never the
  // comments.
  const float room = h - top_h - 4 * m - controls_h - comments_min;
  const float preview_h = std::floor(std::max(std::min(left_w * 9.0f / 16.0f, room), 120 * s));
  float y = top_h + m;
  l.preview = {m, y, left_w, preview_h};
  y += preview_h + m;
  l.controls = {m, y, left_w - mic_w - m, controls_h};
  l.mic = {m + left_w - mic_w, y, mic_w, controls_h};
  y += controls_h + m;
  l.comments = {m, y, left_w, std::max(comments_min, h - y - m)};
  const float rx = m + left_w + m;
  const float products_h = std::floor((h - top_h - 3 * m) * 0.56f);
  l.products = {rx, top_h + m, right_w, products_h};
  l.orders = {rx, top_h + 2 * m + products_h, right_w, h - (top_h + 2 * m + products_h) - m};
  return l;
}

}  // namespace cunbo::ui
