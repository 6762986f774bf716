// How loud the microphone is: peak and RMS over the last ~100 ms, when the sound was last
// above the silence threshold and when it last clipped. Fed on the capture thread with every
// frame the audio encoder receives (any sample format, planar or packed: a few operations per
// sample); read by the session's caller. Times are the session clock's (µs). Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>

#include "media/av.h"

namespace cunbo {

class AudioLevelMeter {
 public:
  static constexpr int64_t kBlockUs = 100'000;     // one reading's span
  static constexpr double kSoundDbfs = -50;        // a block's RMS at or above: not silence
  static constexpr double kClipDbfs = -0.1;        // a sample peak at or above: clipping
  static constexpr int64_t kStaleUs = 500'000;     // no input this long: the reading falls to the floor
  static constexpr float kFloorDbfs = -120;

  // Measures `frame` (captured at `capture_us`). Unknown sample formats are ignored.
  void measure(const AVFrame& frame, int64_t capture_us);
  // Same, for samples already in memory (tests and callers without an AVFrame).
  void measure_floats(const float* interleaved, int64_t count, int sample_rate, int64_t capture_us);

  struct Reading {
    float peak_dbfs = kFloorDbfs;  // the last complete block (0 dBFS: full scale)
    float rms_dbfs = kFloorDbfs;   // the same block; a full-scale square wave is 0 dBFS
    int64_t quiet_us = 0;          // how long the sound has been below kSoundDbfs (0: sound now)
    int64_t since_clip_us = -1;    // how long ago a sample reached kClipDbfs (-1: never)
  };
  [[nodiscard]] Reading read(int64_t now_us) const;

 private:
  // With mutex_ held: one block's worth of sums is complete.
  void close_block(int64_t end_us);
  // With mutex_ held: adds `n` samples per channel (their peak and sum of squares) to the block.
  void add(double peak, double sum_squares, int64_t n, int sample_rate, int channels, int64_t capture_us);

  mutable std::mutex mutex_;
  double block_peak_ = 0;
  double block_sum_squares_ = 0;
  int64_t block_samples_ = 0;  // all channels
  int64_t block_frames_ = 0;   // per channel
  float peak_dbfs_ = kFloorDbfs;
  float rms_dbfs_ = kFloorDbfs;
  int64_t first_us_ = -1;      // the first input's time
  int64_t last_input_us_ = -1;
  int64_t last_sound_us_ = -1;
  int64_t last_clip_us_ = -1;
};

}  // namespace cunbo
