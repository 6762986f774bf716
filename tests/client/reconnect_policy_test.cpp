#include "client/session/reconnect_policy.h"

#include <gtest/gtest.h>

#include <random>

namespace cunbo {
namespace {

using Failure = ReconnectPolicy::Failure;

constexpr int64_t kSecond = 1'000'000;

ReconnectPolicy without_jitter() {
  return ReconnectPolicy([] { return 0.0; });
}

TEST(ReconnectPolicy, ConnectsAtOnceAndRetriesOneSecondAfterTheFirstFailure) {
  auto policy = without_jitter();
  EXPECT_EQ(policy.next_attempt_us(), 0);
  EXPECT_EQ(policy.attempt(), 0);
  policy.on_connect_failed(5 * kSecond, Failure::kNetwork);
  EXPECT_EQ(policy.next_attempt_us(), 6 * kSecond);
  EXPECT_EQ(policy.attempt(), 1);
}

TEST(ReconnectPolicy, BacksOffByHalfAgainUpToTenSeconds) {
  auto policy = without_jitter();
  const int64_t expected[] = {1'000'000, 1'500'000, 2'250'000, 3'375'000, 5'062'500,
                              7'593'750, 10'000'000, 10'000'000, 10'000'000};
  int64_t now = 0;
  for (const int64_t delay : expected) {
    policy.on_connect_failed(now, Failure::kNetwork);
    EXPECT_EQ(policy.next_attempt_us() - now, delay) << "attempt " << policy.attempt();
    now = policy.next_attempt_us();
  }
}

TEST(ReconnectPolicy, ACertificateThatDoesNotVerifyIsRetriedOnlyEveryTenSecondsNeverTakenForTheKey) {
  auto policy = without_jitter();
  int64_t now = 0;
  for (int i = 0; i < 5; ++i) {
    policy.on_connect_failed(now, Failure::kUntrusted);
    EXPECT_EQ(policy.next_attempt_us() - now, ReconnectPolicy::kMaxDelayUs) << "failure " << i + 1;
    now = policy.next_attempt_us();
  }
  EXPECT_FALSE(policy.key_rejected());
  EXPECT_TRUE(policy.should_retry());
}

TEST(ReconnectPolicy, JitterOnlyShortensTheWait) {
  ReconnectPolicy early([] { return 0.999; });
  early.on_connect_failed(0, Failure::kNetwork);
  EXPECT_LT(early.next_attempt_us(), kSecond);
  EXPECT_GE(early.next_attempt_us(), kSecond - kSecond / 5);

  std::mt19937 rng(42);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  ReconnectPolicy policy([&] { return uniform(rng); });
  int64_t now = 0;
  int64_t previous_delay = 0;
  bool varied = false;
  for (int i = 0; i < 50; ++i) {
    policy.on_connect_failed(now, Failure::kNetwork);
    const int64_t delay = policy.next_attempt_us() - now;
    EXPECT_GE(delay, kSecond - kSecond / 5);
    EXPECT_LE(delay, ReconnectPolicy::kMaxDelayUs);
    varied |= i > 0 && delay != previous_delay;
    previous_delay = delay;
    now = policy.next_attempt_us();
  }
  EXPECT_TRUE(varied);
}

TEST(ReconnectPolicy, AServerBackAfterThreeSecondsIsTriedWithinTwoSecondsWhateverTheJitter) {
  for (double r : {0.0, 0.5, 0.999}) {
    ReconnectPolicy policy([r] { return r; });
    int64_t now = 0;  // the connection dropped; the server is back at 3 s
    while (now < 3 * kSecond) {
      policy.on_connect_failed(now, Failure::kNetwork);
      now = policy.next_attempt_us();
    }
    EXPECT_LE(now, 5 * kSecond) << "jitter " << r;
  }
}

TEST(ReconnectPolicy, RetriesForeverWhileTheNetworkIsDown) {
  auto policy = without_jitter();
  for (int i = 0; i < 10'000; ++i) policy.on_connect_failed(i * 10 * kSecond, Failure::kNetwork);
  EXPECT_TRUE(policy.should_retry());
  EXPECT_FALSE(policy.key_rejected());
  EXPECT_EQ(policy.attempt(), 10'000);
}

TEST(ReconnectPolicy, GivesUpOnlyWhenTheKeyIsRejectedThreeTimes) {
  auto policy = without_jitter();
  policy.on_connect_failed(0, Failure::kPublishRefused);
  policy.on_connect_failed(policy.next_attempt_us(), Failure::kPublishRefused);
  EXPECT_TRUE(policy.should_retry()) << "two refusals can still be a server hiccup";
  policy.on_connect_failed(policy.next_attempt_us(), Failure::kPublishRefused);
  EXPECT_TRUE(policy.key_rejected());
  EXPECT_FALSE(policy.should_retry());
}

TEST(ReconnectPolicy, RefusalsSeparatedByANetworkFailureAreNotAWrongKey) {
  auto policy = without_jitter();
  for (const Failure why : {Failure::kPublishRefused, Failure::kPublishRefused, Failure::kNetwork,
                            Failure::kPublishRefused, Failure::kPublishRefused}) {
    policy.on_connect_failed(policy.next_attempt_us(), why);
  }
  EXPECT_FALSE(policy.key_rejected());
  EXPECT_TRUE(policy.should_retry());
}

TEST(ReconnectPolicy, AcceptedMediaStartsOverFromOneSecond) {
  auto policy = without_jitter();
  policy.on_connect_failed(0, Failure::kPublishRefused);
  policy.on_connect_failed(policy.next_attempt_us(), Failure::kPublishRefused);
  policy.on_connect_failed(policy.next_attempt_us(), Failure::kNetwork);
  policy.on_media_accepted();
  EXPECT_EQ(policy.attempt(), 0);

  policy.on_connect_failed(60 * kSecond, Failure::kPublishRefused);
  EXPECT_EQ(policy.next_attempt_us(), 61 * kSecond);
  EXPECT_EQ(policy.attempt(), 1);
  policy.on_connect_failed(policy.next_attempt_us(), Failure::kPublishRefused);
  EXPECT_FALSE(policy.key_rejected()) << "the key was good a minute ago";
}

TEST(ReconnectPolicy, ReconnectNowSkipsTheWaitButKeepsCounting) {
  auto policy = without_jitter();
  policy.on_connect_failed(0, Failure::kNetwork);
  policy.on_connect_failed(kSecond, Failure::kNetwork);  // next try due at 2.5 s
  policy.reconnect_now(1'200'000);
  EXPECT_EQ(policy.next_attempt_us(), 1'200'000);
  EXPECT_EQ(policy.attempt(), 2);
  policy.on_connect_failed(1'200'000, Failure::kNetwork);
  EXPECT_EQ(policy.next_attempt_us(), 1'200'000 + 2'250'000) << "the back-off carries on";
}

TEST(ReconnectPolicy, ReconnectNowTriesAgainAfterTheKeyWasRejected) {
  auto policy = without_jitter();
  for (int i = 0; i < 3; ++i) policy.on_connect_failed(policy.next_attempt_us(), Failure::kPublishRefused);
  ASSERT_TRUE(policy.key_rejected());
  policy.reconnect_now(30 * kSecond);  // the host fixed the key on the platform
  EXPECT_FALSE(policy.key_rejected());
  EXPECT_TRUE(policy.should_retry());
  EXPECT_EQ(policy.next_attempt_us(), 30 * kSecond);
}

}  // namespace
}  // namespace cunbo
