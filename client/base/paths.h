// Where things go on the host's machine, following the XDG conventions.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

namespace cunbo {

[[nodiscard]] std::filesystem::path home_dir();
[[nodiscard]] std::filesystem::path config_dir();  // $XDG_CONFIG_HOME/cunbo, else ~/.config/cunbo
[[nodiscard]] std::filesystem::path videos_dir();  // $XDG_VIDEOS_DIR, else ~/Videos
[[nodiscard]] std::filesystem::path state_dir();   // $XDG_STATE_HOME/cunbo, else ~/.local/state/cunbo
[[nodiscard]] std::filesystem::path cache_dir();   // $XDG_CACHE_HOME/cunbo, else ~/.cache/cunbo
// YYYYmmdd-HHMMSS in local time: how recordings and kept-aside files are named.
[[nodiscard]] std::string local_stamp(std::chrono::system_clock::time_point when);
// <dir>/<prefix>-YYYYmmdd-HHMMSS.mkv in local time.
[[nodiscard]] std::filesystem::path timestamped_recording(const std::filesystem::path& dir, const std::string& prefix,
                                                          std::chrono::system_clock::time_point when);

}  // namespace cunbo
