#include "client/platform/image_fetch.h"

#include <fstream>
#include <memory>
#include <mutex>
#include <system_error>
#include <utility>

#include <curl/curl.h>
#include <fmt/format.h>

namespace cunbo {

namespace {

struct CurlDeleter {
  void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};

struct Download {
  std::vector<uint8_t> bytes;
  size_t max_bytes = 0;
  bool too_large = false;
  const std::atomic<bool>* stop = nullptr;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* d = static_cast<Download*>(user);
  const size_t n = size * count;
  if (d->bytes.size() + n > d->max_bytes) {
    d->too_large = true;
    return CURL_WRITEFUNC_ERROR;  // aborts the transfer at once
  }
  d->bytes.insert(d->bytes.end(), data, data + n);
  return n;
}

int on_progress(void* user, curl_off_t /*dltotal*/, curl_off_t /*dlnow*/, curl_off_t /*ultotal*/,
                curl_off_t /*ulnow*/) {
  const auto* d = static_cast<Download*>(user);
  return d->stop && d->stop->load() ? 1 : 0;
}

}  // namespace

std::variant<std::vector<uint8_t>, ImageError> read_image_file(const std::filesystem::path& path,
                                                              const ImageLimits& limits) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return ImageError{ImageError::Code::unreachable, path.string() + ": " + ec.message()};
  if (size > limits.max_bytes)
    return ImageError{ImageError::Code::too_large, fmt::format("{} bytes (limit {})", size, limits.max_bytes)};
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes(size);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
    return ImageError{ImageError::Code::unreachable, path.string() + ": cannot be read"};
  return bytes;
}

std::variant<std::vector<uint8_t>, ImageError> fetch_image_bytes(const std::string& url, const ImageLimits& limits,
                                                                 const std::atomic<bool>* stop) {
  if (url.empty()) return ImageError{ImageError::Code::unreachable, "no image URL"};
  if (url.find("://") == std::string::npos) return read_image_file(url, limits);

  static std::once_flag curl_once;
  std::call_once(curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return ImageError{ImageError::Code::unreachable, "curl_easy_init failed"};

  Download download;
  download.max_bytes = limits.max_bytes;
  download.stop = stop;
  char error[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  // TLS verification and the proxy variables (http_proxy, https_proxy, no_proxy) are libcurl's
  // defaults: deliberately left alone.
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits.max_bytes));
  curl_easy_setopt(c, CURLOPT_USERAGENT, "cunbo");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &download);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &download);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);

  const CURLcode result = curl_easy_perform(c);
  if (download.too_large || result == CURLE_FILESIZE_EXCEEDED)
    return ImageError{ImageError::Code::too_large, fmt::format("more than {} bytes", limits.max_bytes)};
  if (result == CURLE_ABORTED_BY_CALLBACK) return ImageError{ImageError::Code::stopped, "stopped"};
  if (result != CURLE_OK)
    return ImageError{ImageError::Code::unreachable, *error ? std::string(error) : curl_easy_strerror(result)};
  return std::move(download.bytes);
}

}  // namespace cunbo
