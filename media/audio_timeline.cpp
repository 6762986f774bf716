#include "media/audio_timeline.h"

#include <algorithm>

namespace cunbo {

AudioTimeline::Plan AudioTimeline::on_input(int64_t capture_us, int64_t count, int64_t written) {
  Plan plan;
  const int64_t expected = samples_at(capture_us);
  if (!started_) {
    if (expected + count <= 0) {  // wholly before the origin
      plan.skip = count;
      return plan;
    }
    started_ = true;
    // The first input sets the anchor: the timeline begins at session time 0 with the video.
    if (expected > 0) plan.silence_before = expected;
    else plan.skip = -expected;
    return plan;
  }
  const int64_t gap = expected - written;
  if (us_at(gap) > kGapUs) {  // the device delivered nothing for a while: fill, stay in step
    plan.silence_before = gap;
    drift_us_ = 0;
    return plan;
  }
  // Capture times jitter by a buffer or two; only a sustained offset is drift.
  drift_us_ += (us_at(gap) - drift_us_) / 16;
  if (written >= next_compensation_at_ && std::abs(drift_us_) > kDriftToleranceUs) {
    const int64_t distance = int64_t{rate_} * kCompensationWindow;
    const int64_t limit = distance * kMaxCompensationPermille / 1000;
    plan.compensation = std::clamp(samples_at(drift_us_), -limit, limit);
    plan.compensation_distance = distance;
    next_compensation_at_ = written + distance;
    drift_us_ -= us_at(plan.compensation);
  }
  return plan;
}

}  // namespace cunbo
