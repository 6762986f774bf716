#include "client/base/paths.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>

namespace cunbo {

namespace {

std::filesystem::path from_env(const char* name) {
  const char* value = std::getenv(name);
  return value && *value == '/' ? std::filesystem::path(value) : std::filesystem::path();
}

}  // namespace

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

std::string local_stamp(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm local{};
  ::localtime_r(&t, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  return stamp;
}

std::filesystem::path timestamped_recording(const std::filesystem::path& dir, const std::string& prefix,
                                            std::chrono::system_clock::time_point when) {
  return dir / (prefix + "-" + local_stamp(when) + ".mkv");
}

}  // namespace cunbo
