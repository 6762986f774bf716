// A place to push the stream: its URL with the key (a secret) and the same URL masked for
// everything a person or a log can see.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cunbo {

struct Destination {
  std::string url;          // complete, with the key: only the output may use it
  std::string display_url;  // rtmp://host/app/****
};

struct DestinationError {
  std::string id;    // string-table id
  std::string what;  // masked URL or file path
};

// `text` is rtmp[s]://host[:port]/app/KEY, rtmp[s]://host[:port]/app (then `key` must be
// given), or srt://host:port?... (passphrase / streamid in the query are masked).
[[nodiscard]] std::variant<Destination, DestinationError> make_destination(const std::string& text,
                                                                           const std::optional<std::string>& key);
// An srt:// URL with these added to its query (percent-encoded), those already in it kept.
// Errors: a passphrase SRT cannot use (10 to 79 characters), a latency outside 20 ms–10 s, or
// any of them on a URL that is not srt://.
struct SrtOptions {
  std::optional<std::string> passphrase;
  std::optional<std::string> streamid;
  std::optional<int64_t> latency_ms;

  friend bool operator==(const SrtOptions&, const SrtOptions&) = default;
};
[[nodiscard]] std::variant<std::string, DestinationError> with_srt_options(const std::string& url,
                                                                           const SrtOptions& options);
// Whether `text` carries its own key (rtmp://host/app/KEY, or any srt:// URL).
[[nodiscard]] bool has_own_key(const std::string& text);
// The masked form of any destination URL.
[[nodiscard]] std::string mask_url(const std::string& url);

struct KeyFile {
  std::vector<std::string> keys;
  bool readable_by_others = false;
};
[[nodiscard]] std::variant<KeyFile, DestinationError> read_key_file(const std::string& path);

}  // namespace cunbo
