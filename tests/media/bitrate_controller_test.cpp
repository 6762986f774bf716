#include "media/bitrate_controller.h"

#include "media/drop_policy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <deque>
#include <vector>

namespace cunbo {
namespace {

constexpr int kTargetKbps = 2500;
constexpr int kAudioKbps = 128;
constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kTickUs = 250'000;  // the stats tick

// An output sending whatever the encoder produces over a link that carries at most
// `capacity_kbps`; what the link cannot carry yet waits in the send queue, which (like the
// real output's) is measured in milliseconds of media, not bytes.
class SimulatedOutput {
 public:
  explicit SimulatedOutput(int capacity_kbps) : capacity_kbps_(capacity_kbps) {}

  void set_capacity(int kbps) { capacity_kbps_ = kbps; }

  // Advances one tick: the encoder adds a tick of media, the link takes what it can, the
  // controller looks at the result and may change the encoder's bitrate.
  void tick(BitrateController& controller) {
    now_us_ += kTickUs;
    const int64_t rate_kbps = controller.bitrate_kbps() + kAudioKbps;
    queue_.push_back({kTickUs / 1000, rate_kbps * kTickUs / 1000});
    int64_t budget_bits = capacity_kbps_ * kTickUs / 1000;
    int64_t sent_bits = 0;
    while (!queue_.empty() && budget_bits > 0) {
      Chunk& front = queue_.front();
      const int64_t bits = std::min(budget_bits, front.bits);
      front.ms -= front.ms * bits / front.bits;  // part of a chunk leaves in proportion
      front.bits -= bits;
      budget_bits -= bits;
      sent_bits += bits;
      if (front.bits == 0) queue_.pop_front();
    }
    int64_t queue_ms = 0;
    for (const Chunk& chunk : queue_) queue_ms += chunk.ms;
    max_queue_ms_ = std::max(max_queue_ms_, queue_ms);
    const auto throughput_kbps = static_cast<int>(sent_bits * 1000 / kTickUs);
    (void)controller.on_tick(now_us_, queue_ms, throughput_kbps, kAudioKbps);
  }

  // Ticks until `until_us` or until `done` holds; returns the time it held, or -1.
  template <typename Done>
  int64_t run_until(BitrateController& controller, int64_t until_us, Done done) {
    while (now_us_ < until_us) {
      tick(controller);
      if (done()) return now_us_;
    }
    return -1;
  }

  [[nodiscard]] int64_t now_us() const { return now_us_; }
  [[nodiscard]] int64_t max_queue_ms() const { return max_queue_ms_; }
  void forget_max_queue() { max_queue_ms_ = 0; }

 private:
  struct Chunk {
    int64_t ms;    // media duration still queued
    int64_t bits;  // its size still to send
  };
  int64_t capacity_kbps_;
  int64_t now_us_ = 0;
  std::deque<Chunk> queue_;
  int64_t max_queue_ms_ = 0;
};

TEST(BitrateController, FallsToMeasuredThroughputWhenTheQueueGrows) {
  BitrateController controller(kTargetKbps);
  EXPECT_EQ(controller.on_tick(0, 150, 1200, kAudioKbps), std::nullopt) << "a short queue is fine";
  // 90% of what the link carried, minus the audio's share.
  EXPECT_EQ(controller.on_tick(kTickUs, 250, 1200, kAudioKbps), 952);
  EXPECT_TRUE(controller.reduced());
}

TEST(BitrateController, KeepsUpWithASlowLinkWithinFiveSeconds) {
  constexpr int kLinkKbps = 1200;
  BitrateController controller(kTargetKbps);
  SimulatedOutput output(kLinkKbps);
  const int64_t fitted_at = output.run_until(
      controller, 5 * kSecond, [&] { return controller.bitrate_kbps() + kAudioKbps < kLinkKbps; });
  ASSERT_GE(fitted_at, 0) << "still at " << controller.bitrate_kbps() << " kbit/s after 5 s";

  // Left on the slow link for minutes, it keeps probing upward, but never so hard that the
  // output has to start dropping frames.
  output.run_until(controller, 300 * kSecond, [] { return false; });
  EXPECT_LT(output.max_queue_ms(), DropPolicy::kDropNonReferenceMs);
  EXPECT_LT(controller.bitrate_kbps() + kAudioKbps, kLinkKbps * 5 / 4);
}

TEST(BitrateController, RecoversToTargetWithinThirtySecondsWhenHealthy) {
  BitrateController controller(kTargetKbps);
  SimulatedOutput output(1200);
  output.run_until(controller, 60 * kSecond, [] { return false; });
  ASSERT_TRUE(controller.reduced());

  output.set_capacity(5000);  // the cap is lifted
  const int64_t lifted_at = output.now_us();
  const int64_t recovered_at =
      output.run_until(controller, lifted_at + 30 * kSecond, [&] { return !controller.reduced(); });
  ASSERT_GE(recovered_at, 0) << "only at " << controller.bitrate_kbps() << " kbit/s after 30 s";
  EXPECT_EQ(controller.bitrate_kbps(), kTargetKbps);
}

TEST(BitrateController, StepsUpATenthOfTargetEveryThreeHealthySeconds) {
  BitrateController controller(kTargetKbps);
  ASSERT_EQ(controller.on_tick(0, 300, 1000, kAudioKbps), 772);
  EXPECT_EQ(controller.on_tick(2'900'000, 0, 900, kAudioKbps), std::nullopt);
  EXPECT_EQ(controller.on_tick(3'000'000, 0, 900, kAudioKbps), 1022);
  EXPECT_EQ(controller.on_tick(5'000'000, 0, 1150, kAudioKbps), std::nullopt);
  EXPECT_EQ(controller.on_tick(6'000'000, 0, 1150, kAudioKbps), 1272);
}

TEST(BitrateController, DoesNotStepUpUntilTheQueueIsSmall) {
  BitrateController controller(kTargetKbps);
  ASSERT_EQ(controller.on_tick(0, 300, 1000, kAudioKbps), 772);
  for (int64_t t = kTickUs; t < 60 * kSecond; t += kTickUs) {
    EXPECT_EQ(controller.on_tick(t, 150, 900, kAudioKbps), std::nullopt) << "at " << t << " us";
  }
  EXPECT_EQ(controller.on_tick(62 * kSecond, 50, 900, kAudioKbps), std::nullopt) << "not yet three healthy seconds";
  EXPECT_EQ(controller.on_tick(63 * kSecond, 50, 900, kAudioKbps), 1022);
}

// At the full frame rate a quarter of the target; below it the frame rate halves at most (15 of
// 30 fps), and the floor with it.
TEST(BitrateController, NeverGoesBelowAQuarterOfTargetAtHalfTheFrameRate) {
  BitrateController controller(kTargetKbps);
  EXPECT_EQ(controller.on_tick(0, 2'000, 100, kAudioKbps), kTargetKbps / 4 / 2);
  EXPECT_EQ(controller.frame_share(), 3);
  for (int64_t t = kTickUs; t < 10 * kSecond; t += kTickUs) {
    EXPECT_EQ(controller.on_tick(t, 2'000, 0, kAudioKbps), std::nullopt);
  }
  EXPECT_EQ(controller.bitrate_kbps(), controller.floor_kbps());
}

TEST(BitrateController, NeverGoesAboveTarget) {
  BitrateController controller(kTargetKbps);
  for (int64_t t = 0; t < 60 * kSecond; t += kTickUs) {
    EXPECT_EQ(controller.on_tick(t, 0, 3000, kAudioKbps), std::nullopt);
  }
  EXPECT_EQ(controller.on_tick(61 * kSecond, 300, 10'000, kAudioKbps), std::nullopt)
      << "a queue on a fast link is no reason to go above target";
  EXPECT_EQ(controller.bitrate_kbps(), kTargetKbps);
}

TEST(BitrateController, IgnoresChangesTooSmallToMatter) {
  BitrateController controller(kTargetKbps);
  ASSERT_EQ(controller.on_tick(0, 300, 1200, kAudioKbps), 952);
  EXPECT_EQ(controller.on_tick(kTickUs, 300, 1250, kAudioKbps), std::nullopt) << "never up while congested";
  EXPECT_EQ(controller.on_tick(2 * kTickUs, 300, 1160, kAudioKbps), std::nullopt) << "916 is within 5%";
  EXPECT_EQ(controller.on_tick(3 * kTickUs, 300, 1100, kAudioKbps), 862);
}

TEST(BitrateController, SeveralOutputsFollowTheWorst) {
  EXPECT_EQ(BitrateController::follow_worst(kTargetKbps, std::array{1800, 900, 2500}), 900);
  EXPECT_EQ(BitrateController::follow_worst(kTargetKbps, std::vector<int>{}), kTargetKbps);

  BitrateController fast(kTargetKbps);
  BitrateController slow(kTargetKbps);
  SimulatedOutput fast_link(5000);
  SimulatedOutput slow_link(1200);
  for (int i = 0; i < 40; ++i) {
    fast_link.tick(fast);
    slow_link.tick(slow);
  }
  const std::array outputs{fast.bitrate_kbps(), slow.bitrate_kbps()};
  EXPECT_EQ(BitrateController::follow_worst(kTargetKbps, outputs), slow.bitrate_kbps());
  EXPECT_LT(slow.bitrate_kbps(), kTargetKbps / 2);
}

// A link that carries less than the floor at the full frame rate (700 kbit/s for a 2500 kbit/s
// target: 502 of 625 for the picture): fewer frames, evenly, each with its bits, and a bounded queue
// (no drops in runs); lifted, the frame rate comes back before the bitrate climbs on.
TEST(BitrateController, UnderItsFloorTheFrameRateComesDownEvenlyAndComesBackFirst) {
  BitrateController controller(kTargetKbps);
  SimulatedOutput link(700);
  link.run_until(controller, 10 * kSecond, [] { return false; });  // the first cut, from the target
  link.forget_max_queue();
  link.run_until(controller, 30 * kSecond, [] { return false; });
  EXPECT_EQ(controller.frame_share(), 4) << "20 of 30 fps carry 502 kbit/s of picture";
  EXPECT_LE(controller.bitrate_kbps() + kAudioKbps, 700);
  EXPECT_GE(controller.bitrate_kbps(), kTargetKbps / 4 * 4 / 6);
  EXPECT_LT(link.max_queue_ms(), 900) << "past DropPolicy's threshold: frames dropped in runs";

  link.set_capacity(5'000);
  bool rate_before_frames = false;
  const int64_t back = link.run_until(controller, 70 * kSecond, [&] {
    if (controller.frame_share() < kFrameShares && controller.bitrate_kbps() > kTargetKbps / 4) rate_before_frames = true;
    return controller.bitrate_kbps() == kTargetKbps;
  });
  EXPECT_GE(back, 0) << "never back at the target";
  EXPECT_EQ(controller.frame_share(), kFrameShares);
  EXPECT_FALSE(rate_before_frames) << "the bitrate climbed past the floor before the frame rate came back";
}

}  // namespace
}  // namespace cunbo
