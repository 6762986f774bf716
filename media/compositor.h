// Turns whatever a source delivers (any size, any pixel format, limited or full range) into
// the output picture: yuv420p at the output size, letterboxed to keep the source's shape.
// Then burns the showcase overlay in. Pure transform: runs on the video thread.
#pragma once

#include <cstdint>
#include <vector>

#include "media/av.h"
#include "media/overlay_layer.h"

namespace cunbo {

class Compositor {
 public:
  // `colorspace`: the output's matrix. The session passes the camera's own (BT.601 for almost
  // every webcam and MJPEG): converting YUV between matrices takes swscale off its fast path
  // (0.1 → 2.3 ms per 720p frame), for a hue shift nobody sees. RGB sources are converted
  // with it, and so is the overlay (its layers must be built with colorspace()).
  Compositor(int width, int height, AVColorSpace colorspace);

  // The output frame for this tick. `source` may be null (nothing captured yet, device lost):
  // the result is black. `overlay` (null or empty: none) is blended in after scaling; a layer
  // of another size is ignored (logged once). A source already in the output format and size
  // is passed through without a copy when there is no overlay; with one, the picture is copied
  // first: the source's buffer is shared with the preview and is never written to. The
  // returned frame is the caller's; its pts is left unset.
  [[nodiscard]] av::Frame compose(const AVFrame* source, const OverlayLayer* overlay = nullptr);
  // The same for a source handed over (may be null), keeping what the overlay covers: a
  // pass-through source nobody else references is drawn on in place, without the copy.
  // `under` receives the samples the overlay replaced (OverlayLayer::blend_into), for
  // recompose().
  [[nodiscard]] av::Frame compose(av::Frame source, const OverlayLayer* overlay, std::vector<uint8_t>& under);
  // The source at the output size and format, nothing blended in (black for null): what the
  // enhancement works on before compose() blends the overlay in. A source already in the output
  // format and size is handed back as it is.
  [[nodiscard]] av::Frame fit(av::Frame source) {
    return source && passes_through(*source) ? std::move(source) : scale(source.get());
  }
  // What compose() returned (`shown`, drawn with `shown_overlay`, which left `under`) with
  // `overlay` instead: the same picture under another overlay, for a tick that repeats the
  // source's last picture. Always a new frame (`shown` is not modified); `under` is updated.
  // Null when there is no memory for the copy (logged); `under` is then unchanged.
  [[nodiscard]] av::Frame recompose(const AVFrame& shown, const OverlayLayer* shown_overlay,
                                    std::vector<uint8_t>& under, const OverlayLayer* overlay);

  [[nodiscard]] int width() const { return width_; }
  [[nodiscard]] int height() const { return height_; }
  // The colour matrix the output uses (BT.709 or BT.601), limited range.
  [[nodiscard]] AVColorSpace colorspace() const { return colorspace_; }

 private:
  [[nodiscard]] av::Frame scale(const AVFrame* source);
  // Already the output's format and size: used as it is.
  [[nodiscard]] bool passes_through(const AVFrame& source) const;
  // Whether `overlay` has something to blend into our frames.
  [[nodiscard]] bool draws(const OverlayLayer* overlay) const;
  [[nodiscard]] av::Frame new_output_frame() const;
  void fill_black(AVFrame& frame) const;

  int width_;
  int height_;
  AVColorSpace colorspace_;
  av::Sws sws_;
  // What sws_ was made for. sws_getCachedContext cannot be used: it never matches the yuvj
  // formats (swscale stores them as their non-j twin), so it would rebuild every frame.
  struct SwsKey {
    int width = 0, height = 0, format = -1, fit_w = 0, fit_h = 0, range = -1, matrix = -1;
    bool operator==(const SwsKey&) const = default;
  } sws_key_;
  av::Frame black_;
};

}  // namespace cunbo
