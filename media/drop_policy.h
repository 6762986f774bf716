// Which video packets a congested output throws away so that it catches up instead of
// falling ever further behind. Measured in milliseconds of media waiting in the output's send
// queue. Audio and keyframes always go: a gap in the sound is what viewers notice most, and a
// keyframe is what lets the picture recover. Once a reference frame has been dropped, the
// frames that follow would decode to garbage, so everything waits for the next keyframe.
// Pure logic on plain flags (no AVPacket): unit-tested on its own.
// Not thread-safe: touched only by the output's send queue.
#pragma once

#include <cstdint>

namespace cunbo {

class DropPolicy {
 public:
  enum class Decision {
    kSend,
    kDropNonReference,   // nothing refers to this frame: it can go without harming others
    kDropUntilKeyframe,  // badly behind: all video goes until the picture can restart cleanly
  };

  // Past this, drop frames no other frame depends on; the picture stays correct, only choppier.
  static constexpr int64_t kDropNonReferenceMs = 700;
  // Past this, disposable frames are not enough: drop all video until the next keyframe.
  static constexpr int64_t kDropUntilKeyframeMs = 900;

  // `is_disposable`: AV_PKT_FLAG_DISPOSABLE. Our encoders make no B-frames, so a disposable
  // non-keyframe is exactly a frame no other frame references.
  [[nodiscard]] Decision decide(bool is_audio, bool is_keyframe, bool is_disposable, int64_t queued_ms);

  // True from the first drop-until-keyframe until a keyframe passes; the output may ask the
  // encoder for one early.
  [[nodiscard]] bool waiting_for_keyframe() const { return waiting_for_keyframe_; }
  [[nodiscard]] int64_t dropped_non_reference() const { return dropped_non_reference_; }
  [[nodiscard]] int64_t dropped_until_keyframe() const { return dropped_until_keyframe_; }
  [[nodiscard]] int64_t dropped() const { return dropped_non_reference_ + dropped_until_keyframe_; }

 private:
  bool waiting_for_keyframe_ = false;
  int64_t dropped_non_reference_ = 0;
  int64_t dropped_until_keyframe_ = 0;
};

}  // namespace cunbo
