#include "media/reconnect_policy.h"

#include <algorithm>

namespace cunbo {

void ReconnectPolicy::on_connect_failed(int64_t now_us, Failure why) {
  ++failures_;
  // A network failure says nothing about the key, and it breaks the row: only refusals met on
  // consecutive attempts count, so a flaky server is not mistaken for a wrong key.
  refusals_in_a_row_ = why == Failure::kPublishRefused ? refusals_in_a_row_ + 1 : 0;
  if (refusals_in_a_row_ >= kRefusalsMeaningKeyRejected) {
    key_rejected_ = true;
    return;
  }
  const double r = std::clamp(random_ ? random_() : 0.0, 0.0, 1.0);
  const auto jitter_us = static_cast<int64_t>(static_cast<double>(base_delay_us_) * kJitterFraction * r);
  next_attempt_us_ = now_us + std::min(base_delay_us_, kMaxDelayUs) - jitter_us;
  base_delay_us_ = std::min(base_delay_us_ * kGrowthNum / kGrowthDen, kMaxDelayUs);
}

void ReconnectPolicy::reset() {
  base_delay_us_ = kFirstDelayUs;
  failures_ = 0;
  refusals_in_a_row_ = 0;
  key_rejected_ = false;
}

void ReconnectPolicy::reconnect_now(int64_t now_us) {
  next_attempt_us_ = now_us;
  refusals_in_a_row_ = 0;
  key_rejected_ = false;
}

}  // namespace cunbo
