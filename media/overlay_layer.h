// The showcase overlay (product card, order banner) ready to be burned into the stream: the
// premultiplied RGBA layer the overlay thread rasterises, converted once to premultiplied
// planar YUVA in the output's matrix (limited range), so that blending it into each yuv420p
// output frame is one multiply-add per sample, only where the layer is not transparent.
//
// The conversion (the constructor) runs on the overlay's thread, once per re-raster; the blend
// (blend_into) on the video thread, every frame.
//
// Thread-safety: immutable once built (set the version before sharing it); every const member
// may be called from any number of threads at once. Share it as shared_ptr<const OverlayLayer>
// (see OverlaySlot).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "media/av.h"

namespace cunbo {

// Where the layer is not transparent. The rasteriser aligns them to even coordinates and clips
// them to the frame; the layer also accepts them unaligned (grown outward to even coordinates,
// since 4:2:0 chroma covers 2x2 blocks), partly outside the frame (clipped) or overlapping.
struct OverlayRect {
  int x = 0;
  int y = 0;
  int w = 0;
  int h = 0;

  [[nodiscard]] bool empty() const { return w <= 0 || h <= 0; }
  [[nodiscard]] int right() const { return x + w; }
  [[nodiscard]] int bottom() const { return y + h; }
  [[nodiscard]] bool contains(int px, int py) const { return px >= x && px < x + w && py >= y && py < y + h; }
  friend bool operator==(const OverlayRect&, const OverlayRect&) = default;
};

class OverlayLayer {
 public:
  // `rgba`: premultiplied RGBA rows of width*4 bytes, `stride` bytes apart. Outside `regions`
  // the layer must be (0,0,0,0); only the regions are read. `colorspace`: the output's matrix,
  // AVCOL_SPC_BT709 or BT.601 (AVCOL_SPC_SMPTE170M / AVCOL_SPC_BT470BG; anything else is taken
  // as BT.601, as the compositor does). Bad arguments (no pixels, stride too small, size not
  // positive) give an empty layer and a log line.
  OverlayLayer(int width, int height, const uint8_t* rgba, std::ptrdiff_t stride, std::vector<OverlayRect> regions,
               AVColorSpace colorspace);
  // The same with tightly packed rows (rgba.size() must be at least width*height*4).
  OverlayLayer(int width, int height, std::span<const uint8_t> rgba, std::vector<OverlayRect> regions,
               AVColorSpace colorspace);

  // Blends the layer into `frame`: dst = dst*(1-a) + contribution, per sample, inside the
  // regions only (every other byte of the frame is left as it was, and so are the transparent
  // parts of the regions). `frame` must be yuv420p of the layer's size and writable; any other
  // frame is left untouched (logged once per process). Writes only to `frame`.
  void blend_into(AVFrame& frame) const;
  // The same, first saving every sample it changes into `under` (blended_samples() of them;
  // none when it draws nothing), so that restore() can take the frame back to what it was.
  void blend_into(AVFrame& frame, std::vector<uint8_t>& under) const;
  // Undoes blend_into(frame, under) on that frame or on an exact copy of it: writes the saved
  // samples back. `under` must come from this layer; anything else is ignored.
  void restore(AVFrame& frame, std::span<const uint8_t> under) const;

  // A new yuv420p frame: `background` (yuv420p, the layer's size) with the layer blended in;
  // `background` itself is not modified. Null when the background does not fit. For tests
  // that check what viewers see (a source of another size or format: Compositor::compose).
  [[nodiscard]] av::Frame to_yuv_over(const AVFrame& background) const;

  // Whether blend_into draws on `frame` (yuv420p of the layer's size) / on frames of that
  // size. Logs once per process when not.
  [[nodiscard]] bool fits(const AVFrame& frame) const;
  [[nodiscard]] bool fits(int width, int height) const;

  // Nothing to blend: no region, or every pixel of them transparent.
  [[nodiscard]] bool empty() const { return luma_runs_.empty() && chroma_runs_.empty(); }
  // The regions as used: grown to even coordinates and clipped to the frame, empty ones dropped.
  [[nodiscard]] const std::vector<OverlayRect>& regions() const { return regions_; }
  [[nodiscard]] int width() const { return width_; }
  [[nodiscard]] int height() const { return height_; }
  [[nodiscard]] AVColorSpace colorspace() const { return colorspace_; }

  // A serial number of the producer's choosing (e.g. a re-raster counter), 0 unless set. Set
  // it before the layer is shared: it is not synchronised.
  [[nodiscard]] uint64_t version() const { return version_; }
  void set_version(uint64_t version) { version_ = version; }

  // Samples blended per frame (luma + both chroma planes), transparent ones skipped: the cost.
  [[nodiscard]] std::size_t blended_samples() const { return luma_alpha_.size() + 2 * chroma_alpha_.size(); }

 private:
  // A horizontal run of samples of one plane row with something to blend; its `count`
  // contributions and alphas are at `offset` in the plane's arrays.
  struct Run {
    int row = 0;
    int x = 0;
    int count = 0;
    std::size_t offset = 0;
  };

  void convert(const uint8_t* rgba, std::ptrdiff_t stride);
  // Calls visit(samples, alpha, premul, count) for every run of every plane of `frame`, in one
  // fixed order: luma, then U and V of each chroma run.
  template <typename Visit>
  void visit_runs(AVFrame& frame, Visit&& visit) const;

  int width_ = 0;
  int height_ = 0;
  AVColorSpace colorspace_ = AVCOL_SPC_SMPTE170M;
  uint64_t version_ = 0;
  std::vector<OverlayRect> regions_;
  // Luma: per pixel alpha (0-255) and Y*alpha (0-255*235), i.e. the premultiplied contribution
  // in units of 1/255 of a code value.
  std::vector<Run> luma_runs_;
  std::vector<uint8_t> luma_alpha_;
  std::vector<uint16_t> luma_premul_;
  // Chroma: the same per 2x2 block, from the block's average premultiplied colour and alpha.
  std::vector<Run> chroma_runs_;
  std::vector<uint8_t> chroma_alpha_;
  std::vector<uint16_t> u_premul_;
  std::vector<uint16_t> v_premul_;
};

}  // namespace cunbo
