// What each destination host's uplink sustained the last time (issue #13), so that a stream to a
// host the link was too slow for starts at 80 % of that instead of at the preset's bitrate and
// an emergency drop in its first seconds; it climbs from there as usual. Kept in
// $XDG_STATE_HOME/cunbo/uplinks.json, one entry per host:
//   {"push.example.com": {"video_kbps": 820, "limited": true}}
// written at the end of each live session from its own measurements. A file that cannot be
// read counts as none: it only spares the first seconds, it never stops a stream.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace cunbo {

struct UplinkRecord {
  int video_kbps = 0;    // the mean video bitrate the link carried, over the time it was live
  bool limited = false;  // it carried less than the preset asked for at some point
};

class UplinkMemory {
 public:
  // Reads the file once (what is there now); remember() writes it whole.
  explicit UplinkMemory(std::filesystem::path file);
  [[nodiscard]] static std::filesystem::path default_file();  // state_dir() / "uplinks.json"

  [[nodiscard]] std::optional<UplinkRecord> recall(const std::string& host) const;
  // Replaces the host's entry (the others kept); written whole and renamed into place. False
  // when it could not be written (logged).
  bool remember(const std::string& host, const UplinkRecord& record);

  // Where the next stream to a host starts: the preset's bitrate, or 80 % of what the link
  // sustained when that was less.
  [[nodiscard]] static int start_kbps(int preset_kbps, const std::optional<UplinkRecord>& last);
  static constexpr int kStartPercent = 80;

 private:
  std::filesystem::path file_;
  nlohmann::json data_;  // host → {video_kbps, limited}
};

// The host a destination URL pushes to ("rtmp://Push.Example.com:1935/live/****" →
// "push.example.com"); empty when there is none.
[[nodiscard]] std::string destination_host(const std::string& url);

}  // namespace cunbo
