#include "client/base/assets.h"

#include <cstdlib>
#include <system_error>

#include "client/base/paths.h"

namespace cunbo {

namespace {

bool holds_assets(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::exists(dir / "sample-catalog.json", ec);
}

}  // namespace

std::filesystem::path assets_dir() {
  if (const char* assets = std::getenv("CUNBO_ASSETS_DIR"); assets && *assets) {
    if (holds_assets(assets)) return assets;
  }
  const std::filesystem::path exe = executable_path();
  if (exe.empty()) return {};
  if (auto installed = exe.parent_path().parent_path() / "share" / "cunbo"; holds_assets(installed)) return installed;
  for (auto dir = exe.parent_path(); !dir.empty(); dir = dir.parent_path()) {
    if (holds_assets(dir / "assets")) return dir / "assets";
    if (dir == dir.root_path()) break;
  }
  return {};
}

}  // namespace cunbo
