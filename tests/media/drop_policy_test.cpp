#include "media/drop_policy.h"

#include <gtest/gtest.h>

namespace cunbo {
namespace {

using Decision = DropPolicy::Decision;

// Named packet kinds keep the calls readable.
Decision audio(DropPolicy& p, int64_t queued_ms) { return p.decide(true, false, false, queued_ms); }
Decision keyframe(DropPolicy& p, int64_t queued_ms) { return p.decide(false, true, false, queued_ms); }
Decision reference(DropPolicy& p, int64_t queued_ms) { return p.decide(false, false, false, queued_ms); }
Decision disposable(DropPolicy& p, int64_t queued_ms) { return p.decide(false, false, true, queued_ms); }

TEST(DropPolicy, SendsEverythingWhileTheQueueIsShort) {
  DropPolicy policy;
  for (int64_t queued_ms : {0, 200, 699, 700}) {
    EXPECT_EQ(audio(policy, queued_ms), Decision::kSend);
    EXPECT_EQ(keyframe(policy, queued_ms), Decision::kSend);
    EXPECT_EQ(reference(policy, queued_ms), Decision::kSend);
    EXPECT_EQ(disposable(policy, queued_ms), Decision::kSend);
  }
  EXPECT_EQ(policy.dropped(), 0);
}

TEST(DropPolicy, PastSevenHundredMsDropsOnlyFramesNothingReferences) {
  DropPolicy policy;
  EXPECT_EQ(disposable(policy, 800), Decision::kDropNonReference);
  EXPECT_EQ(reference(policy, 800), Decision::kSend);
  EXPECT_EQ(disposable(policy, 900), Decision::kDropNonReference);
  EXPECT_FALSE(policy.waiting_for_keyframe());
  EXPECT_EQ(disposable(policy, 300), Decision::kSend) << "caught up: no more drops";
  EXPECT_EQ(policy.dropped_non_reference(), 2);
}

TEST(DropPolicy, PastNineHundredMsDropsAllVideoUntilTheNextKeyframe) {
  DropPolicy policy;
  EXPECT_EQ(reference(policy, 950), Decision::kDropUntilKeyframe);
  EXPECT_TRUE(policy.waiting_for_keyframe());
  // The queue has drained, but these frames refer to the one just dropped.
  EXPECT_EQ(reference(policy, 100), Decision::kDropUntilKeyframe);
  EXPECT_EQ(disposable(policy, 0), Decision::kDropUntilKeyframe);
  EXPECT_EQ(keyframe(policy, 0), Decision::kSend);
  EXPECT_FALSE(policy.waiting_for_keyframe());
  EXPECT_EQ(reference(policy, 0), Decision::kSend);
}

TEST(DropPolicy, NeverDropsAudioOrKeyframes) {
  DropPolicy policy;
  ASSERT_EQ(reference(policy, 5'000), Decision::kDropUntilKeyframe);
  EXPECT_EQ(audio(policy, 5'000), Decision::kSend);
  EXPECT_TRUE(policy.waiting_for_keyframe()) << "audio does not end the wait";
  EXPECT_EQ(keyframe(policy, 5'000), Decision::kSend);
  EXPECT_EQ(policy.decide(false, true, true, 5'000), Decision::kSend) << "a keyframe is never disposable";
  EXPECT_EQ(policy.decide(true, false, true, 5'000), Decision::kSend);
}

TEST(DropPolicy, CountsDropsByReason) {
  DropPolicy policy;
  (void)disposable(policy, 750);
  (void)disposable(policy, 750);
  (void)disposable(policy, 750);
  (void)reference(policy, 1'000);
  (void)reference(policy, 400);
  (void)audio(policy, 1'000);
  (void)keyframe(policy, 400);
  EXPECT_EQ(policy.dropped_non_reference(), 3);
  EXPECT_EQ(policy.dropped_until_keyframe(), 2);
  EXPECT_EQ(policy.dropped(), 5);
}

}  // namespace
}  // namespace cunbo
