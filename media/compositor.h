// Turns whatever a source delivers (any size, any pixel format, limited or full range) into
// the output picture: yuv420p at the output size, letterboxed to keep the source's shape.
// Pure transform: runs on the video thread. The overlay blend will live here too.
#pragma once

#include "media/av.h"

namespace cunbo {

class Compositor {
 public:
  Compositor(int width, int height);

  // The output frame for this tick. `source` may be null (nothing captured yet, device lost):
  // the result is black. A source already in the output format and size is passed through
  // without a copy. The returned frame is the caller's; its pts is left unset.
  [[nodiscard]] av::Frame compose(const AVFrame* source);

  [[nodiscard]] int width() const { return width_; }
  [[nodiscard]] int height() const { return height_; }
  // The colour matrix the output uses (BT.709 from 720p up, BT.601 below), limited range.
  [[nodiscard]] AVColorSpace colorspace() const { return colorspace_; }

 private:
  [[nodiscard]] av::Frame new_output_frame() const;
  void fill_black(AVFrame& frame) const;

  int width_;
  int height_;
  AVColorSpace colorspace_;
  av::Sws sws_;
  av::Frame black_;
};

}  // namespace cunbo
