// The one back-off: when to try again after a failure, growing the wait with every failure in a
// row, up to a cap, with jitter. Two schedules use it: the platform feed's requests
// (../shared/platform-api.md, "Errors": 1 s, doubling, capped at 30 s, a 429's Retry-After
// overriding one wait) and the destinations' reconnects (client/session/reconnect_policy.h:
// 1 s × 1.5, capped at 10 s). A success starts over from the first wait.
// Pure logic: time comes in as microseconds, randomness through an injected source.
// Not thread-safe: each poller or supervisor owns its own.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>

namespace cunbo {

class Backoff {
 public:
  // Returns a number in [0, 1). Tests pass a fixed value; production a seeded generator.
  using Random = std::function<double()>;

  struct Policy {
    int64_t first_delay_us = 1'000'000;  // the platform contract: 1 s ...
    int64_t max_delay_us = 30'000'000;   // ... capped at 30 s ...
    int64_t growth_num = 2;              // ... doubling (growth_num / growth_den per failure)
    int64_t growth_den = 1;
  };

  // Up to 20% taken off each wait, so the studios (or outputs) hit by the same outage do not
  // come back in lockstep. Jitter only ever shortens a wait: the schedule is a ceiling.
  static constexpr double kJitterFraction = 0.2;
  // A Retry-After is the server's word, but not an unbounded one: a misbehaving server must
  // neither make us spin ("0" over and over) nor park the feed for days.
  static constexpr int64_t kMinRetryAfterUs = 100'000;
  static constexpr int64_t kMaxRetryAfterUs = 3'600'000'000;

  explicit Backoff(Random random) : Backoff(std::move(random), Policy{}) {}
  Backoff(Random random, Policy policy);

  // The attempt made at `now_us` failed. Schedules the next attempt and returns the wait in µs.
  int64_t on_failure(int64_t now_us);
  // A 429 whose Retry-After asked for `retry_after_us`: that wait (clamped to
  // [kMinRetryAfterUs, kMaxRetryAfterUs]) replaces ours, without jitter. It still counts as a
  // failure, so a later failure without Retry-After waits longer. Returns the wait in µs.
  int64_t on_retry_after(int64_t now_us, int64_t retry_after_us);
  // An attempt succeeded: the next failure waits first_delay_us again.
  void on_success();
  // Try at `now_us` (the host pressed "reconnect now"); the schedule carries on from where it was.
  void retry_now(int64_t now_us) { next_attempt_us_ = now_us; }

  // When the next attempt is due (0 before any failure: at once).
  [[nodiscard]] int64_t next_attempt_us() const { return next_attempt_us_; }
  // Failures since the last success.
  [[nodiscard]] int failures() const { return failures_; }
  [[nodiscard]] const Policy& policy() const { return policy_; }

 private:
  void grow();

  Random random_;
  Policy policy_;
  int64_t base_delay_us_;  // the next wait before jitter; grows, capped
  int64_t next_attempt_us_ = 0;
  int failures_ = 0;
};

}  // namespace cunbo
