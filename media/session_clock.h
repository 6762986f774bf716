// The one monotonic session clock (microseconds since the session started). Every capture
// time, PTS and deadline in the pipeline is expressed on it. Also the one place that reads the
// machine's clocks as microseconds, for code that keeps time outside a session.
#pragma once

#include <chrono>
#include <cstdint>

namespace cunbo {

// Monotonic microseconds (steady_clock since an unspecified epoch): for intervals and deadlines.
[[nodiscard]] inline int64_t steady_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
// Microseconds since the Unix epoch (the wall clock): only to compare with dates from outside.
[[nodiscard]] inline int64_t wall_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class SessionClock {
 public:
  using Clock = std::chrono::steady_clock;

  SessionClock() : origin_(Clock::now()) {}
  explicit SessionClock(Clock::time_point origin) : origin_(origin) {}

  [[nodiscard]] int64_t now_us() const { return to_us(Clock::now()); }
  [[nodiscard]] int64_t to_us(Clock::time_point t) const {
    return std::chrono::duration_cast<std::chrono::microseconds>(t - origin_).count();
  }
  [[nodiscard]] Clock::time_point at_us(int64_t us) const { return origin_ + std::chrono::microseconds(us); }

 private:
  Clock::time_point origin_;
};

}  // namespace cunbo
