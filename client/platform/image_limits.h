// What a product picture may be (../shared/platform-api.md, "Images") and why one could not
// be had: the vocabulary shared by fetching, decoding, caching and the loader.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace cunbo {

struct ImageLimits {
  size_t max_bytes = size_t{5} << 20;                 // a larger download is aborted
  int max_dimension = 4096;                           // wider or taller: refused before decoding
  std::chrono::milliseconds timeout{10'000};          // the whole download
  std::chrono::milliseconds connect_timeout{5'000};
};

struct ImageError {
  enum class Code {
    unreachable,      // the download failed (network, HTTP error, missing file, timeout)
    too_large,        // more than max_bytes
    too_many_pixels,  // wider or taller than max_dimension
    unsupported,      // not JPEG, PNG or WebP
    broken,           // says it is one of them but does not decode
    stopped,          // the loader is shutting down
  };
  Code code = Code::broken;
  std::string detail;
};

// An image URL may be a signed CDN link: only this much of it goes to the log.
[[nodiscard]] inline std::string loggable_image_url(std::string_view url) {
  return std::string(url.substr(0, url.find('?')));
}

}  // namespace cunbo
