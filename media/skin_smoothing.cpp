#include "media/skin_smoothing.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>

namespace cunbo {

int SkinSmoothing::radius(int level) {
  // The Gaussian this stands for has sigma 0.6 + 0.15 level (0.75 .. 2.1); a box of radius R has
  // sigma sqrt(((2R + 1)^2 - 1) / 12): 0.82, 1.41, 2.0 for R = 1, 2, 3. The nearest is taken.
  const double sigma = 0.6 + 0.15 * std::clamp(level, 0, kMaxLevel);
  int best = 1;
  for (int r = 2; r <= 3; ++r) {
    const auto box_sigma = [](int n) { return std::sqrt(((2.0 * n + 1) * (2.0 * n + 1) - 1) / 12); };
    if (std::abs(box_sigma(r) - sigma) < std::abs(box_sigma(best) - sigma)) best = r;
  }
  return best;
}

void SkinSmoothing::apply(uint8_t* luma, int stride, int width, int height, int level) {
  level = std::min(level, kMaxLevel);
  if (level <= 0 || width <= 0 || height <= 0) return;
  switch (radius(level)) {
    case 1: smooth<1>(luma, stride, width, height, threshold(level)); break;
    case 2: smooth<2>(luma, stride, width, height, threshold(level)); break;
    default: smooth<3>(luma, stride, width, height, threshold(level)); break;
  }
}

template <int R>
void SkinSmoothing::smooth(uint8_t* luma, int stride, int width, int height, int threshold) {
  constexpr int kTaps = 2 * R + 1;
  constexpr uint32_t kArea = kTaps * kTaps;
  constexpr uint16_t kScale = (65536 + kArea / 2) / kArea;  // box sum * kScale >> 16: the mean
  const auto t = static_cast<int16_t>(threshold);
  const size_t padded_width = static_cast<size_t>(width) + 2 * R;
  padded_.resize(padded_width * (static_cast<size_t>(height) + 2 * R));
  const auto padded_row = [&](int y) { return padded_.data() + static_cast<size_t>(y) * padded_width; };

  // The original, edges repeated, so that neither the blur nor the clamp needs a bounds check
  // and the output can go straight back into `luma`.
  for (int y = 0; y < height; ++y) {
    const uint8_t* from = luma + static_cast<std::ptrdiff_t>(y) * stride;
    uint8_t* to = padded_row(y + R);
    std::memcpy(to + R, from, static_cast<size_t>(width));
    std::fill_n(to, R, from[0]);
    std::fill_n(to + R + width, R, from[width - 1]);
  }
  for (int k = 0; k < R; ++k) {
    std::memcpy(padded_row(k), padded_row(R), padded_width);
    std::memcpy(padded_row(R + height + k), padded_row(R + height - 1), padded_width);
  }

  columns_.assign(padded_width, 0);
  uint16_t* columns = columns_.data();
  for (int k = 0; k < kTaps; ++k) {
    const uint8_t* row = padded_row(k);
    for (size_t x = 0; x < padded_width; ++x) columns[x] = static_cast<uint16_t>(columns[x] + row[x]);
  }

  const size_t clamped_width = static_cast<size_t>(width) + 2;
  clamped_.resize(3 * clamped_width);
  // Row y of the clamped picture, its first sample at [0] and its repeated edges at [-1] and [width].
  const auto clamped_row = [&](int y) { return clamped_.data() + static_cast<size_t>(y % 3) * clamped_width + 1; };
  const auto sharpen = [&](int y) {
    const uint8_t* above = clamped_row(std::max(y - 1, 0));
    const uint8_t* middle = clamped_row(y);
    const uint8_t* below = clamped_row(std::min(y + 1, height - 1));
    uint8_t* out = luma + static_cast<std::ptrdiff_t>(y) * stride;
    for (int x = 0; x < width; ++x) {
      const auto around = static_cast<int16_t>((above[x] + below[x] + middle[x - 1] + middle[x + 1] + 2) >> 2);
      const auto sharpened = static_cast<int16_t>(2 * middle[x] - around);
      out[x] = static_cast<uint8_t>(std::clamp(sharpened, int16_t{0}, int16_t{255}));
    }
  };

  for (int y = 0; y < height; ++y) {
    if (y > 0) {  // the window of rows moves down by one
      const uint8_t* entering = padded_row(y + 2 * R);
      const uint8_t* leaving = padded_row(y - 1);
      for (size_t x = 0; x < padded_width; ++x)
        columns[x] = static_cast<uint16_t>(columns[x] + entering[x] - leaving[x]);
    }
    const uint8_t* original = padded_row(y + R) + R;
    uint8_t* clamped = clamped_row(y);
    // In 16 bits throughout (a box sum is at most 49 * 255), so that SSE2 does eight at a time.
    for (int x = 0; x < width; ++x) {
      uint16_t box = kArea / 2;
      for (int k = 0; k < kTaps; ++k) box = static_cast<uint16_t>(box + columns[x + k]);
      const auto blurred = static_cast<int16_t>((static_cast<uint32_t>(box) * kScale) >> 16);
      const auto low = static_cast<int16_t>(original[x] - t), high = static_cast<int16_t>(original[x] + t);
      clamped[x] = static_cast<uint8_t>(std::clamp(blurred, low, high));
    }
    clamped[-1] = clamped[0];
    clamped[width] = clamped[width - 1];
    if (y > 0) sharpen(y - 1);  // its row below is there now
  }
  sharpen(height - 1);
}

}  // namespace cunbo
