// The one monotonic session clock (microseconds since the session started). Every capture
// time, PTS and deadline in the pipeline is expressed on it.
#pragma once

#include <chrono>
#include <cstdint>

namespace cunbo {

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
