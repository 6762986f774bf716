#include "media/bitrate_controller.h"

#include <algorithm>

namespace cunbo {

BitrateController::BitrateController(int target_kbps, int start_kbps)
    : target_kbps_(target_kbps), bitrate_kbps_(std::clamp(start_kbps, target_kbps * kFloorPercent / 100, target_kbps)) {}

std::optional<int> BitrateController::on_tick(int64_t now_us, int64_t queue_ms, int throughput_kbps,
                                              int audio_kbps) {
  if (queue_ms > kCongestedQueueMs) {
    next_step_up_us_ = now_us + kStepUpIntervalUs;
    const int carried = throughput_kbps * kThroughputUsePercent / 100 - audio_kbps;
    const int wanted = std::clamp(carried, floor_kbps(), target_kbps_);
    // Only ever down while congested; the way up is the slow, proven one below.
    const bool worth_it = (bitrate_kbps_ - wanted) * 100 > bitrate_kbps_ * kHysteresisPercent;
    if (!worth_it) return std::nullopt;
    bitrate_kbps_ = wanted;
    return bitrate_kbps_;
  }
  if (queue_ms > kHealthyQueueMs) {  // neither congested nor clearly healthy: hold
    next_step_up_us_ = now_us + kStepUpIntervalUs;
    return std::nullopt;
  }
  if (bitrate_kbps_ >= target_kbps_ || now_us < next_step_up_us_) return std::nullopt;
  next_step_up_us_ = now_us + kStepUpIntervalUs;
  bitrate_kbps_ = std::min(bitrate_kbps_ + target_kbps_ * kStepUpPercent / 100, target_kbps_);
  return bitrate_kbps_;
}

int BitrateController::follow_worst(int target_kbps, std::span<const int> outputs_kbps) {
  int worst = target_kbps;
  for (const int kbps : outputs_kbps) worst = std::min(worst, kbps);
  return worst;
}

}  // namespace cunbo
