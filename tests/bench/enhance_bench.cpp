// Per-frame cost of Enhance::apply (light and beauty, media/enhance.h) on the 720p pictures the
// compositor hands it. Budget (DESIGN.md): everything on ≤ 3 ms per 720p frame.
//
// Time is wall-clock per frame on the calling thread (the graph runs on it alone: nb_threads 1),
// CPU the whole process's. The picture is a dim gradient plus ±12 of noise on every byte, like
// a camera in a dark room, so the lift is at work and the smoothing has grain to smooth; before
// timing, 4 s of frames let the lift ease in fully. Destroying the result is timed (the video
// thread pays for it too). Each case prints the chain it ran, in the ffmpeg CLI's -vf syntax.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>

#include "media/enhance.h"
#include "media/skin_smoothing.h"
#include "media/video_graph.h"

namespace {

constexpr int kWidth = 1280;
constexpr int kHeight = 720;
constexpr int64_t kFrameUs = 33'333;

cunbo::av::Frame make_dim_picture() {
  auto frame = cunbo::av::make_frame();
  frame->width = kWidth;
  frame->height = kHeight;
  frame->format = AV_PIX_FMT_YUV420P;
  frame->color_range = AVCOL_RANGE_MPEG;
  frame->colorspace = AVCOL_SPC_SMPTE170M;
  if (av_frame_get_buffer(frame.get(), 0) < 0) throw std::runtime_error("av_frame_get_buffer failed");
  std::minstd_rand rng(20240501);
  std::uniform_int_distribution<int> noise(-12, 12);
  for (int plane = 0; plane < 3; ++plane) {
    const int w = plane ? kWidth / 2 : kWidth;
    const int h = plane ? kHeight / 2 : kHeight;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const int base = plane ? 128 + (x * 16) / w - 8 : 24 + (x * 50) / w + (y * 20) / h;
        frame->data[plane][y * frame->linesize[plane] + x] = static_cast<uint8_t>(std::clamp(base + noise(rng), 0, 255));
      }
  }
  return frame;
}

void BM_Enhance(benchmark::State& state, cunbo::EnhanceSettings settings) {
  cunbo::Enhance enhance(settings);
  const cunbo::av::Frame picture = make_dim_picture();
  int64_t t = 0;
  for (int i = 0; i < 120; ++i, t += kFrameUs) (void)enhance.apply(cunbo::av::ref_frame(picture.get()), t);
  for (auto _ : state) {
    cunbo::av::Frame out = enhance.apply(cunbo::av::ref_frame(picture.get()), t);
    t += kFrameUs;
    benchmark::DoNotOptimize(out.get());
    benchmark::ClobberMemory();
  }
  state.counters["fps"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["lift"] = enhance.lift();
  state.SetLabel(cunbo::Enhance::filter_chain(settings, enhance.lift()));
}

using cunbo::LightMode;
BENCHMARK_CAPTURE(BM_Enhance, off, cunbo::EnhanceSettings{LightMode::off, 0})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Enhance, light_only, cunbo::EnhanceSettings{LightMode::automatic, 0})
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Enhance, default_light_beauty3, cunbo::EnhanceSettings{LightMode::automatic, 3})
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Enhance, all_on_beauty10, cunbo::EnhanceSettings{LightMode::automatic, 10})
    ->Unit(benchmark::kMillisecond)->UseRealTime();
// Everything a host can turn: the lift, the strongest beauty, and every tone slider off 0.
BENCHMARK_CAPTURE(BM_Enhance, everything_on,
                  cunbo::EnhanceSettings{.light = LightMode::automatic, .beauty = 10, .brightness = 3, .contrast = 3,
                                         .saturation = 5, .warmth = 5})
    ->Unit(benchmark::kMillisecond)->UseRealTime();

// 美颜's smoothing alone, on the luma in place (SkinSmoothing), beside the same done by
// libavfilter (gblur → maskedclamp → convolution, the chain Enhance::filter_chain hands the
// ffmpeg CLI), one thread each.
void BM_SkinSmoothing(benchmark::State& state) {
  const cunbo::av::Frame picture = make_dim_picture();
  cunbo::SkinSmoothing smoothing;
  const int level = static_cast<int>(state.range(0));
  for (auto _ : state) {
    smoothing.apply(picture->data[0], picture->linesize[0], picture->width, picture->height, level);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_SkinSmoothing)->Arg(3)->Arg(10)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_LibavfilterSmoothing(benchmark::State& state) {
  const cunbo::av::Frame picture = make_dim_picture();
  const int level = static_cast<int>(state.range(0));
  const std::string chain = cunbo::Enhance::filter_chain(cunbo::EnhanceSettings{LightMode::off, level}, 0);
  cunbo::VideoGraph graph = cunbo::VideoGraph::build(*picture, chain, picture->format, "bench");
  if (!graph) {
    state.SkipWithError("the libavfilter chain cannot be built");
    return;
  }
  for (auto _ : state) {
    cunbo::av::Frame out = graph.filter(*picture, "bench");
    benchmark::DoNotOptimize(out.get());
  }
  state.SetLabel(chain);
}
BENCHMARK(BM_LibavfilterSmoothing)->Arg(3)->Arg(10)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
