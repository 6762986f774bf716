#include "media/overlay_layer.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <utility>

#include <spdlog/spdlog.h>

namespace cunbo {

namespace {

// RGB → limited-range YCbCr (Kg = 1 - Kr - Kb) in 12-bit fixed point, scaled to code values: Y = 16 + (yr*R +
// yg*G + yb*B) / 255 / 4096 with R, G, B in 0-255 (and Cb, Cr around 128 the same way).
constexpr int kShift = 12;

struct Coefficients {
  int yr, yg, yb;
  int ur, ug, ub;
  int vr, vg, vb;
};

Coefficients coefficients_for(AVColorSpace colorspace) {
  const bool bt709 = colorspace == AVCOL_SPC_BT709;
  const double kr = bt709 ? 0.2126 : 0.299;
  const double kb = bt709 ? 0.0722 : 0.114;
  const auto fixed = [](double v) { return static_cast<int>(std::lround(v * (1 << kShift))); };
  Coefficients c{};
  // Each row's rounded coefficients are made to sum exactly to what white needs (219 for luma,
  // 0 for chroma), so white is 235 and greys have exactly neutral chroma.
  c.yr = fixed(219.0 * kr);
  c.yb = fixed(219.0 * kb);
  c.yg = 219 * (1 << kShift) - c.yr - c.yb;
  c.ur = fixed(224.0 * -kr / (2.0 * (1.0 - kb)));
  c.ub = 112 * (1 << kShift);
  c.ug = -c.ur - c.ub;
  c.vr = 112 * (1 << kShift);
  c.vb = fixed(224.0 * -kb / (2.0 * (1.0 - kr)));
  c.vg = -c.vr - c.vb;
  return c;
}

// `rect` grown outward to even coordinates and clipped to the frame (empty when outside).
OverlayRect align_and_clip(const OverlayRect& rect, int width, int height) {
  if (rect.empty()) return {};
  // Computed in 64 bits: a hostile rect near INT_MAX must not overflow.
  const auto x0 = std::max<int64_t>(0, static_cast<int64_t>(rect.x) & ~int64_t{1});
  const auto y0 = std::max<int64_t>(0, static_cast<int64_t>(rect.y) & ~int64_t{1});
  const auto x1 = std::min<int64_t>(width, (static_cast<int64_t>(rect.x) + rect.w + 1) & ~int64_t{1});
  const auto y1 = std::min<int64_t>(height, (static_cast<int64_t>(rect.y) + rect.h + 1) & ~int64_t{1});
  if (x1 <= x0 || y1 <= y0) return {};
  return {static_cast<int>(x0), static_cast<int>(y0), static_cast<int>(x1 - x0), static_cast<int>(y1 - y0)};
}

// The union of [begin, end) intervals, sorted and merged, in place.
void merge_intervals(std::vector<std::pair<int, int>>& intervals) {
  std::sort(intervals.begin(), intervals.end());
  std::size_t out = 0;
  for (const auto& iv : intervals) {
    if (out > 0 && iv.first <= intervals[out - 1].second) {
      intervals[out - 1].second = std::max(intervals[out - 1].second, iv.second);
    } else {
      intervals[out++] = iv;
    }
  }
  intervals.resize(out);
}

// A transparent gap shorter than this stays inside its run: blending a transparent sample
// gives back the same byte, and one long run blends faster than many short ones.
constexpr int kMergeGap = 32;

// Calls emit(begin, end) for each stretch of `alpha` with something to blend.
template <typename Emit>
void for_each_run(const std::vector<uint8_t>& alpha, Emit&& emit) {
  const int n = static_cast<int>(alpha.size());
  int i = 0;
  while (i < n) {
    while (i < n && alpha[static_cast<std::size_t>(i)] == 0) ++i;
    if (i == n) break;
    const int begin = i;
    int last = i;
    for (++i; i < n; ++i) {
      if (alpha[static_cast<std::size_t>(i)] != 0) {
        last = i;
      } else if (i - last > kMergeGap) {
        break;
      }
    }
    emit(begin, last + 1);
    i = last + 1;
  }
}

// dst = dst*(255-a)/255 + premul/255, rounded: the sum is at most 255*255 + 127, so it fits 16
// bits, and (v + (v >> 8)) >> 8 after adding 128 is exact rounding of v/255 in that range.
// Written over 16-bit values so the compiler vectorises it 8 or 16 samples at a time.
inline void blend_run(uint8_t* __restrict dst, const uint8_t* __restrict alpha, const uint16_t* __restrict premul,
                      int count) {
  for (int i = 0; i < count; ++i) {
    const auto v = static_cast<uint16_t>(dst[i] * (255 - alpha[i]) + premul[i] + 128);
    dst[i] = static_cast<uint8_t>((v + (v >> 8)) >> 8);
  }
}

std::atomic<bool> logged_mismatch{false};

}  // namespace

OverlayLayer::OverlayLayer(int width, int height, std::span<const uint8_t> rgba, std::vector<OverlayRect> regions,
                           AVColorSpace colorspace)
    : OverlayLayer(width, height,
                   width > 0 && height > 0 &&
                           rgba.size() >= static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4
                       ? rgba.data()
                       : nullptr,
                   static_cast<std::ptrdiff_t>(width) * 4, std::move(regions), colorspace) {}

OverlayLayer::OverlayLayer(int width, int height, const uint8_t* rgba, std::ptrdiff_t stride,
                           std::vector<OverlayRect> regions, AVColorSpace colorspace)
    : width_(std::max(width, 0)), height_(std::max(height, 0)),
      colorspace_(colorspace == AVCOL_SPC_BT709 ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M) {
  if (width <= 0 || height <= 0 || !rgba || stride < static_cast<std::ptrdiff_t>(width) * 4) {
    if (!regions.empty())
      spdlog::error("[overlay] layer {}x{} without usable pixels (stride {}): nothing will be blended", width, height,
                    stride);
    return;
  }
  for (const OverlayRect& r : regions)
    if (const OverlayRect aligned = align_and_clip(r, width_, height_); !aligned.empty()) regions_.push_back(aligned);
  if (!regions_.empty()) convert(rgba, stride);
}

void OverlayLayer::convert(const uint8_t* rgba, std::ptrdiff_t stride) {
  const Coefficients c = coefficients_for(colorspace_);
  std::vector<std::pair<int, int>> spans;
  std::vector<uint8_t> alpha;
  std::vector<uint16_t> premul_a;
  std::vector<uint16_t> premul_b;

  std::size_t area = 0;
  for (const OverlayRect& r : regions_) area += static_cast<std::size_t>(r.w) * static_cast<std::size_t>(r.h);
  area = std::min(area, static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_));
  luma_alpha_.reserve(area);
  luma_premul_.reserve(area);
  chroma_alpha_.reserve(area / 4 + static_cast<std::size_t>(width_ + height_));
  u_premul_.reserve(chroma_alpha_.capacity());
  v_premul_.reserve(chroma_alpha_.capacity());

  const auto pixel = [&](int x, int y) { return rgba + y * stride + static_cast<std::ptrdiff_t>(x) * 4; };
  // Appends the samples [begin, end) of the scratch arrays as runs of `row`, starting at
  // plane column `x0`, skipping transparent stretches.
  const auto append_runs = [&](std::vector<Run>& runs, std::vector<uint8_t>& out_alpha, std::vector<uint16_t>& out_a,
                               std::vector<uint16_t>* out_b, int row, int x0) {
    for_each_run(alpha, [&](int begin, int end) {
      runs.push_back(Run{row, x0 + begin, end - begin, out_alpha.size()});
      out_alpha.insert(out_alpha.end(), alpha.begin() + begin, alpha.begin() + end);
      out_a.insert(out_a.end(), premul_a.begin() + begin, premul_a.begin() + end);
      if (out_b) out_b->insert(out_b->end(), premul_b.begin() + begin, premul_b.begin() + end);
    });
  };

  // Luma, per pixel: Y*a = 16*a + 219*(Kr*R + Kg*G + Kb*B) with premultiplied R, G, B.
  for (int y = 0; y < height_; ++y) {
    spans.clear();
    for (const OverlayRect& r : regions_)
      if (y >= r.y && y < r.bottom()) spans.emplace_back(r.x, r.right());
    merge_intervals(spans);
    for (const auto& [x0, x1] : spans) {
      const auto n = static_cast<std::size_t>(x1 - x0);
      alpha.resize(n);
      premul_a.resize(n);
      const uint8_t* p = pixel(x0, y);
      // Branch-free (a transparent pixel comes out as 0, 0), so that it vectorises.
      for (std::size_t i = 0; i < n; ++i, p += 4) {
        const int a = p[3];
        const int v = ((16 * a) << kShift) + c.yr * p[0] + c.yg * p[1] + c.yb * p[2] + (1 << (kShift - 1));
        alpha[i] = static_cast<uint8_t>(a);
        premul_a[i] = static_cast<uint16_t>(std::clamp(v >> kShift, 0, 255 * a));
      }
      append_runs(luma_runs_, luma_alpha_, luma_premul_, nullptr, y, x0);
    }
  }

  // Chroma, per 2x2 block (fewer pixels at an odd right or bottom edge): from the block's
  // average premultiplied colour and alpha, Cb*a = 128*a + 224*(...), and Cr likewise.
  const int chroma_height = (height_ + 1) / 2;
  for (int cy = 0; cy < chroma_height; ++cy) {
    const int y0 = 2 * cy;
    const int rows = std::min(2, height_ - y0);
    spans.clear();
    for (const OverlayRect& r : regions_)
      if (y0 + rows > r.y && y0 < r.bottom()) spans.emplace_back(r.x / 2, (r.right() + 1) / 2);
    merge_intervals(spans);
    for (const auto& [cx0, cx1] : spans) {
      const auto n = static_cast<std::size_t>(cx1 - cx0);
      alpha.resize(n);
      premul_a.resize(n);
      premul_b.resize(n);
      // Sums of four pixels (4 × the block's averages); a transparent block comes out as 0.
      const auto put = [&](std::size_t i, int sr, int sg, int sb, int sa) {
        const int a = (sa + 2) >> 2;
        // At most 240 * 1020 << 12 in magnitude: fits 32 bits.
        const int u = ((128 * sa) << kShift) + c.ur * sr + c.ug * sg + c.ub * sb + (1 << (kShift + 1));
        const int v = ((128 * sa) << kShift) + c.vr * sr + c.vg * sg + c.vb * sb + (1 << (kShift + 1));
        alpha[i] = static_cast<uint8_t>(a);
        premul_a[i] = static_cast<uint16_t>(std::clamp(u >> (kShift + 2), 0, 255 * a));
        premul_b[i] = static_cast<uint16_t>(std::clamp(v >> (kShift + 2), 0, 255 * a));
      };
      // Whole 2x2 blocks: all but an odd right or bottom edge. Branch-free, so it vectorises.
      const std::size_t full = rows == 2 ? std::min(n, static_cast<std::size_t>(width_ / 2 - cx0)) : 0;
      const uint8_t* p = pixel(2 * cx0, y0);
      const uint8_t* q = rows == 2 ? p + stride : p;  // never past the last row
      for (std::size_t i = 0; i < full; ++i, p += 8, q += 8)
        put(i, p[0] + p[4] + q[0] + q[4], p[1] + p[5] + q[1] + q[5], p[2] + p[6] + q[2] + q[6],
            p[3] + p[7] + q[3] + q[7]);
      // Edge blocks of 1 or 2 pixels: each pixel counts four or two times.
      for (std::size_t i = full; i < n; ++i) {
        const int x0 = 2 * (cx0 + static_cast<int>(i));
        const int cols = std::min(2, width_ - x0);
        const int weight = 4 / (rows * cols);
        int sr = 0, sg = 0, sb = 0, sa = 0;
        for (int dy = 0; dy < rows; ++dy)
          for (int dx = 0; dx < cols; ++dx) {
            const uint8_t* e = pixel(x0 + dx, y0 + dy);
            sr += e[0];
            sg += e[1];
            sb += e[2];
            sa += e[3];
          }
        put(i, sr * weight, sg * weight, sb * weight, sa * weight);
      }
      append_runs(chroma_runs_, chroma_alpha_, u_premul_, &v_premul_, cy, cx0);
    }
  }
}

bool OverlayLayer::fits(int width, int height) const {
  if (width == width_ && height == height_) return true;
  if (!logged_mismatch.exchange(true))
    spdlog::warn("[overlay] a {}x{} layer cannot go on a {}x{} frame: not blended (logged once)", width_, height_,
                 width, height);
  return false;
}

bool OverlayLayer::fits(const AVFrame& frame) const {
  if (frame.format != AV_PIX_FMT_YUV420P || !frame.data[0] || !frame.data[1] || !frame.data[2]) {
    if (!logged_mismatch.exchange(true))
      spdlog::warn("[overlay] cannot blend into a {} frame, only yuv420p: not blended (logged once)",
                   av_get_pix_fmt_name(static_cast<AVPixelFormat>(frame.format))
                       ? av_get_pix_fmt_name(static_cast<AVPixelFormat>(frame.format))
                       : "unknown");
    return false;
  }
  return fits(frame.width, frame.height);
}

template <typename Visit>
void OverlayLayer::visit_runs(AVFrame& frame, Visit&& visit) const {
  for (const Run& run : luma_runs_) {
    uint8_t* dst = frame.data[0] + static_cast<std::ptrdiff_t>(run.row) * frame.linesize[0] + run.x;
    visit(dst, luma_alpha_.data() + run.offset, luma_premul_.data() + run.offset, run.count);
  }
  for (const Run& run : chroma_runs_) {
    uint8_t* u = frame.data[1] + static_cast<std::ptrdiff_t>(run.row) * frame.linesize[1] + run.x;
    uint8_t* v = frame.data[2] + static_cast<std::ptrdiff_t>(run.row) * frame.linesize[2] + run.x;
    visit(u, chroma_alpha_.data() + run.offset, u_premul_.data() + run.offset, run.count);
    visit(v, chroma_alpha_.data() + run.offset, v_premul_.data() + run.offset, run.count);
  }
}

void OverlayLayer::blend_into(AVFrame& frame) const {
  if (empty() || !fits(frame)) return;
  visit_runs(frame, [](uint8_t* dst, const uint8_t* alpha, const uint16_t* premul, int count) {
    blend_run(dst, alpha, premul, count);
  });
}

void OverlayLayer::blend_into(AVFrame& frame, std::vector<uint8_t>& under) const {
  under.clear();
  if (empty() || !fits(frame)) return;
  under.resize(blended_samples());
  uint8_t* saved = under.data();
  visit_runs(frame, [&saved](uint8_t* dst, const uint8_t* alpha, const uint16_t* premul, int count) {
    std::memcpy(saved, dst, static_cast<std::size_t>(count));
    saved += count;
    blend_run(dst, alpha, premul, count);
  });
}

void OverlayLayer::restore(AVFrame& frame, std::span<const uint8_t> under) const {
  if (under.empty() || under.size() != blended_samples() || !fits(frame)) return;
  const uint8_t* saved = under.data();
  visit_runs(frame, [&saved](uint8_t* dst, const uint8_t*, const uint16_t*, int count) {
    std::memcpy(dst, saved, static_cast<std::size_t>(count));
    saved += count;
  });
}

av::Frame OverlayLayer::to_yuv_over(const AVFrame& background) const {
  if (!fits(background)) return {};
  av::Frame out = av::make_frame();
  if (!out) return {};
  out->format = background.format;
  out->width = background.width;
  out->height = background.height;
  if (av_frame_get_buffer(out.get(), 0) < 0 || av_frame_copy(out.get(), &background) < 0 ||
      av_frame_copy_props(out.get(), &background) < 0)
    return {};
  blend_into(*out);
  return out;
}

}  // namespace cunbo
