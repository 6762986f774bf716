#include "client/platform/image_fetch.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "media/utf8_path.h"

namespace cunbo {

namespace {

// CDNs redirect (short links, regional hosts), but a chain longer than this is a loop.
constexpr int kMaxRedirects = 5;
// What decode_image reads, so that a CDN that negotiates the format (AVIF to whoever accepts
// it) picks one of these; */* last so that a server that cannot still answers.
constexpr const char* kAccept = "image/webp,image/png,image/jpeg,*/*;q=0.5";

ImageError unreachable(std::string detail) { return ImageError{ImageError::Code::unreachable, std::move(detail)}; }

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decoded(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const int hi = s[i] == '%' && i + 2 < s.size() ? hex_digit(s[i + 1]) : -1;
    const int lo = hi >= 0 ? hex_digit(s[i + 2]) : -1;
    if (lo >= 0) {
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The file a file: URL names on this computer ("file:///p", "file://localhost/p"), or nullopt.
std::optional<std::filesystem::path> file_url_path(std::string_view url) {
  std::string_view rest = url.substr(std::string_view("file://").size());
  if (starts_with_nocase(rest, "localhost/")) rest.remove_prefix(std::string_view("localhost").size());
  if (!rest.starts_with('/')) return std::nullopt;  // another host's file
  rest = rest.substr(0, rest.find_first_of("?#"));
  return path_of_file_url(percent_decoded(rest));
}

}  // namespace

std::variant<std::vector<uint8_t>, ImageError> read_image_file(const std::filesystem::path& path,
                                                              const ImageLimits& limits) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return unreachable(path.string() + ": " + ec.message());
  if (size > limits.max_bytes)
    return ImageError{ImageError::Code::too_large, fmt::format("{} bytes (limit {})", size, limits.max_bytes)};
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes(size);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
    return unreachable(path.string() + ": cannot be read");
  return bytes;
}

ImageFetcher::ImageFetcher(ImageLimits limits, std::function<bool()> abort)
    : limits_(limits),
      transfer_(
          [&] {
            HttpTransfer::Settings settings;  // no authorization: a CDN is not the platform
            settings.user_agent = "cunbo";
            settings.connect_timeout = limits.connect_timeout;
            settings.max_response_bytes = limits.max_bytes;
            settings.accept = kAccept;
            return settings;
          }(),
          std::move(abort)) {}

std::variant<std::vector<uint8_t>, ImageError> ImageFetcher::fetch(const std::string& url) {
  if (url.empty()) return unreachable("no image URL");
  if (url.find("://") == std::string::npos) return read_image_file(url, limits_);
  if (starts_with_nocase(url, "file://")) {
    const auto path = file_url_path(url);
    if (!path) return unreachable("a file on another computer");
    return read_image_file(*path, limits_);
  }
  if (!starts_with_nocase(url, "http://") && !starts_with_nocase(url, "https://"))
    return unreachable("only http, https and local files");

  HttpRequest request;
  request.url = url;
  request.timeout = limits_.timeout;
  request.max_redirects = kMaxRedirects;
  HttpResponse response = transfer_.perform(request);
  switch (response.outcome) {
    case HttpResponse::Outcome::aborted:
      return ImageError{ImageError::Code::stopped, "stopped"};
    case HttpResponse::Outcome::too_large:
      return ImageError{ImageError::Code::too_large, fmt::format("more than {} bytes", limits_.max_bytes)};
    case HttpResponse::Outcome::failed:
      return unreachable(std::move(response.error));
    case HttpResponse::Outcome::completed:
      break;
  }
  if (response.status < 200 || response.status >= 300) return unreachable(fmt::format("HTTP {}", response.status));
  return std::vector<uint8_t>(response.body.begin(), response.body.end());
}

std::variant<std::vector<uint8_t>, ImageError> fetch_image_bytes(const std::string& url, const ImageLimits& limits,
                                                                 const std::atomic<bool>* stop) {
  ImageFetcher fetcher(limits, [stop] { return stop != nullptr && stop->load(); });
  return fetcher.fetch(url);
}

}  // namespace cunbo
