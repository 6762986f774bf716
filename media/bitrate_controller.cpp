#include "media/bitrate_controller.h"

#include <algorithm>
#include <iterator>

namespace cunbo {

int BitrateController::share_for(int target_kbps, int start_kbps, int start_share) {
  if (start_share >= 0) return std::clamp(start_share, kShares[std::size(kShares) - 1], kFrameShares);
  for (const int share : kShares)
    if (floor_at(target_kbps, share) <= start_kbps) return share;
  return kShares[std::size(kShares) - 1];
}

BitrateController::BitrateController(int target_kbps, int start_kbps, int start_share)
    : target_kbps_(target_kbps),
      share_(share_for(target_kbps, start_kbps, start_share)),
      bitrate_kbps_(std::clamp(start_kbps, floor_at(share_), target_kbps)) {}

std::optional<int> BitrateController::on_tick(int64_t now_us, int64_t queue_ms, int throughput_kbps,
                                              int audio_kbps) {
  if (queue_ms > kCongestedQueueMs) {
    next_step_up_us_ = now_us + kStepUpIntervalUs;
    const int carried = throughput_kbps * kThroughputUsePercent / 100 - audio_kbps;
    // Under the floor: a lower frame rate, as low as it takes (its floor is lower too).
    for (const int share : kShares)
      if (share < share_ && floor_at(share_) > carried) share_ = share;
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
  if ((bitrate_kbps_ >= target_kbps_ && share_ == kFrameShares) || now_us < next_step_up_us_) return std::nullopt;
  next_step_up_us_ = now_us + kStepUpIntervalUs;
  int ceiling = target_kbps_;
  if (share_ < kFrameShares) {
    const int next = *std::find_if(std::rbegin(kShares), std::rend(kShares), [&](int s) { return s > share_; });
    if (bitrate_kbps_ >= floor_at(next)) {  // the next frame rate's floor is reached: that rate
      share_ = next;
      return bitrate_kbps_;
    }
    ceiling = floor_at(next);
  }
  bitrate_kbps_ = std::min(bitrate_kbps_ + target_kbps_ * kStepUpPercent / 100, ceiling);
  return bitrate_kbps_;
}

int BitrateController::follow_worst(int target_kbps, std::span<const int> outputs_kbps) {
  int worst = target_kbps;
  for (const int kbps : outputs_kbps) worst = std::min(worst, kbps);
  return worst;
}

}  // namespace cunbo
