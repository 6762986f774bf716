#include "client/base/paths.h"

#include <cstdlib>

#include <fmt/format.h>

#ifdef _WIN32
#include <windows.h>
#include <knownfolders.h>
#include <shlobj.h>
#else
#include <pwd.h>
#include <unistd.h>
#endif

namespace cunbo {

namespace {

// An absolute path from the environment, or empty.
std::filesystem::path from_env(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) return {};
  std::filesystem::path path(value);
  return path.is_absolute() ? path : std::filesystem::path();
}

#ifdef _WIN32

std::filesystem::path known_folder(REFKNOWNFOLDERID id) {
  PWSTR found = nullptr;
  std::filesystem::path path;
  if (SHGetKnownFolderPath(id, KF_FLAG_CREATE, nullptr, &found) == S_OK && found) path = found;
  CoTaskMemFree(found);
  return path;
}

std::filesystem::path local_app_data() {
  auto base = known_folder(FOLDERID_LocalAppData);
  if (base.empty()) base = std::filesystem::temp_directory_path();
  return base / "Cunbo";
}

#endif

}  // namespace

#ifdef _WIN32

std::filesystem::path home_dir() {
  if (auto home = known_folder(FOLDERID_Profile); !home.empty()) return home;
  return std::filesystem::temp_directory_path();
}

std::filesystem::path config_dir() {
  if (auto base = from_env("XDG_CONFIG_HOME"); !base.empty()) return base / "cunbo";
  auto base = known_folder(FOLDERID_RoamingAppData);
  if (base.empty()) base = home_dir();
  return base / "Cunbo";
}

std::filesystem::path videos_dir() {
  if (auto videos = from_env("XDG_VIDEOS_DIR"); !videos.empty()) return videos;
  auto base = known_folder(FOLDERID_Videos);
  if (base.empty()) base = home_dir() / "Videos";
  return base / "Cunbo";
}

std::filesystem::path state_dir() {
  if (auto base = from_env("XDG_STATE_HOME"); !base.empty()) return base / "cunbo";
  return local_app_data() / "state";
}

std::filesystem::path cache_dir() {
  if (auto base = from_env("XDG_CACHE_HOME"); !base.empty()) return base / "cunbo";
  return local_app_data() / "cache";
}

std::filesystem::path system_fonts_dir() { return known_folder(FOLDERID_Fonts); }

std::filesystem::path executable_path() {
  std::wstring buffer(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
    if (n == 0) return {};
    if (n < buffer.size()) return std::filesystem::path(buffer.substr(0, n));
    buffer.resize(buffer.size() * 2);
  }
}

bool local_time(std::time_t t, std::tm& out) { return localtime_s(&out, &t) == 0; }
bool utc_time(std::time_t t, std::tm& out) { return gmtime_s(&out, &t) == 0; }

#else

std::filesystem::path home_dir() {
  if (auto home = from_env("HOME"); !home.empty()) return home;
  if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) return pw->pw_dir;
  return std::filesystem::temp_directory_path();
}

std::filesystem::path config_dir() {
  auto base = from_env("XDG_CONFIG_HOME");
  if (base.empty()) base = home_dir() / ".config";
  return base / "cunbo";
}

std::filesystem::path videos_dir() {
  if (auto videos = from_env("XDG_VIDEOS_DIR"); !videos.empty()) return videos;
  return home_dir() / "Videos";
}

std::filesystem::path state_dir() {
  auto base = from_env("XDG_STATE_HOME");
  if (base.empty()) base = home_dir() / ".local" / "state";
  return base / "cunbo";
}

std::filesystem::path cache_dir() {
  auto base = from_env("XDG_CACHE_HOME");
  if (base.empty()) base = home_dir() / ".cache";
  return base / "cunbo";
}

std::filesystem::path system_fonts_dir() { return {}; }

std::filesystem::path executable_path() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe;
}

bool local_time(std::time_t t, std::tm& out) { return ::localtime_r(&t, &out) != nullptr; }
bool utc_time(std::time_t t, std::tm& out) { return ::gmtime_r(&t, &out) != nullptr; }

#endif

std::string local_rfc3339(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm local{}, utc{};
  if (!local_time(t, local) || !utc_time(t, utc)) return {};
  // The offset: the local fields read back as if they were UTC, less the moment itself.
  utc.tm_isdst = local.tm_isdst;
  const long offset_s = static_cast<long>(std::difftime(t, std::mktime(&utc)));
  const long minutes = (offset_s < 0 ? -offset_s : offset_s) / 60;
  char fields[32];
  std::strftime(fields, sizeof fields, "%Y-%m-%dT%H:%M:%S", &local);
  return fmt::format("{}{}{:02}:{:02}", fields, offset_s < 0 ? '-' : '+', minutes / 60, minutes % 60);
}

std::string local_stamp(std::chrono::system_clock::time_point when) {
  std::tm local{};
  (void)local_time(std::chrono::system_clock::to_time_t(when), local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  return stamp;
}

std::filesystem::path timestamped_recording(const std::filesystem::path& dir, const std::string& prefix,
                                            std::chrono::system_clock::time_point when) {
  return dir / (prefix + "-" + local_stamp(when) + ".mkv");
}

}  // namespace cunbo
