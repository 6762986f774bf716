#include "media/audio_timeline.h"

#include <gtest/gtest.h>

namespace cunbo {
namespace {

constexpr int kRate = 48000;
constexpr int64_t kFrame = 1024;

TEST(AudioTimeline, AudioThatStartsLateIsPaddedSoItStartsWithTheVideo) {
  AudioTimeline t(kRate);
  auto plan = t.on_input(30'000, kFrame, 0);  // first samples captured 30 ms after time 0
  EXPECT_EQ(plan.silence_before, 1440);
  EXPECT_EQ(plan.skip, 0);
}

TEST(AudioTimeline, AudioCapturedBeforeTheStartIsCut) {
  AudioTimeline t(kRate);
  auto early = t.on_input(-100'000, kFrame, 0);  // wholly before time 0
  EXPECT_EQ(early.skip, kFrame);
  auto straddling = t.on_input(-10'000, kFrame, 0);
  EXPECT_EQ(straddling.skip, 480);
  EXPECT_EQ(straddling.silence_before, 0);
}

TEST(AudioTimeline, SteadyInputNeedsNoCorrection) {
  AudioTimeline t(kRate);
  int64_t written = 0;
  for (int i = 0; i < 1000; ++i) {
    auto plan = t.on_input(t.us_at(written), kFrame, written);
    EXPECT_EQ(plan.silence_before, 0);
    EXPECT_EQ(plan.compensation, 0);
    written += kFrame;
  }
}

TEST(AudioTimeline, JitterIsNotMistakenForDrift) {
  AudioTimeline t(kRate);
  int64_t written = 0;
  for (int i = 0; i < 2000; ++i) {
    const int64_t jitter = (i % 2 ? 15'000 : -15'000);  // ±15 ms arrival jitter
    auto plan = t.on_input(t.us_at(written) + (i ? jitter : 0), kFrame, written);
    EXPECT_EQ(plan.compensation, 0) << "at input " << i;
    written += kFrame;
  }
}

TEST(AudioTimelineDrift, ASlowDeviceClockIsCorrectedByResamplingNotDropping) {
  AudioTimeline t(kRate);
  int64_t written = 0;
  int64_t gained = 0;
  // The device delivers 0.3% fewer samples than our clock says it should.
  for (int i = 0; i < 3000; ++i) {
    const int64_t capture_us = static_cast<int64_t>(static_cast<double>(i) * kFrame * 1.003 * 1e6 / kRate);
    auto plan = t.on_input(capture_us, kFrame, written);
    EXPECT_EQ(plan.skip, 0);
    EXPECT_EQ(plan.silence_before, 0) << "drift must not be covered with silence";
    EXPECT_LE(std::abs(plan.compensation), plan.compensation_distance * AudioTimeline::kMaxCompensationPermille / 1000);
    gained += plan.compensation;
    written += kFrame + plan.compensation;  // what the resampler adds over the window, credited at once
  }
  const int64_t expected = t.samples_at(static_cast<int64_t>(3000 * kFrame * 1.003 * 1e6 / kRate));
  EXPECT_GT(gained, 0);
  EXPECT_LT(std::abs(expected - written), t.samples_at(60'000)) << "timeline stays within 60 ms of the clock";
}

TEST(AudioTimeline, AStalledDeviceIsCoveredWithSilence) {
  AudioTimeline t(kRate);
  ASSERT_EQ(t.on_input(0, kFrame, 0).silence_before, 0);
  auto plan = t.on_input(1'000'000, kFrame, kFrame);  // nothing for a second
  EXPECT_EQ(plan.silence_before, kRate - kFrame);
}

}  // namespace
}  // namespace cunbo
