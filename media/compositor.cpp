#include "media/compositor.h"

#include <algorithm>
#include <cstring>

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

Compositor::Compositor(int width, int height, AVColorSpace colorspace)
    : width_(width), height_(height),
      colorspace_(colorspace == AVCOL_SPC_BT709 ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M) {
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

bool Compositor::passes_through(const AVFrame& source) const {
  return source.format == AV_PIX_FMT_YUV420P && source.width == width_ && source.height == height_ &&
         !is_full_range(source);
}

av::Frame Compositor::compose(const AVFrame* source, const OverlayLayer* overlay) {
  av::Frame out = scale(source);
  if (!out || !draws(overlay) || !make_writable(*out)) return out;
  overlay->blend_into(*out);
  return out;
}

av::Frame Compositor::compose(av::Frame source, const OverlayLayer* overlay, std::vector<uint8_t>& under) {
  under.clear();
  av::Frame out = source && passes_through(*source) ? std::move(source) : scale(source.get());
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

// The source at the output size and format, letterboxed; may share the source's buffers.
av::Frame Compositor::scale(const AVFrame* source) {
  if (!source) return av::ref_frame(black_.get());
  if (passes_through(*source)) return av::ref_frame(source);  // already what the encoder wants: no copy

  // Fit the source inside the output, keeping its shape; offsets even for 4:2:0 chroma.
  const double scale = std::min(static_cast<double>(width_) / source->width, static_cast<double>(height_) / source->height);
  const int fit_w = std::clamp(static_cast<int>(source->width * scale + 0.5) & ~1, 2, width_);
  const int fit_h = std::clamp(static_cast<int>(source->height * scale + 0.5) & ~1, 2, height_);
  const int off_x = ((width_ - fit_w) / 2) & ~1;
  const int off_y = ((height_ - fit_h) / 2) & ~1;

  av::Frame out = new_output_frame();
  if (fit_w != width_ || fit_h != height_) fill_black(*out);

  // Range and matrix: full-range camera YUV becomes limited range; a YUV source keeps its
  // matrix (see the constructor); RGB is converted with the output's.
  const int dst_matrix = colorspace_ == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_ITU601;
  const int src_matrix = is_rgb(source->format) ? SWS_CS_DEFAULT : dst_matrix;
  const int src_range = is_full_range(*source) || is_rgb(source->format) ? 1 : 0;
  // Full-range YUV (MJPEG webcams): swscale's range conversion forces its slow generic path
  // (2.3 ms per 720p frame). Converting the layout only (its fast unscaled path) and the range
  // with two lookup tables afterwards costs a tenth of that.
  const bool range_after = src_range == 1 && !is_rgb(source->format);
  const int sws_dst_range = range_after ? 1 : 0;
  const SwsKey key{source->width, source->height, source->format, fit_w, fit_h, src_range, src_matrix};
  if (!sws_ || !(key == sws_key_)) {
    sws_.reset(sws_getContext(source->width, source->height, static_cast<AVPixelFormat>(source->format), fit_w, fit_h,
                              AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr));
    if (!sws_) {
      spdlog::error("[compositor] cannot convert {}x{} {} to the output", source->width, source->height,
                    av_get_pix_fmt_name(static_cast<AVPixelFormat>(source->format)));
      return av::ref_frame(black_.get());
    }
    sws_setColorspaceDetails(sws_.get(), sws_getCoefficients(src_matrix), src_range, sws_getCoefficients(dst_matrix),
                             sws_dst_range, 0, 1 << 16, 1 << 16);
    sws_key_ = key;
  }

  uint8_t* dst[4] = {out->data[0] + off_y * out->linesize[0] + off_x,
                     out->data[1] + (off_y / 2) * out->linesize[1] + off_x / 2,
                     out->data[2] + (off_y / 2) * out->linesize[2] + off_x / 2, nullptr};
  int dst_stride[4] = {out->linesize[0], out->linesize[1], out->linesize[2], 0};
  sws_scale(sws_.get(), source->data, source->linesize, 0, source->height, dst, dst_stride);
  if (range_after) {
    for (int y = 0; y < fit_h; ++y) to_limited_range(dst[0] + y * dst_stride[0], fit_w, kLumaScale, 16);
    for (int plane = 1; plane < 3; ++plane)
      for (int y = 0; y < fit_h / 2; ++y) to_limited_range(dst[plane] + y * dst_stride[plane], fit_w / 2, kChromaScale, 128);
  }
  return out;
}

}  // namespace cunbo
