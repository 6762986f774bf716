// What the files of HttpPlatform share (http_platform*.cpp) and nobody else includes: a
// response's meaning, and two helpers for what a response carried.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "client/platform/http_platform.h"

namespace cunbo {

// What a response means for the caller. `why` is for the log and FeedStatus::detail.
struct HttpPlatform::Outcome {
  Verdict verdict = Verdict::retry;
  std::string why;
  int64_t retry_after_us = 0;  // with Verdict::retry_after
};

namespace http_platform_detail {

// Only printable ASCII (an ETag or an error code) may be sent back or logged.
[[nodiscard]] bool printable_ascii(std::string_view s);
// Logs the first few reasons items of a response were skipped, and counts the rest.
void log_skipped(std::string_view what, const std::vector<std::string>& skipped);

}  // namespace http_platform_detail

}  // namespace cunbo
