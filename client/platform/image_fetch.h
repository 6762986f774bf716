// Product picture bytes from wherever image_url points, within limits (size, time). An http or
// https URL goes over the one HTTP transfer (HttpTransfer: TLS verified, the system proxy
// variables honoured) without the platform's token, following a few redirects (CDNs redirect)
// but only to http/https; a file: URL or a plain path is read directly.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "client/platform/http_transfer.h"
#include "client/platform/image_limits.h"

namespace cunbo {

// Reads a local file of at most limits.max_bytes.
[[nodiscard]] std::variant<std::vector<uint8_t>, ImageError> read_image_file(const std::filesystem::path& path,
                                                                             const ImageLimits& limits);

// Keeps its connection to a CDN between pictures. fetch() from one thread at a time; wake()
// from any thread.
class ImageFetcher {
 public:
  // `abort` is asked while a download waits (and after every wake()): true abandons it
  // (ImageError::Code::stopped).
  ImageFetcher(ImageLimits limits, std::function<bool()> abort);

  [[nodiscard]] std::variant<std::vector<uint8_t>, ImageError> fetch(const std::string& url);
  // Makes a download in progress look at `abort` now.
  void wake() { transfer_.wake(); }

 private:
  ImageLimits limits_;
  HttpTransfer transfer_;
};

// One fetch with a fetcher of its own. `stop` (if any) aborts it.
[[nodiscard]] std::variant<std::vector<uint8_t>, ImageError> fetch_image_bytes(
    const std::string& url, const ImageLimits& limits, const std::atomic<bool>* stop = nullptr);

}  // namespace cunbo
