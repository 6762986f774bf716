#include "client/platform/retry_after.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <string>

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
