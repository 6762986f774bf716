// Per-frame cost of Compositor::compose for the pictures a host's camera actually delivers,
// into the default 720p output. Budget (DESIGN.md): compositor + overlay blend ≤ 1 ms per
// 720p frame; these cases are the compositor's share of it.
//
// Time is wall-clock per frame (what the 33 ms frame interval pays) and CPU is the whole
// process's (so a thread swscale might start is not hidden). The sources are filled once,
// outside the timed loop, with a gradient plus noise: a flat frame would let the scaler's
// work look cheaper than a camera's. Destroying the returned frame is timed: the video
// thread pays for it every frame too.
//
// FFmpeg's log is counted, not printed: a warning on every frame (swscale says "deprecated
// pixel format used" each time it initialises a context for a yuvj format) would bury the
// table, and the count per frame is itself the finding: a scaler rebuilt for every frame.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "media/compositor.h"
#include "media/overlay_layer.h"

namespace {

constexpr int kOutputWidth = 1280;
constexpr int kOutputHeight = 720;

// Warnings and errors FFmpeg logged; written from whichever thread logs, read between runs.
std::atomic<long> ffmpeg_warnings{0};

void count_ffmpeg_log(void* /*object*/, int level, const char* /*format*/, std::va_list /*args*/) {
  if (level <= AV_LOG_WARNING) ffmpeg_warnings.fetch_add(1, std::memory_order_relaxed);
}

struct SourceShape {
  int width;
  int height;
  AVPixelFormat format;
  AVColorRange range;
  AVColorSpace colorspace;
};

// Bytes per row and rows of `plane`, or 0 rows when the format has no such plane.
int plane_rows(const AVPixFmtDescriptor& desc, int plane, int height) {
  if (plane >= desc.nb_components) return 0;
  const bool chroma = plane == 1 || plane == 2;
  const int shift = chroma ? desc.log2_chroma_h : 0;
  return (height + (1 << shift) - 1) >> shift;
}

// A picture with real content: a smooth diagonal gradient (something for the scaler to
// interpolate) plus ±12 of noise on every byte (no plane is uniform). For packed formats
// (YUYV) the bytes are interleaved samples; they get the same treatment.
cunbo::av::Frame make_source(const SourceShape& shape) {
  auto frame = cunbo::av::make_frame();
  if (!frame) throw std::runtime_error("av_frame_alloc failed");
  frame->width = shape.width;
  frame->height = shape.height;
  frame->format = shape.format;
  frame->color_range = shape.range;
  frame->colorspace = shape.colorspace;
  frame->sample_aspect_ratio = AVRational{1, 1};
  if (const int err = av_frame_get_buffer(frame.get(), 0); err < 0) {
    throw std::runtime_error("av_frame_get_buffer failed: " + cunbo::av::error_string(err));
  }

  const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(shape.format);
  if (desc == nullptr) throw std::runtime_error("unknown pixel format");
  std::minstd_rand rng(20240501);
  std::uniform_int_distribution<int> noise(-12, 12);
  for (int plane = 0; plane < AV_NUM_DATA_POINTERS && frame->data[plane] != nullptr; ++plane) {
    const int rows = plane_rows(*desc, plane, shape.height);
    const int row_bytes = av_image_get_linesize(shape.format, shape.width, plane);
    if (rows <= 0 || row_bytes <= 0) continue;
    for (int y = 0; y < rows; ++y) {
      std::uint8_t* row = frame->data[plane] + static_cast<std::ptrdiff_t>(y) * frame->linesize[plane];
      for (int x = 0; x < row_bytes; ++x) {
        const int gradient = 24 + (x * 140) / row_bytes + (y * 70) / rows;
        row[x] = static_cast<std::uint8_t>(std::clamp(gradient + noise(rng), 0, 255));
      }
    }
  }
  return frame;
}

std::string describe(const AVFrame& frame) {
  const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(frame.format));
  return std::to_string(frame.width) + "x" + std::to_string(frame.height) + " " + (name ? name : "?");
}

// Checks one output outside the timing: the right size and format, or the numbers mean nothing.
bool output_is_valid(benchmark::State& state, const cunbo::av::Frame& out) {
  if (!out) {
    state.SkipWithError("compose returned no frame");
    return false;
  }
  if (out->width != kOutputWidth || out->height != kOutputHeight || out->format != AV_PIX_FMT_YUV420P) {
    const std::string message = "compose returned " + describe(*out) + ", want 1280x720 yuv420p";
    state.SkipWithError(message.c_str());
    return false;
  }
  return true;
}

void BM_Compose(benchmark::State& state, SourceShape shape) {
  cunbo::Compositor compositor(kOutputWidth, kOutputHeight, AVCOL_SPC_SMPTE170M);
  const cunbo::av::Frame source = make_source(shape);

  // The first call builds the scaler for this source; a camera pays that once, not per frame.
  bool shares_source_buffer = false;
  {
    const cunbo::av::Frame first = compositor.compose(source.get());
    if (!output_is_valid(state, first)) return;
    shares_source_buffer = first->data[0] == source->data[0];
  }

  const long warnings_before = ffmpeg_warnings.load();
  for (auto _ : state) {
    cunbo::av::Frame out = compositor.compose(source.get());
    benchmark::DoNotOptimize(out.get());
    benchmark::ClobberMemory();
  }

  state.counters["fps"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  // 1 when the output is the source's own buffer (the pass-through promise), else 0.
  state.counters["no_copy"] = shares_source_buffer ? 1.0 : 0.0;
  // Should be 0: anything else means FFmpeg complains (or re-initialises) on every frame.
  state.counters["av_warn/frame"] = benchmark::Counter(static_cast<double>(ffmpeg_warnings.load() - warnings_before),
                                                       benchmark::Counter::kAvgIterations);
}

// Nothing captured yet or the camera was unplugged: the output is black.
void BM_ComposeNullSource(benchmark::State& state) {
  cunbo::Compositor compositor(kOutputWidth, kOutputHeight, AVCOL_SPC_SMPTE170M);
  if (!output_is_valid(state, compositor.compose(nullptr))) return;
  for (auto _ : state) {
    cunbo::av::Frame out = compositor.compose(nullptr);
    benchmark::DoNotOptimize(out.get());
    benchmark::ClobberMemory();
  }
  state.counters["fps"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// The showcase overlay as the rasteriser delivers it: a 1280x720 premultiplied RGBA layer with
// a product card (420x260, bottom-left: an opaque body with a gradient, rounded and
// anti-aliased corners) and an order banner (560x56 near the top: translucent dark with
// opaque white "text" strokes), transparent everywhere else.
struct ShowcaseLayer {
  std::vector<std::uint8_t> rgba;
  std::vector<cunbo::OverlayRect> regions;
};

ShowcaseLayer make_showcase_layer() {
  ShowcaseLayer layer;
  layer.rgba.assign(static_cast<std::size_t>(kOutputWidth) * kOutputHeight * 4, 0);
  const auto put = [&](int x, int y, int r, int g, int b, int a) {
    std::uint8_t* p = &layer.rgba[(static_cast<std::size_t>(y) * kOutputWidth + static_cast<std::size_t>(x)) * 4];
    p[0] = static_cast<std::uint8_t>(r * a / 255);
    p[1] = static_cast<std::uint8_t>(g * a / 255);
    p[2] = static_cast<std::uint8_t>(b * a / 255);
    p[3] = static_cast<std::uint8_t>(a);
  };
  const cunbo::OverlayRect card{40, kOutputHeight - 260 - 40, 420, 260};
  constexpr int kRadius = 16;
  for (int y = 0; y < card.h; ++y)
    for (int x = 0; x < card.w; ++x) {
      // Distance outside the rounded corner's circle, for a one-pixel anti-aliased edge.
      const int cx = std::clamp(x, kRadius, card.w - 1 - kRadius);
      const int cy = std::clamp(y, kRadius, card.h - 1 - kRadius);
      const double d = std::hypot(x - cx, y - cy) - (kRadius - 1);
      const int a = d <= 0 ? 255 : d >= 1 ? 0 : static_cast<int>(255 * (1 - d));
      if (a > 0) put(card.x + x, card.y + y, 250 - y / 4, 240 - x / 8, 220, a);
    }
  const cunbo::OverlayRect banner{360, 40, 560, 56};
  for (int y = 0; y < banner.h; ++y)
    for (int x = 0; x < banner.w; ++x) {
      const bool stroke = y >= 16 && y < 40 && (x / 3) % 4 == 0 && x > 24 && x < 400;
      if (stroke) {
        put(banner.x + x, banner.y + y, 255, 255, 255, 255);
      } else {
        put(banner.x + x, banner.y + y, 20, 20, 30, 200);
      }
    }
  layer.regions = {card, banner};
  return layer;
}

cunbo::OverlayLayer make_overlay() {
  const ShowcaseLayer showcase = make_showcase_layer();
  return cunbo::OverlayLayer(kOutputWidth, kOutputHeight, showcase.rgba, showcase.regions, AVCOL_SPC_SMPTE170M);
}

// The overlay blend alone, per 720p frame (the video thread's share; budget ≤ 1 ms with the
// compositor). Blends into the same frame over and over: the cost does not depend on what is
// underneath.
void BM_OverlayBlend(benchmark::State& state) {
  const cunbo::OverlayLayer overlay = make_overlay();
  const cunbo::av::Frame frame =
      make_source(SourceShape{kOutputWidth, kOutputHeight, AV_PIX_FMT_YUV420P, AVCOL_RANGE_MPEG, AVCOL_SPC_SMPTE170M});
  for (auto _ : state) {
    overlay.blend_into(*frame);
    benchmark::ClobberMemory();
  }
  state.counters["samples"] = static_cast<double>(overlay.blended_samples());
  state.counters["fps"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// Converting a re-rastered layer to YUVA: once per change of the overlay, on its own thread.
void BM_OverlayBuild(benchmark::State& state) {
  const ShowcaseLayer showcase = make_showcase_layer();
  for (auto _ : state) {
    cunbo::OverlayLayer overlay(kOutputWidth, kOutputHeight, showcase.rgba, showcase.regions, AVCOL_SPC_SMPTE170M);
    benchmark::DoNotOptimize(&overlay);
  }
}

// The whole video-thread transform with the overlay up: source → 720p yuv420p → overlay.
void BM_ComposeWithOverlay(benchmark::State& state, SourceShape shape) {
  cunbo::Compositor compositor(kOutputWidth, kOutputHeight, AVCOL_SPC_SMPTE170M);
  const cunbo::OverlayLayer overlay = make_overlay();
  const cunbo::av::Frame source = make_source(shape);
  if (!output_is_valid(state, compositor.compose(source.get(), &overlay))) return;
  const long warnings_before = ffmpeg_warnings.load();
  for (auto _ : state) {
    cunbo::av::Frame out = compositor.compose(source.get(), &overlay);
    benchmark::DoNotOptimize(out.get());
    benchmark::ClobberMemory();
  }
  state.counters["fps"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["av_warn/frame"] = benchmark::Counter(static_cast<double>(ffmpeg_warnings.load() - warnings_before),
                                                       benchmark::Counter::kAvgIterations);
}

void per_frame(benchmark::internal::Benchmark* bench) {
  bench->Unit(benchmark::kMicrosecond)->UseRealTime()->MeasureProcessCPUTime();
}

}  // namespace

// (a) A source already in the output format and size: passed through without a copy.
BENCHMARK_CAPTURE(BM_Compose, 720p_from_1280x720_yuv420p_passthrough,
                  SourceShape{1280, 720, AV_PIX_FMT_YUV420P, AVCOL_RANGE_MPEG, AVCOL_SPC_BT709})
    ->Apply(per_frame);
// (b) A webcam's raw YUYV.
BENCHMARK_CAPTURE(BM_Compose, 720p_from_1280x720_yuyv422_webcam,
                  SourceShape{1280, 720, AV_PIX_FMT_YUYV422, AVCOL_RANGE_MPEG, AVCOL_SPC_SMPTE170M})
    ->Apply(per_frame);
// (c) A webcam's MJPEG after decoding: planar 4:2:2, full range.
BENCHMARK_CAPTURE(BM_Compose, 720p_from_1280x720_yuvj422p_mjpeg,
                  SourceShape{1280, 720, AV_PIX_FMT_YUVJ422P, AVCOL_RANGE_JPEG, AVCOL_SPC_BT470BG})
    ->Apply(per_frame);
// (d) An old 4:3 webcam: upscaled and fitted into 16:9 over its blurred copy.
BENCHMARK_CAPTURE(BM_Compose, 720p_from_640x480_yuyv422_letterbox,
                  SourceShape{640, 480, AV_PIX_FMT_YUYV422, AVCOL_RANGE_MPEG, AVCOL_SPC_SMPTE170M})
    ->Apply(per_frame);
// (e) A 1080p camera or file, downscaled.
BENCHMARK_CAPTURE(BM_Compose, 720p_from_1920x1080_yuv420p_downscale,
                  SourceShape{1920, 1080, AV_PIX_FMT_YUV420P, AVCOL_RANGE_MPEG, AVCOL_SPC_BT709})
    ->Apply(per_frame);
// (h) Portrait 720x1280 from a landscape webcam's YUYV: cropped to fill (the portrait default),
// fitted over its blurred, darkened copy, and turned upright from a camera mounted sideways.
void BM_ComposePortrait(benchmark::State& state, SourceShape shape, cunbo::Framing framing) {
  cunbo::Compositor compositor(720, 1280, AVCOL_SPC_SMPTE170M, framing);
  const cunbo::av::Frame source = make_source(shape);
  {
    const cunbo::av::Frame first = compositor.compose(source.get());
    if (!first || first->width != 720 || first->height != 1280) {
      state.SkipWithError("compose returned no 720x1280 frame");
      return;
    }
  }
  for (auto _ : state) {
    cunbo::av::Frame out = compositor.compose(source.get());
    benchmark::DoNotOptimize(out.get());
    benchmark::ClobberMemory();
  }
  state.counters["fps"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_ComposePortrait, 720x1280_fill_from_1280x720_yuyv422,
                  SourceShape{1280, 720, AV_PIX_FMT_YUYV422, AVCOL_RANGE_MPEG, AVCOL_SPC_SMPTE170M},
                  cunbo::Framing{cunbo::FramingMode::fill})
    ->Apply(per_frame);
BENCHMARK_CAPTURE(BM_ComposePortrait, 720x1280_fit_from_1280x720_yuyv422,
                  SourceShape{1280, 720, AV_PIX_FMT_YUYV422, AVCOL_RANGE_MPEG, AVCOL_SPC_SMPTE170M},
                  cunbo::Framing{cunbo::FramingMode::fit})
    ->Apply(per_frame);
BENCHMARK_CAPTURE(BM_ComposePortrait, 720x1280_turned_90_from_1280x720_yuyv422,
                  SourceShape{1280, 720, AV_PIX_FMT_YUYV422, AVCOL_RANGE_MPEG, AVCOL_SPC_SMPTE170M},
                  cunbo::Framing{cunbo::FramingMode::fill, 1, 0, 0, 90})
    ->Apply(per_frame);
// (f) No source: black.
BENCHMARK(BM_ComposeNullSource)->Name("BM_Compose/720p_from_null_black")->Apply(per_frame);

// The showcase overlay (card 420x260 + banner 560x56) on 720p.
BENCHMARK(BM_OverlayBlend)->Name("BM_Overlay/blend_720p_card_and_banner")->Apply(per_frame);
BENCHMARK(BM_OverlayBuild)->Name("BM_Overlay/build_720p_card_and_banner")->Apply(per_frame);
// (g) A webcam's raw YUYV with the overlay up: the video thread's whole per-frame transform.
BENCHMARK_CAPTURE(BM_ComposeWithOverlay, 720p_from_1280x720_yuyv422_webcam_overlay,
                  SourceShape{1280, 720, AV_PIX_FMT_YUYV422, AVCOL_RANGE_MPEG, AVCOL_SPC_SMPTE170M})
    ->Apply(per_frame);
// (h) A source already in the output format: with the overlay it must be copied first.
BENCHMARK_CAPTURE(BM_ComposeWithOverlay, 720p_from_1280x720_yuv420p_passthrough_overlay,
                  SourceShape{1280, 720, AV_PIX_FMT_YUV420P, AVCOL_RANGE_MPEG, AVCOL_SPC_BT709})
    ->Apply(per_frame);

int main(int argc, char** argv) {
  av_log_set_callback(count_ffmpeg_log);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
