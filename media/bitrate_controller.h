// Adaptive video bitrate for one output: when its send queue grows, bring the encoder down to
// what the link actually carries; when the link is healthy again, climb back to the target in
// small steps. One encoder feeds every output, so the encoder follows the worst of them
// (follow_worst). Pure logic: time comes in as session microseconds, measurements as numbers.
// Not thread-safe: touched only by the thread that ticks it (the session's stats tick).
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "media/encoder_settings.h"

namespace cunbo {

class BitrateController {
 public:
  // A queue past this means the link carries less than we send (a healthy queue holds a
  // frame or two); well below DropPolicy's thresholds, so we slow down before dropping.
  static constexpr int64_t kCongestedQueueMs = 200;
  // Only a queue this small counts as healthy enough to try a higher rate.
  static constexpr int64_t kHealthyQueueMs = 100;
  // Use 90% of the measured throughput, so the backlog drains instead of just holding steady.
  static constexpr int kThroughputUsePercent = 90;
  // Below a quarter of the target the picture is mush: under it the frame rate comes down
  // evenly instead (30 → 20 → 15 fps: 6, 4, then 3 of every 6 frames encoded), and the floor
  // with it (each frame keeps its bits), rather than the link dropping frames in runs.
  static constexpr int kFloorPercent = 25;
  static constexpr int kShares[] = {kFrameShares, 4, 3};
  // Climb by 10% of the target per step: from the floor back to the target in well under 30 s.
  static constexpr int kStepUpPercent = 10;
  // Each step must prove itself for this long before the next (the queue needs time to grow).
  static constexpr int64_t kStepUpIntervalUs = 3'000'000;
  // A cut smaller than this is measurement noise; reconfiguring the encoder for it costs more.
  static constexpr int kHysteresisPercent = 5;

  explicit BitrateController(int target_kbps) : target_kbps_(target_kbps), bitrate_kbps_(target_kbps) {}
  // Starting below the target (a link that rejoins, an uplink known to be weak), within
  // [floor, target]; it climbs from there in the usual steps.
  // `start_share` < 0: the highest frame rate whose floor is at or below start_kbps.
  BitrateController(int target_kbps, int start_kbps, int start_share = -1);

  // Called on every stats tick. `throughput_kbps`: what the output actually sent over the last
  // window (while congested, that is what the link carries); `audio_kbps`: the audio's share
  // of it, which the video has to leave alone. Returns the new video bitrate when it changes.
  [[nodiscard]] std::optional<int> on_tick(int64_t now_us, int64_t queue_ms, int throughput_kbps, int audio_kbps);

  // Invariant: floor_kbps() <= bitrate_kbps() <= target_kbps().
  [[nodiscard]] int bitrate_kbps() const { return bitrate_kbps_; }
  [[nodiscard]] int target_kbps() const { return target_kbps_; }
  // The floor at the frame rate now.
  [[nodiscard]] int floor_kbps() const { return floor_at(share_); }
  // How many of every kFrameShares frames to encode (kFrameShares: all). On the way up the frame
  // rate comes back first: once the bitrate reaches the next rate's floor, that rate is used.
  [[nodiscard]] int frame_share() const { return share_; }
  // For the host's status line ("网络较差，已自动降低画质").
  [[nodiscard]] bool reduced() const { return bitrate_kbps_ < target_kbps_ || share_ < kFrameShares; }

  // The bitrate for an encoder shared by several outputs: the lowest any of them can carry,
  // never above the target (which is also the answer when there are no outputs).
  [[nodiscard]] static int follow_worst(int target_kbps, std::span<const int> outputs_kbps);

 private:
  [[nodiscard]] int floor_at(int share) const { return floor_at(target_kbps_, share); }
  [[nodiscard]] static int floor_at(int target_kbps, int share) {
    return target_kbps * kFloorPercent / 100 * share / kFrameShares;
  }
  [[nodiscard]] static int share_for(int target_kbps, int start_kbps, int start_share);
  int target_kbps_;
  int share_ = kFrameShares;
  int bitrate_kbps_;
  int64_t next_step_up_us_ = 0;  // no step up before this; pushed back by every unhealthy tick
};

}  // namespace cunbo
