// The one way a picture is fitted into a box: the largest size inside the box with the
// picture's aspect, converted to RGBA by libswscale with bicubic filtering, accurate rounding
// and full chroma interpolation (product photos are looked at closely; speed does not matter
// at card size). Used for decoded product pictures and for the overlay's card picture.
// Pure; any thread. FFmpeg's headers stay out of this one (AVFrame is only named).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

struct AVFrame;

namespace cunbo {

// Tightly packed RGBA rows (width * 4 bytes each), straight (not premultiplied) alpha.
struct RgbaImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;
  bool placeholder = false;  // the picture could not be had: this is the neutral tile
};

// A decoded picture (any pixel format libswscale reads; JPEG's "yuvj" formats are read as
// full range) fitted inside box_w x box_h. nullopt when libswscale cannot convert it.
[[nodiscard]] std::optional<RgbaImage> fit_image(const AVFrame& picture, int box_w, int box_h);

// An RGBA picture fitted inside box_w x box_h; one that already fits exactly is copied as is.
// Straight alpha is scaled as it is: product photos are opaque. nullopt when `picture` is
// empty or its pixels are fewer than its size says.
[[nodiscard]] std::optional<RgbaImage> fit_image(const RgbaImage& picture, int box_w, int box_h);

}  // namespace cunbo
