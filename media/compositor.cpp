#include "media/compositor.h"

#include <algorithm>
#include <cstring>
#include <string>

#include <spdlog/spdlog.h>

namespace cunbo {

namespace {

bool is_full_range(const AVFrame& f) {
  switch (f.format) {
    case AV_PIX_FMT_YUVJ420P:
    case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUVJ444P:
    case AV_PIX_FMT_YUVJ440P:
      return true;
    default:
      return f.color_range == AVCOL_RANGE_JPEG;
  }
}

// Full range (0-255) to limited range (16-235 luma, 16-240 chroma) in place: v' = offset +
// (v - centre) * scale / 65536, in 16-bit fixed point so the compiler vectorises it.
constexpr int kLumaScale = 219 * 65536 / 255;
constexpr int kChromaScale = 224 * 65536 / 255;
void to_limited_range(uint8_t* row, int count, int scale, int centre) {
  const int base = centre == 16 ? 16 : 128;
  const int from = centre == 16 ? 0 : 128;
  for (int x = 0; x < count; ++x)
    row[x] = static_cast<uint8_t>(base + (((row[x] - from) * scale + 32768) >> 16));
}

bool is_rgb(int format) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(format));
  return d && (d->flags & AV_PIX_FMT_FLAG_RGB);
}

// `frame` may share its buffers with others (a pass-through source, black_, a frame already
// handed to the encoder and the preview): then this copies them, so that what others hold is
// never written to. A frame nobody else references is left as it is.
bool make_writable(AVFrame& frame) {
  if (const int err = av_frame_make_writable(&frame); err < 0) {
    spdlog::error("[compositor] cannot copy the frame to draw the overlay on: {}", av::error_string(err));
    return false;
  }
  return true;
}

}  // namespace

Compositor::Compositor(int width, int height, AVColorSpace colorspace, Framing framing)
    : width_(width), height_(height),
      colorspace_(colorspace == AVCOL_SPC_BT709 ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M), framing_(framing.clamped()) {
  av::initialise();
  black_ = new_output_frame();
  fill_black(*black_);
}

av::Frame Compositor::new_output_frame() const {
  av::Frame f = av::make_frame();
  f->format = AV_PIX_FMT_YUV420P;
  f->width = width_;
  f->height = height_;
  f->color_range = AVCOL_RANGE_MPEG;
  f->colorspace = colorspace_;
  f->color_primaries = colorspace_ == AVCOL_SPC_BT709 ? AVCOL_PRI_BT709 : AVCOL_PRI_SMPTE170M;
  f->color_trc = colorspace_ == AVCOL_SPC_BT709 ? AVCOL_TRC_BT709 : AVCOL_TRC_SMPTE170M;
  if (av_frame_get_buffer(f.get(), 0) < 0) throw std::bad_alloc();
  return f;
}

void Compositor::fill_black(AVFrame& f) const {
  for (int y = 0; y < f.height; ++y) std::memset(f.data[0] + y * f.linesize[0], 16, static_cast<size_t>(f.width));
  for (int plane = 1; plane < 3; ++plane)
    for (int y = 0; y < (f.height + 1) / 2; ++y)
      std::memset(f.data[plane] + y * f.linesize[plane], 128, static_cast<size_t>((f.width + 1) / 2));
}

bool Compositor::draws(const OverlayLayer* overlay) const {
  return overlay && !overlay->empty() && overlay->fits(width_, height_);
}

void Compositor::set_framing(const Framing& framing) {
  const std::lock_guard lock(framing_mutex_);
  framing_ = framing.clamped();
}

Framing Compositor::framing() const {
  const std::lock_guard lock(framing_mutex_);
  return framing_;
}

bool Compositor::passes_through(const AVFrame& source, const Framing& framing) const {
  return source.format == AV_PIX_FMT_YUV420P && source.width == width_ && source.height == height_ &&
         !is_full_range(source) && framing.rotation == 0 && !framing.mirror &&
         (framing.mode == FramingMode::fit ||
          fill_crop(width_, height_, width_, height_, framing) == CropRect{0, 0, width_, height_});
}

av::Frame Compositor::compose(const AVFrame* source, const OverlayLayer* overlay) {
  av::Frame out = scale(source);
  if (!out || !draws(overlay) || !make_writable(*out)) return out;
  overlay->blend_into(*out);
  return out;
}

av::Frame Compositor::compose_fitted(av::Frame fitted, const OverlayLayer* overlay, std::vector<uint8_t>& under) {
  under.clear();
  av::Frame out = std::move(fitted);
  if (!out || !draws(overlay) || !make_writable(*out)) return out;
  overlay->blend_into(*out, under);
  return out;
}

av::Frame Compositor::recompose(const AVFrame& shown, const OverlayLayer* shown_overlay, std::vector<uint8_t>& under,
                                const OverlayLayer* overlay) {
  av::Frame out = av::ref_frame(&shown);
  if (!out || !make_writable(*out)) return {};
  if (shown_overlay) shown_overlay->restore(*out, under);
  under.clear();
  if (draws(overlay)) overlay->blend_into(*out, under);
  return out;
}

// The source at the output size and format, framed; may share the source's buffers.
av::Frame Compositor::scale(const AVFrame* source) {
  if (!source) return av::ref_frame(black_.get());
  const Framing framing = this->framing();
  if (passes_through(*source, framing)) return av::ref_frame(source);  // already what the encoder wants: no copy

  av::Frame upright;
  if (framing.rotation != 0 || framing.mirror) {
    upright = rotate(*source, framing.rotation, framing.mirror);
    if (upright) source = upright.get();
  }
  av::Frame out = new_output_frame();
  const CropRect whole{0, 0, width_, height_};
  bool drawn = false;
  if (framing.mode == FramingMode::fill) {
    drawn = draw(main_, *source, fill_crop(source->width, source->height, width_, height_, framing), whole, *out,
                 SWS_BILINEAR);
  } else {
    // The whole picture inside the frame, keeping its shape; offsets even for 4:2:0 chroma.
    const double scale =
        std::min(static_cast<double>(width_) / source->width, static_cast<double>(height_) / source->height);
    CropRect to;
    to.w = std::clamp(static_cast<int>(source->width * scale + 0.5) & ~1, 2, width_);
    to.h = std::clamp(static_cast<int>(source->height * scale + 0.5) & ~1, 2, height_);
    to.x = ((width_ - to.w) / 2) & ~1;
    to.y = ((height_ - to.h) / 2) & ~1;
    if ((to.w != width_ || to.h != height_) && !draw_backdrop(*source, *out)) fill_black(*out);
    drawn = draw(main_, *source, {0, 0, source->width, source->height}, to, *out, SWS_BILINEAR);
  }
  return drawn ? std::move(out) : av::ref_frame(black_.get());
}

bool Compositor::draw(ScaleStep& step, const AVFrame& source, const CropRect& crop, const CropRect& to, AVFrame& out,
                      int flags) {
  // The crop as a reference with its planes moved (no copy).
  av::Frame cropped = av::ref_frame(&source);
  if (!cropped) return false;
  if (crop.w != source.width || crop.h != source.height) {
    cropped->crop_left = static_cast<size_t>(crop.x);
    cropped->crop_top = static_cast<size_t>(crop.y);
    cropped->crop_right = static_cast<size_t>(source.width - crop.x - crop.w);
    cropped->crop_bottom = static_cast<size_t>(source.height - crop.y - crop.h);
    if (av_frame_apply_cropping(cropped.get(), AV_FRAME_CROP_UNALIGNED) < 0) return false;
  }
  const AVFrame& in = *cropped;

  // Range and matrix: full-range camera YUV becomes limited range; a YUV source keeps its
  // matrix (see the constructor); RGB is converted with the output's.
  const int dst_matrix = colorspace_ == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_ITU601;
  const int src_matrix = is_rgb(in.format) ? SWS_CS_DEFAULT : dst_matrix;
  const int src_range = is_full_range(in) || is_rgb(in.format) ? 1 : 0;
  // Full-range YUV (MJPEG webcams): swscale's range conversion forces its slow generic path
  // (2.3 ms per 720p frame). Converting the layout only (its fast unscaled path) and the range
  // with two lookup tables afterwards costs a tenth of that.
  const bool range_after = src_range == 1 && !is_rgb(in.format);
  const ScaleStep::Key key{in.width, in.height, in.format, to.w, to.h, src_range, src_matrix, flags};
  if (!step.sws || !(key == step.key)) {
    step.sws.reset(sws_getContext(in.width, in.height, static_cast<AVPixelFormat>(in.format), to.w, to.h,
                                  AV_PIX_FMT_YUV420P, flags, nullptr, nullptr, nullptr));
    if (!step.sws) {
      spdlog::error("[compositor] cannot convert {}x{} {} to the output", in.width, in.height,
                    av_get_pix_fmt_name(static_cast<AVPixelFormat>(in.format)));
      return false;
    }
    sws_setColorspaceDetails(step.sws.get(), sws_getCoefficients(src_matrix), src_range,
                             sws_getCoefficients(dst_matrix), range_after ? 1 : 0, 0, 1 << 16, 1 << 16);
    step.key = key;
  }

  uint8_t* dst[4] = {out.data[0] + to.y * out.linesize[0] + to.x,
                     out.data[1] + (to.y / 2) * out.linesize[1] + to.x / 2,
                     out.data[2] + (to.y / 2) * out.linesize[2] + to.x / 2, nullptr};
  int dst_stride[4] = {out.linesize[0], out.linesize[1], out.linesize[2], 0};
  sws_scale(step.sws.get(), in.data, in.linesize, 0, in.height, dst, dst_stride);
  if (range_after) {
    for (int y = 0; y < to.h; ++y) to_limited_range(dst[0] + y * dst_stride[0], to.w, kLumaScale, 16);
    for (int plane = 1; plane < 3; ++plane)
      for (int y = 0; y < to.h / 2; ++y) to_limited_range(dst[plane] + y * dst_stride[plane], to.w / 2, kChromaScale, 128);
  }
  return true;
}

bool Compositor::draw_backdrop(const AVFrame& source, AVFrame& out) {
  constexpr int kShrink = 16;
  const int small_w = std::max(2, (width_ / kShrink) & ~1);
  const int small_h = std::max(2, (height_ / kShrink) & ~1);
  if (!backdrop_) {
    av::Frame f = av::make_frame();
    if (!f) return false;
    f->format = AV_PIX_FMT_YUV420P;
    f->width = small_w;
    f->height = small_h;
    f->color_range = AVCOL_RANGE_MPEG;
    f->colorspace = colorspace_;
    if (av_frame_get_buffer(f.get(), 0) < 0) return false;
    backdrop_ = std::move(f);
  }
  AVFrame& small = *backdrop_;
  const CropRect filled = fill_crop(source.width, source.height, width_, height_, Framing{FramingMode::fill});
  if (!draw(backdrop_down_, source, filled, {0, 0, small_w, small_h}, small, SWS_AREA)) return false;
  // Darker and a little greyer, so that the picture itself stands out.
  for (int y = 0; y < small_h; ++y) {
    uint8_t* row = small.data[0] + y * small.linesize[0];
    for (int x = 0; x < small_w; ++x) row[x] = static_cast<uint8_t>(16 + (row[x] - 16) * 9 / 16);
  }
  for (int plane = 1; plane < 3; ++plane)
    for (int y = 0; y < small_h / 2; ++y) {
      uint8_t* row = small.data[plane] + y * small.linesize[plane];
      for (int x = 0; x < small_w / 2; ++x) row[x] = static_cast<uint8_t>(128 + (row[x] - 128) * 3 / 4);
    }
  return draw(backdrop_up_, small, {0, 0, small_w, small_h}, {0, 0, width_, height_}, out, SWS_BICUBIC);
}

av::Frame Compositor::rotate(const AVFrame& source, int rotation, bool mirror) {
  const RotateKey key{source.width, source.height, source.format, rotation, mirror};
  if (!(key == rotate_key_)) {
    rotate_key_ = key;
    // Turned half round and mirrored is flipped top to bottom.
    const char* turn = rotation == 90    ? (mirror ? "transpose=clock,hflip" : "transpose=clock")
                       : rotation == 270 ? (mirror ? "transpose=cclock,hflip" : "transpose=cclock")
                       : rotation == 180 ? (mirror ? "vflip" : "hflip,vflip")
                                         : "hflip";
    // transpose takes no packed or 4:2:2 picture (a webcam's YUYV, MJPEG's 4:2:2): libavfilter
    // would convert it to 4:4:4, three full planes to turn and to scale again. 4:2:0 first (its
    // range kept: the compositor converts full range itself) costs a third of that.
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(source.format));
    const bool planar_420 = desc && desc->log2_chroma_w == 1 && desc->log2_chroma_h == 1;
    const std::string chain =
        planar_420 || !desc ? std::string(turn) : std::string("format=pix_fmts=yuv420p|yuvj420p,") + turn;
    rotate_graph_ = VideoGraph::build(source, chain, AV_PIX_FMT_NONE, "compositor");
    rotate_failed_ = !rotate_graph_;
  }
  if (rotate_failed_) return {};
  av::Frame out = rotate_graph_.filter(source, "compositor");
  if (!out) rotate_failed_ = true;  // until the picture changes: shown as the camera gives it
  return out;
}

}  // namespace cunbo
