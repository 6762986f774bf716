#include "client/base/backoff.h"
#include "client/platform/retry_after.h"

#include <gtest/gtest.h>

#include <vector>

namespace cunbo {
namespace {

constexpr int64_t kS = 1'000'000;

TEST(Backoff, WaitsOneSecondThenDoublesUpToThirtySeconds) {
  Backoff b([] { return 0.0; });
  std::vector<int64_t> waits;
  int64_t now = 0;
  for (int i = 0; i < 8; ++i) {
    waits.push_back(b.on_failure(now));
    EXPECT_EQ(b.next_attempt_us(), now + waits.back());
    now = b.next_attempt_us();
  }
  EXPECT_EQ(waits, (std::vector<int64_t>{1 * kS, 2 * kS, 4 * kS, 8 * kS, 16 * kS, 30 * kS, 30 * kS, 30 * kS}));
  EXPECT_EQ(b.failures(), 8);
}

TEST(Backoff, JitterOnlyShortensAWaitAndByAtMostAFifth) {
  Backoff most([] { return 0.999999; });
  EXPECT_GE(most.on_failure(0), 800'000);
  EXPECT_LT(most.on_failure(0), 2 * kS);
  Backoff half([] { return 0.5; });
  EXPECT_EQ(half.on_failure(0), 900'000);
  EXPECT_EQ(half.on_failure(0), 1'800'000);
}

TEST(Backoff, OutOfRangeRandomnessIsClamped) {
  Backoff wild([] { return 7.0; });
  EXPECT_EQ(wild.on_failure(0), 800'000);
  Backoff negative([] { return -3.0; });
  EXPECT_EQ(negative.on_failure(0), kS);
  Backoff none(Backoff::Random{});
  EXPECT_EQ(none.on_failure(0), kS);
}

TEST(Backoff, SuccessStartsOverFromOneSecond) {
  Backoff b([] { return 0.0; });
  (void)b.on_failure(0);
  (void)b.on_failure(0);
  (void)b.on_failure(0);
  b.on_success();
  EXPECT_EQ(b.failures(), 0);
  EXPECT_EQ(b.on_failure(100), kS);
  EXPECT_EQ(b.next_attempt_us(), 100 + kS);
}

TEST(Backoff, RetryAfterOverridesTheScheduleForOneWait) {
  Backoff b([] { return 0.0; });
  EXPECT_EQ(b.on_retry_after(5 * kS, 7 * kS), 7 * kS);
  EXPECT_EQ(b.next_attempt_us(), 12 * kS);
  // It counted as a failure: the next one without Retry-After waits 2 s, not 1 s.
  EXPECT_EQ(b.on_failure(0), 2 * kS);
}

TEST(Backoff, RetryAfterIsClampedToSaneBounds) {
  Backoff b([] { return 0.0; });
  EXPECT_EQ(b.on_retry_after(0, 0), Backoff::kMinRetryAfterUs);
  EXPECT_EQ(b.on_retry_after(0, -5), Backoff::kMinRetryAfterUs);
  EXPECT_EQ(b.on_retry_after(0, int64_t{1} << 62), Backoff::kMaxRetryAfterUs);
}

TEST(Backoff, PolicyCanBeShortenedForTests) {
  Backoff b([] { return 0.0; }, Backoff::Policy{50'000, 150'000});
  EXPECT_EQ(b.on_failure(0), 50'000);
  EXPECT_EQ(b.on_failure(0), 100'000);
  EXPECT_EQ(b.on_failure(0), 150'000);
  EXPECT_EQ(b.on_failure(0), 150'000);
}

TEST(Backoff, RetryAfterSecondsAreParsed) {
  EXPECT_EQ(parse_retry_after("120", 0), 120 * kS);
  EXPECT_EQ(parse_retry_after(" 0 ", 0), 0);
  EXPECT_EQ(parse_retry_after("1", 999 * kS), kS);
}

TEST(Backoff, RetryAfterHttpDatesAreParsedAgainstTheWallClock) {
  // Wed, 21 Oct 2015 07:28:00 GMT = 1445412480 s since the epoch.
  const int64_t at = 1'445'412'480 * kS;
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", at - 30 * kS), 30 * kS);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", at - 250'000), 250'000);
  // RFC 850 and asctime forms.
  EXPECT_EQ(parse_retry_after("Wednesday, 21-Oct-15 07:28:00 GMT", at - 5 * kS), 5 * kS);
  EXPECT_EQ(parse_retry_after("Wed Oct 21 07:28:00 2015", at - 5 * kS), 5 * kS);
  // A date already past: at once.
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", at + 60 * kS), 0);
}

TEST(Backoff, GarbageRetryAfterIsRejected) {
  EXPECT_FALSE(parse_retry_after("", 0));
  EXPECT_FALSE(parse_retry_after("   ", 0));
  EXPECT_FALSE(parse_retry_after("-5", 0));
  EXPECT_FALSE(parse_retry_after("1.5", 0));
  EXPECT_FALSE(parse_retry_after("soon", 0));
  EXPECT_FALSE(parse_retry_after("99999999999999999999999999", 0));
  EXPECT_FALSE(parse_retry_after(std::string(500, 'x'), 0));
}

}  // namespace
}  // namespace cunbo
