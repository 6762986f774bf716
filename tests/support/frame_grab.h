// Whole pictures out of a recording, decoded with libavcodec as a player would, and the
// comparisons a viewer's eye makes (PSNR over a region, or everywhere but a region).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "media/av.h"

namespace cunbo::test {

struct PixelRect {
  int x = 0, y = 0, w = 0, h = 0;
  [[nodiscard]] bool contains(int px, int py) const { return px >= x && px < x + w && py >= y && py < y + h; }
};

// A yuv420p picture, planes tightly packed.
struct YuvPicture {
  int width = 0;
  int height = 0;
  double pts_s = 0;
  AVColorSpace colorspace = AVCOL_SPC_UNSPECIFIED;
  std::vector<uint8_t> y, u, v;

  [[nodiscard]] av::Frame to_frame() const;  // a writable copy as an AVFrame
  [[nodiscard]] static YuvPicture from_frame(const AVFrame& frame, double pts_s = 0);
};

// Decodes the first video stream and keeps the pictures whose pts `want` accepts, in
// presentation order. Throws std::runtime_error when the file cannot be read.
[[nodiscard]] std::vector<YuvPicture> decode_pictures(const std::filesystem::path& path,
                                                      const std::function<bool(double pts_s)>& want);

// PSNR (dB, all three planes weighted by sample count) between two pictures of one size,
// over the samples inside `region` (inside = true) or outside it. 99 when identical.
[[nodiscard]] double psnr(const YuvPicture& a, const YuvPicture& b, const PixelRect& region, bool inside);

// The share (0..1) of luma samples inside `region` that differ by more than `threshold` code
// values: how much of a region something visibly covers, however faint the rest of it is.
[[nodiscard]] double changed_share(const YuvPicture& a, const YuvPicture& b, const PixelRect& region, int threshold);

}  // namespace cunbo::test
