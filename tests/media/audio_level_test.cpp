// The microphone meter, fed real sample frames as capture devices deliver them.
#include "media/audio_level.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <functional>
#include <numbers>
#include <vector>

namespace cunbo {
namespace {

constexpr int kRate = 48000;
constexpr int kFrame = 480;  // 10 ms, as PulseAudio delivers

// A frame of `channels` of a 440 Hz sine of peak `amplitude` (0..1) in `format`, starting at
// sample `first`. `value(i)` overrides the signal when given.
av::Frame make_frame(AVSampleFormat format, int channels, double amplitude, int64_t first,
                     const std::function<double(int64_t)>& value = {}) {
  av::Frame f = av::make_frame();
  f->format = format;
  f->sample_rate = kRate;
  f->nb_samples = kFrame;
  av_channel_layout_default(&f->ch_layout, channels);
  EXPECT_GE(av_frame_get_buffer(f.get(), 0), 0);
  const bool planar = av_sample_fmt_is_planar(format) != 0;
  for (int i = 0; i < kFrame; ++i) {
    const int64_t n = first + i;
    const double v =
        value ? value(n) : amplitude * std::sin(2 * std::numbers::pi * 440 * static_cast<double>(n) / kRate);
    for (int ch = 0; ch < channels; ++ch) {
      const int plane = planar ? ch : 0;
      const int index = planar ? i : i * channels + ch;
      switch (av_get_packed_sample_fmt(format)) {
        case AV_SAMPLE_FMT_S16:
          reinterpret_cast<int16_t*>(f->extended_data[plane])[index] =
              static_cast<int16_t>(std::clamp(std::lround(v * 32768), -32768L, 32767L));
          break;
        case AV_SAMPLE_FMT_S32:
          reinterpret_cast<int32_t*>(f->extended_data[plane])[index] =
              static_cast<int32_t>(std::clamp<long long>(std::llround(v * 2147483648.0), INT32_MIN, INT32_MAX));
          break;
        case AV_SAMPLE_FMT_U8:
          f->extended_data[plane][index] = static_cast<uint8_t>(std::clamp(std::lround(v * 128 + 128), 0L, 255L));
          break;
        case AV_SAMPLE_FMT_FLT: reinterpret_cast<float*>(f->extended_data[plane])[index] = static_cast<float>(v); break;
        default: ADD_FAILURE() << "format not generated here";
      }
    }
  }
  return f;
}

// Feeds `seconds` of frames starting at session time `start_us`; returns the end time.
int64_t feed(AudioLevelMeter& meter, AVSampleFormat format, int channels, double amplitude, int64_t start_us,
             double seconds, const std::function<double(int64_t)>& value = {}) {
  const auto frames = static_cast<int64_t>(seconds * kRate / kFrame);
  const int64_t first_sample = start_us * kRate / 1'000'000;
  for (int64_t k = 0; k < frames; ++k) {
    const av::Frame f = make_frame(format, channels, amplitude, first_sample + k * kFrame, value);
    meter.measure(*f, start_us + k * kFrame * 1'000'000 / kRate);
  }
  return start_us + frames * kFrame * 1'000'000 / kRate;
}

TEST(AudioLevelMeter, ReadsAHalfScaleSineInEveryCommonFormat) {
  // Peak 0.5 = −6.02 dBFS; its RMS is 3.01 dB lower (a full-scale square wave is 0 dBFS).
  for (AVSampleFormat format : {AV_SAMPLE_FMT_S16, AV_SAMPLE_FMT_S16P, AV_SAMPLE_FMT_FLT, AV_SAMPLE_FMT_FLTP,
                                AV_SAMPLE_FMT_S32, AV_SAMPLE_FMT_S32P, AV_SAMPLE_FMT_U8}) {
    SCOPED_TRACE(av_get_sample_fmt_name(format));
    AudioLevelMeter meter;
    const int64_t end = feed(meter, format, 2, 0.5, 0, 0.5);
    const AudioLevelMeter::Reading r = meter.read(end);
    const double tolerance = format == AV_SAMPLE_FMT_U8 ? 0.2 : 0.05;
    EXPECT_NEAR(r.peak_dbfs, -6.02, tolerance);
    EXPECT_NEAR(r.rms_dbfs, -9.03, tolerance);
    EXPECT_LT(r.quiet_us, AudioLevelMeter::kBlockUs + 20'000);
    EXPECT_EQ(r.since_clip_us, -1);
  }
}

TEST(AudioLevelMeter, OneLoudChannelOfStereoCounts) {
  // A mono microphone on the left of a stereo input: the right channel is silent.
  AudioLevelMeter meter;
  const av::Frame probe = make_frame(AV_SAMPLE_FMT_FLTP, 2, 0.25, 0);
  std::memset(probe->extended_data[1], 0, kFrame * sizeof(float));
  for (int k = 0; k < 20; ++k) meter.measure(*probe, k * 10'000);
  const AudioLevelMeter::Reading r = meter.read(200'000);
  EXPECT_NEAR(r.peak_dbfs, -12.04, 0.1);
  EXPECT_NEAR(r.rms_dbfs, -15.05 - 3.01, 0.3);  // half the samples are zero: −3 dB more
}

TEST(AudioLevelMeter, TellsSilenceAfterItLasts) {
  AudioLevelMeter meter;
  int64_t t = feed(meter, AV_SAMPLE_FMT_S16, 2, 0.3, 0, 1.0);
  EXPECT_LT(meter.read(t).quiet_us, 200'000);
  // A muted microphone still delivers frames: noise far below −50 dBFS.
  const int64_t quiet_from = t;
  t = feed(meter, AV_SAMPLE_FMT_S16, 2, 0.0005, t, 6.0);
  const AudioLevelMeter::Reading r = meter.read(t);
  EXPECT_LT(r.peak_dbfs, -60);
  EXPECT_NEAR(static_cast<double>(r.quiet_us), static_cast<double>(t - quiet_from), 150'000);
  EXPECT_GT(r.quiet_us, 5'000'000);
  // The host speaks again.
  t = feed(meter, AV_SAMPLE_FMT_S16, 2, 0.3, t, 0.3);
  EXPECT_LT(meter.read(t).quiet_us, 200'000);
}

TEST(AudioLevelMeter, RemembersClippingForAWhile) {
  AudioLevelMeter meter;
  int64_t t = feed(meter, AV_SAMPLE_FMT_S16, 1, 0.2, 0, 0.5);
  EXPECT_EQ(meter.read(t).since_clip_us, -1);
  // Shouting into the microphone: the samples hit full scale.
  const int64_t clip_end = feed(meter, AV_SAMPLE_FMT_S16, 1, 1.2, t, 0.1);
  EXPECT_GE(meter.read(clip_end).since_clip_us, 0);
  EXPECT_LT(meter.read(clip_end).since_clip_us, 20'000);
  EXPECT_GE(meter.read(clip_end).peak_dbfs, -0.1);
  t = feed(meter, AV_SAMPLE_FMT_S16, 1, 0.2, clip_end, 2.5);
  const AudioLevelMeter::Reading r = meter.read(t);
  EXPECT_NEAR(static_cast<double>(r.since_clip_us), static_cast<double>(t - clip_end), 20'000);
  EXPECT_NEAR(r.peak_dbfs, -13.98, 0.1);
}

TEST(AudioLevelMeter, FallsToTheFloorWhenFramesStop) {
  AudioLevelMeter meter;
  const AudioLevelMeter::Reading none = meter.read(1'000'000);
  EXPECT_EQ(none.peak_dbfs, AudioLevelMeter::kFloorDbfs);
  EXPECT_EQ(none.quiet_us, 0);  // nothing measured yet: not "silent"
  const int64_t t = feed(meter, AV_SAMPLE_FMT_FLT, 2, 0.5, 0, 0.5);
  EXPECT_GT(meter.read(t).peak_dbfs, -7);
  const AudioLevelMeter::Reading later = meter.read(t + AudioLevelMeter::kStaleUs + 1);
  EXPECT_EQ(later.peak_dbfs, AudioLevelMeter::kFloorDbfs);
  EXPECT_EQ(later.rms_dbfs, AudioLevelMeter::kFloorDbfs);
}

TEST(AudioLevelMeter, MeasuresPlainFloats) {
  AudioLevelMeter meter;
  std::vector<float> samples(kRate / 5);
  for (size_t i = 0; i < samples.size(); ++i)
    samples[i] = static_cast<float>(0.1 * std::sin(2 * std::numbers::pi * 1000 * static_cast<double>(i) / kRate));
  meter.measure_floats(samples.data(), static_cast<int64_t>(samples.size()), kRate, 0);
  const AudioLevelMeter::Reading r = meter.read(200'000);
  EXPECT_NEAR(r.peak_dbfs, -20, 0.05);
  EXPECT_NEAR(r.rms_dbfs, -23.01, 0.05);
}

}  // namespace
}  // namespace cunbo
