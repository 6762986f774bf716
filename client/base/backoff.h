// When the platform feed tries again after a failed request (../shared/platform-api.md,
// "Errors"): 5xx, timeouts, resets and bodies that are not JSON back off exponentially with
// jitter (1 s, doubling, capped at 30 s); a 429's Retry-After (seconds or an HTTP date)
// overrides the schedule for that one wait; a success starts over from 1 s.
// Pure logic: time comes in as microseconds (a monotonic clock for the schedule, the wall
// clock only to turn an HTTP date into a delay), randomness through an injected source.
// Not thread-safe: each poller owns its own.
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
    int64_t first_delay_us = 1'000'000;  // the contract: 1 s ...
    int64_t max_delay_us = 30'000'000;   // ... doubling, capped at 30 s
  };

  // Up to 20% taken off each wait, so the studios hit by the same platform outage do not
  // come back in lockstep. Jitter only ever shortens a wait: the schedule is a ceiling.
  static constexpr double kJitterFraction = 0.2;
  // A Retry-After is the server's word, but not an unbounded one: a misbehaving server must
  // neither make us spin ("0" over and over) nor park the feed for days.
  static constexpr int64_t kMinRetryAfterUs = 100'000;
  static constexpr int64_t kMaxRetryAfterUs = 3'600'000'000;

  explicit Backoff(Random random) : Backoff(std::move(random), Policy{}) {}
  Backoff(Random random, Policy policy);

  // The request made at `now_us` failed (5xx, timeout, reset, not JSON, 429 without a usable
  // Retry-After). Schedules the next attempt and returns the wait in µs.
  int64_t on_failure(int64_t now_us);
  // A 429 whose Retry-After asked for `retry_after_us`: that wait (clamped to
  // [kMinRetryAfterUs, kMaxRetryAfterUs]) replaces ours, without jitter. It still counts as a
  // failure, so a later failure without Retry-After waits longer. Returns the wait in µs.
  int64_t on_retry_after(int64_t now_us, int64_t retry_after_us);
  // A request succeeded: the next failure waits first_delay_us again.
  void on_success();

  // When the next attempt is due (0 before any failure: at once).
  [[nodiscard]] int64_t next_attempt_us() const { return next_attempt_us_; }
  // Failures since the last success.
  [[nodiscard]] int failures() const { return failures_; }

 private:
  Random random_;
  Policy policy_;
  int64_t base_delay_us_;  // the next wait before jitter; doubles, capped
  int64_t next_attempt_us_ = 0;
  int failures_ = 0;
};


}  // namespace cunbo
