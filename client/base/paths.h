// Where things go on the host's machine, and the local clock's words for a moment.
//   Linux: the XDG conventions.
//   Windows: the Known Folders: 视频\Cunbo for recordings, %APPDATA%\Cunbo for the config,
//            %LOCALAPPDATA%\Cunbo for the cache and the state.
// The environment variables named below override either system's answer (tests use them).
#pragma once

#include <chrono>
#include <ctime>
#include <filesystem>
#include <string>

namespace cunbo {

[[nodiscard]] std::filesystem::path home_dir();
[[nodiscard]] std::filesystem::path config_dir();  // $XDG_CONFIG_HOME/cunbo, else ~/.config/cunbo; %APPDATA%\Cunbo
[[nodiscard]] std::filesystem::path videos_dir();  // $XDG_VIDEOS_DIR, else ~/Videos; 视频\Cunbo
[[nodiscard]] std::filesystem::path state_dir();   // $XDG_STATE_HOME/cunbo, else ~/.local/state/cunbo; %LOCALAPPDATA%\Cunbo\state
[[nodiscard]] std::filesystem::path cache_dir();   // $XDG_CACHE_HOME/cunbo, else ~/.cache/cunbo; %LOCALAPPDATA%\Cunbo\cache
// Windows' Fonts folder (empty elsewhere: fontconfig knows where fonts are).
[[nodiscard]] std::filesystem::path system_fonts_dir();
// The running program's own file (empty when the system does not say).
[[nodiscard]] std::filesystem::path executable_path();

// The calendar fields of `t` in local time / in UTC (false when out of range).
bool local_time(std::time_t t, std::tm& out);
bool utc_time(std::time_t t, std::tm& out);
// RFC 3339 in local time with its offset: 2026-12-04T19:02:03+08:00.
[[nodiscard]] std::string local_rfc3339(std::chrono::system_clock::time_point when);
// YYYYmmdd-HHMMSS in local time: how recordings and kept-aside files are named.
[[nodiscard]] std::string local_stamp(std::chrono::system_clock::time_point when);
// <dir>/<prefix>-YYYYmmdd-HHMMSS.mkv in local time.
[[nodiscard]] std::filesystem::path timestamped_recording(const std::filesystem::path& dir, const std::string& prefix,
                                                          std::chrono::system_clock::time_point when);

}  // namespace cunbo
