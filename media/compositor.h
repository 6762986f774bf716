// Turns whatever a source delivers (any size, any pixel format, limited or full range) into
// the output picture: yuv420p at the output size, turned upright when the camera is mounted
// sideways, then framed (media/framing.h): cropped to fill the frame, or whole over a blurred,
// darkened copy of itself where a picture of another shape leaves room. Then burns the showcase
// overlay in. Pure transform: runs on the video thread (set_framing() from any).
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "media/av.h"
#include "media/framing.h"
#include "media/overlay_layer.h"
#include "media/video_graph.h"

namespace cunbo {

class Compositor {
 public:
  // `colorspace`: the output's matrix. The session passes the camera's own (BT.601 for almost
  // every webcam and MJPEG): converting YUV between matrices takes swscale off its fast path
  // (0.1 → 2.3 ms per 720p frame), for a hue shift nobody sees. RGB sources are converted
  // with it, and so is the overlay (its layers must be built with colorspace()).
  Compositor(int width, int height, AVColorSpace colorspace, Framing framing = {});

  // The host's nudge (zoom, offsets) or another framing, from the next picture on. Any thread.
  void set_framing(const Framing& framing);
  [[nodiscard]] Framing framing() const;

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
  [[nodiscard]] av::Frame compose(av::Frame source, const OverlayLayer* overlay, std::vector<uint8_t>& under) {
    return compose_fitted(fit(std::move(source)), overlay, under);
  }
  // The same for a picture fit() already framed (and the enhancement has worked on): the
  // overlay blended in, nothing turned, mirrored or cropped a second time.
  [[nodiscard]] av::Frame compose_fitted(av::Frame fitted, const OverlayLayer* overlay, std::vector<uint8_t>& under);
  // The source at the output size and format, nothing blended in (black for null): what the
  // enhancement works on before compose() blends the overlay in. A source already in the output
  // format and size is handed back as it is.
  [[nodiscard]] av::Frame fit(av::Frame source) {
    return source && passes_through(*source, framing()) ? std::move(source) : scale(source.get());
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
  // One swscale conversion, rebuilt only when what it converts changes. sws_getCachedContext
  // cannot be used: it never matches the yuvj formats (swscale stores them as their non-j
  // twin), so it would rebuild every frame.
  struct ScaleStep {
    struct Key {
      int width = 0, height = 0, format = -1, out_w = 0, out_h = 0, range = -1, matrix = -1, flags = 0;
      bool operator==(const Key&) const = default;
    } key;
    av::Sws sws;
  };
  [[nodiscard]] av::Frame scale(const AVFrame* source);
  // Already the output's format and size, and upright: used as it is.
  [[nodiscard]] bool passes_through(const AVFrame& source, const Framing& framing) const;
  // Whether `overlay` has something to blend into our frames.
  [[nodiscard]] bool draws(const OverlayLayer* overlay) const;
  [[nodiscard]] av::Frame new_output_frame() const;
  void fill_black(AVFrame& frame) const;
  // `crop` of `source` scaled into `to` (a rect of `out`, a yuv420p limited-range frame in the
  // output's matrix). False when swscale cannot convert the source (logged).
  bool draw(ScaleStep& step, const AVFrame& source, const CropRect& crop, const CropRect& to, AVFrame& out,
            int flags);
  // The room a fitted picture leaves: the source filling the frame, shrunk to a sixteenth,
  // darkened and stretched back up (the stretch is the blur).
  bool draw_backdrop(const AVFrame& source, AVFrame& out);
  // The source turned upright (libavfilter's transpose / hflip+vflip) and mirrored (hflip);
  // null when it cannot be.
  [[nodiscard]] av::Frame rotate(const AVFrame& source, int rotation, bool mirror);

  int width_;
  int height_;
  AVColorSpace colorspace_;
  mutable std::mutex framing_mutex_;
  Framing framing_;  // guarded by framing_mutex_
  // Video thread only.
  ScaleStep main_;
  ScaleStep backdrop_down_;
  ScaleStep backdrop_up_;
  av::Frame backdrop_;  // the shrunk copy, ours alone
  struct RotateKey {
    int width = 0, height = 0, format = -1, rotation = 0;
    bool mirror = false;
    bool operator==(const RotateKey&) const = default;
  } rotate_key_;
  VideoGraph rotate_graph_;
  bool rotate_failed_ = false;
  av::Frame black_;
};

}  // namespace cunbo
