#include "media/audio_level.h"

#include <algorithm>
#include <cmath>

namespace cunbo {

namespace {

float to_dbfs(double linear) {
  if (!(linear > 1e-6)) return AudioLevelMeter::kFloorDbfs;
  return static_cast<float>(std::max<double>(20.0 * std::log10(linear), AudioLevelMeter::kFloorDbfs));
}

struct Sums {
  double peak = 0;
  double sum_squares = 0;
};

// `scale` maps the type's full scale to 1.0; `offset` centres unsigned samples.
template <typename T>
void accumulate(const T* samples, int64_t n, double scale, double offset, Sums& sums) {
  double peak = sums.peak;
  double squares = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double v = (static_cast<double>(samples[i]) - offset) * scale;
    peak = std::max(peak, std::abs(v));
    squares += v * v;
  }
  sums.peak = peak;
  sums.sum_squares += squares;
}

template <typename T>
void accumulate_planes(const AVFrame& frame, bool planar, int channels, double scale, double offset, Sums& sums) {
  if (planar) {
    for (int ch = 0; ch < channels; ++ch)
      accumulate(reinterpret_cast<const T*>(frame.extended_data[ch]), frame.nb_samples, scale, offset, sums);
  } else {
    accumulate(reinterpret_cast<const T*>(frame.extended_data[0]), int64_t{frame.nb_samples} * channels, scale,
               offset, sums);
  }
}

}  // namespace

void AudioLevelMeter::measure(const AVFrame& frame, int64_t capture_us) {
  const int channels = std::max(frame.ch_layout.nb_channels, 1);
  if (frame.nb_samples <= 0 || frame.sample_rate <= 0 || !frame.extended_data) return;
  const auto format = static_cast<AVSampleFormat>(frame.format);
  const bool planar = av_sample_fmt_is_planar(format) != 0;
  Sums sums;
  switch (av_get_packed_sample_fmt(format)) {
    case AV_SAMPLE_FMT_U8: accumulate_planes<uint8_t>(frame, planar, channels, 1.0 / 128, 128, sums); break;
    case AV_SAMPLE_FMT_S16: accumulate_planes<int16_t>(frame, planar, channels, 1.0 / 32768, 0, sums); break;
    case AV_SAMPLE_FMT_S32: accumulate_planes<int32_t>(frame, planar, channels, 1.0 / 2147483648.0, 0, sums); break;
    case AV_SAMPLE_FMT_S64:
      accumulate_planes<int64_t>(frame, planar, channels, 1.0 / 9223372036854775808.0, 0, sums);
      break;
    case AV_SAMPLE_FMT_FLT: accumulate_planes<float>(frame, planar, channels, 1.0, 0, sums); break;
    case AV_SAMPLE_FMT_DBL: accumulate_planes<double>(frame, planar, channels, 1.0, 0, sums); break;
    default: return;
  }
  const std::lock_guard lock(mutex_);
  add(sums.peak, sums.sum_squares, frame.nb_samples, frame.sample_rate, channels, capture_us);
}

void AudioLevelMeter::measure_floats(const float* interleaved, int64_t count, int sample_rate, int64_t capture_us) {
  if (count <= 0 || sample_rate <= 0) return;
  Sums sums;
  accumulate(interleaved, count, 1.0, 0, sums);
  const std::lock_guard lock(mutex_);
  add(sums.peak, sums.sum_squares, count, sample_rate, 1, capture_us);
}

void AudioLevelMeter::add(double peak, double sum_squares, int64_t n, int sample_rate, int channels,
                          int64_t capture_us) {
  const int64_t end_us = capture_us + n * 1'000'000 / sample_rate;
  if (first_us_ < 0) first_us_ = capture_us;
  last_input_us_ = end_us;
  if (peak >= std::pow(10.0, kClipDbfs / 20)) last_clip_us_ = end_us;
  block_peak_ = std::max(block_peak_, peak);
  block_sum_squares_ += sum_squares;
  block_samples_ += n * channels;
  block_frames_ += n;
  if (block_frames_ * 1'000'000 >= kBlockUs * sample_rate) close_block(end_us);
}

void AudioLevelMeter::close_block(int64_t end_us) {
  peak_dbfs_ = to_dbfs(block_peak_);
  const double rms = block_samples_ > 0 ? std::sqrt(block_sum_squares_ / static_cast<double>(block_samples_)) : 0;
  rms_dbfs_ = to_dbfs(rms);
  if (rms_dbfs_ >= kSoundDbfs) last_sound_us_ = end_us;
  block_peak_ = 0;
  block_sum_squares_ = 0;
  block_samples_ = 0;
  block_frames_ = 0;
}

AudioLevelMeter::Reading AudioLevelMeter::read(int64_t now_us) const {
  const std::lock_guard lock(mutex_);
  Reading r;
  if (last_input_us_ >= 0 && now_us - last_input_us_ <= kStaleUs) {
    r.peak_dbfs = peak_dbfs_;
    r.rms_dbfs = rms_dbfs_;
  }
  if (first_us_ >= 0) r.quiet_us = std::max<int64_t>(0, now_us - std::max(last_sound_us_, first_us_));
  if (last_clip_us_ >= 0) r.since_clip_us = std::max<int64_t>(0, now_us - last_clip_us_);
  return r;
}

}  // namespace cunbo
