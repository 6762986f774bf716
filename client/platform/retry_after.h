// The Retry-After header of a 429 (../shared/platform-api.md, "Errors"), read as a delay.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace cunbo {

// The value of a Retry-After header as a delay in µs from `wall_now_us` (µs since the Unix
// epoch): delta-seconds ("120") or an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT", and the
// obsolete forms curl_getdate accepts). A date in the past gives 0. Anything else — empty,
// negative, garbage, absurd — gives nullopt (the caller backs off on its own schedule).
[[nodiscard]] std::optional<int64_t> parse_retry_after(std::string_view value, int64_t wall_now_us);

}  // namespace cunbo
