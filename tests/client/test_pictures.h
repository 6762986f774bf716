// Real product pictures for the image tests: JPEG, PNG and WebP encoded here with libavcodec,
// written to files, and looked at pixel by pixel.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "media/av.h"
#include "media/image_fit.h"  // RgbaImage

namespace cunbo::test {

// A w x h picture, left half red and right half blue, encoded with `codec_id` (full-range
// YUV 4:4:4 for MJPEG, like a camera's JPEG). Throws if FFmpeg lacks the encoder.
[[nodiscard]] std::vector<uint8_t> encode_picture(AVCodecID codec_id, int w, int h);
// The picture formats platforms serve (PNG, JPEG, WebP) that this FFmpeg can make test pictures
// in: all three on Linux; the Windows build has no WebP encoder (no libwebp), only the decoder.
[[nodiscard]] std::vector<AVCodecID> encodable_picture_formats();

void write_file(const std::filesystem::path& path, const std::vector<uint8_t>& bytes);

[[nodiscard]] inline std::string file_url(const std::filesystem::path& path) { return "file://" + path.string(); }

// Red, green, blue of the pixel at (x, y).
[[nodiscard]] std::array<int, 3> rgb_at(const RgbaImage& image, int x, int y);

}  // namespace cunbo::test
