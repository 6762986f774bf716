// Keeps the audio gap-free and in step with the session clock. Audio PTS come from the sample
// count (never from jittery capture times), anchored so that sample 0 is session time 0, the
// video's start. Drift between the device's clock and ours is absorbed by resampling a little
// faster or slower, never by dropping samples; a device that stalls is covered with silence.
// Pure logic with no FFmpeg: unit-tested on its own.
#pragma once

#include <cstdint>

namespace cunbo {

class AudioTimeline {
 public:
  struct Plan {
    int64_t silence_before = 0;  // samples of silence to write before this input
    int64_t skip = 0;            // samples of this input to discard (only before session start)
    int64_t compensation = 0;    // samples to gain (+) or lose (-) by resampling ...
    int64_t compensation_distance = 0;  // ... spread over this many output samples
  };

  static constexpr int64_t kGapUs = 200'000;         // a stall longer than this is filled with silence
  static constexpr int64_t kDriftToleranceUs = 20'000;  // smoothed drift below this is left alone
  static constexpr int64_t kCompensationWindow = 2;  // seconds over which a correction is spread
  static constexpr int kMaxCompensationPermille = 5;  // at most 0.5% speed change (inaudible)

  explicit AudioTimeline(int sample_rate) : rate_(sample_rate) {}

  // `capture_us`: time (relative to the timeline's origin) of the first of the `count` samples
  // about to be written; `written`: samples already written on the timeline.
  [[nodiscard]] Plan on_input(int64_t capture_us, int64_t count, int64_t written);

  [[nodiscard]] int64_t samples_at(int64_t us) const { return us * rate_ / 1'000'000; }
  [[nodiscard]] int64_t us_at(int64_t samples) const { return samples * 1'000'000 / rate_; }
  [[nodiscard]] int64_t smoothed_drift_us() const { return drift_us_; }

 private:
  int rate_;
  bool started_ = false;
  int64_t drift_us_ = 0;            // exponentially smoothed (capture time − timeline time)
  int64_t next_compensation_at_ = 0;  // timeline position before which no new correction starts
};

}  // namespace cunbo
