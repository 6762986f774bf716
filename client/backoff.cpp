#include "client/backoff.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>

namespace cunbo {

namespace {

// Retry-After in seconds beyond this is not a delay but garbage (and would overflow µs).
constexpr int64_t kMaxDeltaSeconds = int64_t{1} << 40;

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

Backoff::Backoff(Random random, Policy policy)
    : random_(std::move(random)), policy_(policy), base_delay_us_(policy.first_delay_us) {
  policy_.first_delay_us = std::max<int64_t>(policy_.first_delay_us, 0);
  policy_.max_delay_us = std::max(policy_.max_delay_us, policy_.first_delay_us);
  base_delay_us_ = policy_.first_delay_us;
}

int64_t Backoff::on_failure(int64_t now_us) {
  ++failures_;
  const double r = std::clamp(random_ ? random_() : 0.0, 0.0, 1.0);
  const int64_t base = std::min(base_delay_us_, policy_.max_delay_us);
  const auto jitter_us = static_cast<int64_t>(static_cast<double>(base) * kJitterFraction * r);
  const int64_t wait_us = base - jitter_us;
  next_attempt_us_ = now_us + wait_us;
  // Doubling saturates at the cap, so the product never overflows.
  base_delay_us_ = base >= policy_.max_delay_us / 2 ? policy_.max_delay_us : base * 2;
  return wait_us;
}

int64_t Backoff::on_retry_after(int64_t now_us, int64_t retry_after_us) {
  ++failures_;
  const int64_t wait_us = std::clamp(retry_after_us, kMinRetryAfterUs, kMaxRetryAfterUs);
  next_attempt_us_ = now_us + wait_us;
  const int64_t base = std::min(base_delay_us_, policy_.max_delay_us);
  base_delay_us_ = base >= policy_.max_delay_us / 2 ? policy_.max_delay_us : base * 2;
  return wait_us;
}

void Backoff::on_success() {
  base_delay_us_ = policy_.first_delay_us;
  failures_ = 0;
}

std::optional<int64_t> parse_retry_after(std::string_view value, int64_t wall_now_us) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int64_t seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc{} || end != value.data() + value.size() || seconds > kMaxDeltaSeconds) {
      return std::nullopt;
    }
    return seconds * 1'000'000;
  }
  // An HTTP date. curl_getdate wants a C string and takes RFC 1123, RFC 850 and asctime forms;
  // a header line this long is no date.
  if (value.size() > 64) return std::nullopt;
  const std::string date(value);
  const time_t at = curl_getdate(date.c_str(), nullptr);
  if (at == -1) return std::nullopt;
  const int64_t at_us = static_cast<int64_t>(at) * 1'000'000;
  return std::max<int64_t>(at_us - wall_now_us, 0);
}

}  // namespace cunbo
