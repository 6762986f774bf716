#include "media/drop_policy.h"

namespace cunbo {

DropPolicy::Decision DropPolicy::decide(bool is_audio, bool is_keyframe, bool is_disposable, int64_t queued_ms) {
  if (is_audio) return Decision::kSend;
  if (is_keyframe) {
    waiting_for_keyframe_ = false;  // decoding restarts cleanly here
    return Decision::kSend;
  }
  // Sticky even after the queue drains: the frames until the next keyframe reference one
  // that was dropped.
  if (waiting_for_keyframe_ || queued_ms > kDropUntilKeyframeMs) {
    waiting_for_keyframe_ = true;
    ++dropped_until_keyframe_;
    return Decision::kDropUntilKeyframe;
  }
  if (is_disposable && queued_ms > kDropNonReferenceMs) {
    ++dropped_non_reference_;
    return Decision::kDropNonReference;
  }
  return Decision::kSend;
}

}  // namespace cunbo
