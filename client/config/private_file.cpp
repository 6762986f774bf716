#include "client/config/private_file.h"

#include <cerrno>
#include <chrono>
#include <variant>

#include <fmt/format.h>

#include "client/base/files.h"
#include "client/base/paths.h"

namespace cunbo {

namespace {

std::variant<std::filesystem::path, int> keep_file_aside(const std::filesystem::path& path) {
  const std::string stem = path.string() + ".broken-" + local_stamp(std::chrono::system_clock::now());
  for (int n = 1; n < 100; ++n) {
    const std::filesystem::path kept = n == 1 ? stem : fmt::format("{}-{}", stem, n);
    const int error = rename_no_replace(path, kept);
    if (error == 0) {
      make_owner_only(kept);  // it may hold stream keys, whatever its mode was
      return kept;
    }
    if (error != EEXIST) return error;
  }
  return EEXIST;
}

}  // namespace

Replaced replace_file_privately(const std::filesystem::path& path, const std::string& bytes, bool keep_old) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  std::filesystem::path kept;  // empty: nothing kept aside
  if (keep_old) {
    auto moved = keep_file_aside(path);
    if (const int* error = std::get_if<int>(&moved)) return Replaced{*error, std::nullopt};
    kept = std::get<std::filesystem::path>(moved);
  }
  if (const int error = replace_file(path, bytes, FileAccess::owner_only); error != 0) {
    if (!kept.empty()) (void)rename_no_replace(kept, path);  // as it was
    return Replaced{error, std::nullopt};
  }
  if (kept.empty()) return Replaced{0, std::nullopt};
  return Replaced{0, std::move(kept)};
}

}  // namespace cunbo
