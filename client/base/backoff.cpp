#include "client/base/backoff.h"

#include <algorithm>
#include <utility>

namespace cunbo {

Backoff::Backoff(Random random, Policy policy)
    : random_(std::move(random)), policy_(policy), base_delay_us_(policy.first_delay_us) {
  policy_.first_delay_us = std::max<int64_t>(policy_.first_delay_us, 0);
  policy_.max_delay_us = std::max(policy_.max_delay_us, policy_.first_delay_us);
  policy_.growth_den = std::max<int64_t>(policy_.growth_den, 1);
  policy_.growth_num = std::max(policy_.growth_num, policy_.growth_den);  // a wait never shrinks
  base_delay_us_ = policy_.first_delay_us;
}

void Backoff::grow() {
  const int64_t base = std::min(base_delay_us_, policy_.max_delay_us);
  // Saturates at the cap before multiplying, so the product never overflows.
  base_delay_us_ = base >= policy_.max_delay_us / policy_.growth_num * policy_.growth_den
                       ? policy_.max_delay_us
                       : std::min(base * policy_.growth_num / policy_.growth_den, policy_.max_delay_us);
}

int64_t Backoff::on_failure(int64_t now_us) {
  ++failures_;
  const double r = std::clamp(random_ ? random_() : 0.0, 0.0, 1.0);
  const int64_t base = std::min(base_delay_us_, policy_.max_delay_us);
  const auto jitter_us = static_cast<int64_t>(static_cast<double>(base) * kJitterFraction * r);
  const int64_t wait_us = base - jitter_us;
  next_attempt_us_ = now_us + wait_us;
  grow();
  return wait_us;
}

int64_t Backoff::on_retry_after(int64_t now_us, int64_t retry_after_us) {
  ++failures_;
  const int64_t wait_us = std::clamp(retry_after_us, kMinRetryAfterUs, kMaxRetryAfterUs);
  next_attempt_us_ = now_us + wait_us;
  grow();
  return wait_us;
}

void Backoff::on_success() {
  base_delay_us_ = policy_.first_delay_us;
  failures_ = 0;
}

}  // namespace cunbo
