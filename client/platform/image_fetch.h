// Product picture bytes from wherever image_url points, within limits (size, time): an http or
// https URL, a file: URL or a plain local path. TLS is verified and the system proxy variables
// are honoured (libcurl's defaults).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "client/platform/image_limits.h"

namespace cunbo {

// Reads a local file of at most limits.max_bytes.
[[nodiscard]] std::variant<std::vector<uint8_t>, ImageError> read_image_file(const std::filesystem::path& path,
                                                                             const ImageLimits& limits);

// Fetches `url` (http, https or file; a plain path is a local file) within `limits`. `stop`
// aborts it.
[[nodiscard]] std::variant<std::vector<uint8_t>, ImageError> fetch_image_bytes(
    const std::string& url, const ImageLimits& limits, const std::atomic<bool>* stop = nullptr);

}  // namespace cunbo
