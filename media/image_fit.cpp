#include "media/image_fit.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <utility>

#include "media/av.h"

namespace cunbo {

namespace {

// Quality over speed: a card picture is scaled once and then shown for minutes. Both
// full-chroma flags matter: without _INP libswscale halves an RGB source's chroma horizontally
// before scaling, without _INT it interpolates the output's chroma at half width.
constexpr int kScaleFlags = SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP | SWS_FULL_CHR_H_INT;

// A picture as libswscale reads it.
struct Source {
  const uint8_t* const* data = nullptr;
  const int* linesize = nullptr;
  int width = 0;
  int height = 0;
  AVPixelFormat format = AV_PIX_FMT_NONE;
  bool full_range = false;
};

// JPEG's full-range "yuvj" formats are deprecated in libswscale: the plain format plus a range.
AVPixelFormat without_j(AVPixelFormat format, bool& full_range) {
  switch (format) {
    case AV_PIX_FMT_YUVJ420P: full_range = true; return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P: full_range = true; return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P: full_range = true; return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P: full_range = true; return AV_PIX_FMT_YUV440P;
    case AV_PIX_FMT_YUVJ411P: full_range = true; return AV_PIX_FMT_YUV411P;
    default: return format;
  }
}

// Copies `image.height` rows of `image.width` RGBA pixels from rows `stride` bytes apart.
void pack_rows(const uint8_t* rows, int stride, RgbaImage& image) {
  const size_t row_bytes = static_cast<size_t>(image.width) * 4;
  for (int y = 0; y < image.height; ++y) {
    std::memcpy(image.pixels.data() + static_cast<size_t>(y) * row_bytes, rows + static_cast<ptrdiff_t>(y) * stride,
                row_bytes);
  }
}

std::optional<RgbaImage> fit(const Source& src, int box_w, int box_h) {
  if (src.width <= 0 || src.height <= 0 || !src.data || !src.linesize) return std::nullopt;
  box_w = std::max(box_w, 1);
  box_h = std::max(box_h, 1);
  const double scale = std::min(static_cast<double>(box_w) / src.width, static_cast<double>(box_h) / src.height);
  RgbaImage image;
  image.width = std::clamp(static_cast<int>(std::lround(src.width * scale)), 1, box_w);
  image.height = std::clamp(static_cast<int>(std::lround(src.height * scale)), 1, box_h);
  image.pixels.resize(static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 4);
  if (src.format == AV_PIX_FMT_RGBA && image.width == src.width && image.height == src.height) {
    pack_rows(src.data[0], src.linesize[0], image);  // already fits: bicubic at 1:1 would only blur
    return image;
  }

  av::Sws sws(sws_getContext(src.width, src.height, src.format, image.width, image.height, AV_PIX_FMT_RGBA,
                             kScaleFlags, nullptr, nullptr, nullptr));
  if (!sws) return std::nullopt;
  const int* coefficients = sws_getCoefficients(SWS_CS_DEFAULT);
  sws_setColorspaceDetails(sws.get(), coefficients, src.full_range ? 1 : 0, coefficients, 1, 0, 1 << 16, 1 << 16);

  // libswscale wants aligned rows: scale into an aligned frame, then pack the rows.
  av::Frame out = av::make_frame();
  if (!out) return std::nullopt;
  out->width = image.width;
  out->height = image.height;
  out->format = AV_PIX_FMT_RGBA;
  if (av_frame_get_buffer(out.get(), 32) < 0) return std::nullopt;
  if (sws_scale(sws.get(), src.data, src.linesize, 0, src.height, out->data, out->linesize) <= 0) return std::nullopt;
  pack_rows(out->data[0], out->linesize[0], image);
  return image;
}

}  // namespace

std::optional<RgbaImage> fit_image(const AVFrame& picture, int box_w, int box_h) {
  Source src;
  src.data = picture.data;
  src.linesize = picture.linesize;
  src.width = picture.width;
  src.height = picture.height;
  src.full_range = picture.color_range == AVCOL_RANGE_JPEG;
  src.format = without_j(static_cast<AVPixelFormat>(picture.format), src.full_range);
  return fit(src, box_w, box_h);
}

std::optional<RgbaImage> fit_image(const RgbaImage& picture, int box_w, int box_h) {
  if (picture.width <= 0 || picture.height <= 0 ||
      picture.pixels.size() < static_cast<size_t>(picture.width) * static_cast<size_t>(picture.height) * 4) {
    return std::nullopt;
  }
  const uint8_t* const data[4] = {picture.pixels.data(), nullptr, nullptr, nullptr};
  const int linesize[4] = {picture.width * 4, 0, 0, 0};
  Source src;
  src.data = data;
  src.linesize = linesize;
  src.width = picture.width;
  src.height = picture.height;
  src.format = AV_PIX_FMT_RGBA;
  return fit(src, box_w, box_h);
}

}  // namespace cunbo
