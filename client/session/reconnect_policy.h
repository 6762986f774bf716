// When to reconnect a destination that went down. The transport (media/stream_output.h) only
// reports "failed / lost: why"; the session's supervisor asks this class whether and when to
// try again. Retries go on forever while the host is live, except for a stream key the server
// keeps refusing: hammering it helps nobody, so that becomes "key rejected" until the host
// presses "reconnect now". The schedule is the one back-off (client/base/backoff.h).
// Pure logic: time comes in as session microseconds, randomness through an injected source.
// Not thread-safe: touched only by the supervisor's thread.
#pragma once

#include <cstdint>

#include "client/base/backoff.h"

namespace cunbo {

class ReconnectPolicy {
 public:
  enum class Failure {
    kNetwork,         // could not connect, or the connection dropped while streaming
    kPublishRefused,  // closed right after publish, or NetStream.Publish.BadName / Unauthorized
    kUntrusted,       // the server's certificate does not verify: retried, but only every kMaxDelayUs
  };

  using Random = Backoff::Random;

  static constexpr int64_t kFirstDelayUs = 1'000'000;  // a blip is usually over within a second
  static constexpr int64_t kMaxDelayUs = 10'000'000;   // back on air within 10 s of the server
  // ×1.5 per failure: patient with an outage, yet a server back after 3 s is reached within
  // 2 s whatever the jitter (attempts by 1 + 1.5 + 2.25 = 4.75 s).
  static constexpr Backoff::Policy kSchedule{kFirstDelayUs, kMaxDelayUs, 3, 2};
  // One refusal can be a server hiccup; three in a row with nothing accepted is the key.
  static constexpr int kRefusalsMeaningKeyRejected = 3;

  explicit ReconnectPolicy(Random random) : backoff_(std::move(random), kSchedule) {}

  // The attempt made at `now_us` failed; schedules the next one (unless the key is rejected).
  void on_connect_failed(int64_t now_us, Failure why);
  // The server accepted media: the connection works and the key is good. Same as reset().
  void on_media_accepted() { reset(); }
  // Back to a fresh start: next failure waits kFirstDelayUs again.
  void reset();
  // The host pressed "reconnect now": try at `now_us`, even after the key was rejected
  // (they may have fixed it on the platform). Keeps the attempt count for the status line.
  void reconnect_now(int64_t now_us);

  // Session time at which the next attempt is due (0 before any failure: connect at once).
  [[nodiscard]] int64_t next_attempt_us() const { return backoff_.next_attempt_us(); }
  // The number of the upcoming retry ("正在重连（第3次）"); 0 while connected.
  [[nodiscard]] int attempt() const { return failures_; }
  [[nodiscard]] bool should_retry() const { return !key_rejected_; }
  [[nodiscard]] bool key_rejected() const { return key_rejected_; }

 private:
  Backoff backoff_;
  int failures_ = 0;           // since the last reset, refusals included
  int refusals_in_a_row_ = 0;  // publish refusals with no other failure or accepted media between
  bool key_rejected_ = false;
};

}  // namespace cunbo
