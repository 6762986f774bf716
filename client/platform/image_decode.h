// Product pictures from bytes to pixels: the size a JPEG, PNG or WebP header declares (read
// without decoding, so that a small file promising an enormous picture is refused first), and
// the decode (libavcodec) fitted to RGBA in the card's box (media/image_fit). Pure; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <variant>

#include "client/platform/image_limits.h"
#include "media/image_fit.h"  // RgbaImage

namespace cunbo {

// The dimensions a JPEG, PNG or WebP header declares (read without decoding), or nullopt
// when the bytes are none of these or too short to tell.
struct ImageHeader {
  enum class Format { jpeg, png, webp };
  Format format = Format::jpeg;
  int width = 0;
  int height = 0;
};
[[nodiscard]] std::optional<ImageHeader> probe_image_header(std::span<const uint8_t> bytes);

// Decodes and scales to fit inside box_w x box_h, keeping the aspect. The header is checked
// against limits.max_dimension before anything is decoded.
[[nodiscard]] std::variant<RgbaImage, ImageError> decode_image(std::span<const uint8_t> bytes, int box_w, int box_h,
                                                              const ImageLimits& limits = {});

}  // namespace cunbo
