#include "client/config/destination.h"

#include <algorithm>
#include <cctype>
#include <fstream>

#include <fmt/format.h>

#include "client/base/files.h"

namespace cunbo {

namespace {

bool is_rtmp(const std::string& url) { return url.starts_with("rtmp://") || url.starts_with("rtmps://"); }

// Index of the first '/' after the authority, or npos.
size_t path_start(const std::string& url) {
  const size_t scheme = url.find("://");
  return scheme == std::string::npos ? std::string::npos : url.find('/', scheme + 3);
}

}  // namespace

std::string mask_url(const std::string& url) {
  if (!url.starts_with("srt://")) {  // rtmp(s), and anything unknown: the key is the path after the app
    const size_t path = path_start(url);
    if (path == std::string::npos) return url;
    const size_t key = url.find('/', path + 1);  // /app/KEY: everything after app is the key
    return key == std::string::npos ? url : url.substr(0, key + 1) + "****";
  }
  const size_t query = url.find('?');  // srt://host:port?streamid=...&passphrase=...
  return query == std::string::npos ? url : url.substr(0, query) + "?****";
}

namespace {

std::string percent_encoded(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') out += c;
    else out += fmt::format("%{:02X}", u);
  }
  return out;
}

bool query_has(const std::string& url, const std::string& name) {
  const size_t query = url.find('?');
  if (query == std::string::npos) return false;
  for (size_t at = query + 1; at < url.size();) {
    const size_t end = std::min(url.find('&', at), url.size());
    if (url.compare(at, name.size() + 1, name + "=") == 0) return true;
    at = end + 1;
  }
  return false;
}

}  // namespace

std::variant<std::string, DestinationError> with_srt_options(const std::string& url, const SrtOptions& options) {
  if (!options.passphrase && !options.streamid && !options.latency_ms) return url;
  if (!url.starts_with("srt://")) return DestinationError{"err.srt_options_not_srt", mask_url(url)};
  if (options.passphrase && (options.passphrase->size() < 10 || options.passphrase->size() > 79))
    return DestinationError{"err.srt_passphrase", mask_url(url)};
  if (options.latency_ms && (*options.latency_ms < 20 || *options.latency_ms > 10'000))
    return DestinationError{"err.srt_latency", mask_url(url)};
  std::string out = url;
  auto add = [&](const std::string& name, const std::string& value) {
    if (query_has(out, name)) return;  // the URL's own wins
    out += (out.find('?') == std::string::npos ? "?" : "&") + name + "=" + value;
  };
  if (options.passphrase) add("passphrase", percent_encoded(*options.passphrase));
  if (options.streamid) add("streamid", percent_encoded(*options.streamid));
  if (options.latency_ms) add("latency", std::to_string(*options.latency_ms * 1000));  // FFmpeg's is in µs
  return out;
}

bool has_own_key(const std::string& text) {
  if (!is_rtmp(text)) return true;
  const size_t path = path_start(text);
  if (path == std::string::npos) return false;
  const size_t key_at = text.find('/', path + 1);
  return key_at != std::string::npos && key_at + 1 < text.size();
}

std::variant<Destination, DestinationError> make_destination(const std::string& text,
                                                             const std::optional<std::string>& key) {
  if (text.starts_with("srt://")) return Destination{text, mask_url(text)};
  if (!is_rtmp(text)) return DestinationError{"err.bad_dest", mask_url(text)};
  const size_t path = path_start(text);
  if (path == std::string::npos || path + 1 >= text.size()) return DestinationError{"err.bad_dest", text};
  if (has_own_key(text)) return Destination{text, mask_url(text)};
  if (!key || key->empty()) return DestinationError{"err.dest_needs_key", text};
  std::string base = text;
  if (base.back() != '/') base += '/';
  return Destination{base + *key, base + "****"};
}

std::variant<KeyFile, DestinationError> read_key_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return DestinationError{"err.key_file_unreadable", path};
  KeyFile file;
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    file.keys.push_back(line.substr(start));
  }
  file.readable_by_others = readable_by_others(path);
  return file;
}

}  // namespace cunbo
