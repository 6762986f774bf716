// Writing the config file so that it is never half-written and never readable by others even
// for a moment, and keeping a file we cannot use aside instead of overwriting it (the system's
// part: client/base/files.h); any thread, one writer per file at a time.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace cunbo {

struct Replaced {
  int error = 0;                              // errno (client/base/files.h); 0 when written
  std::optional<std::filesystem::path> kept;  // where the old file went, when it was kept aside
};

// Replaces `path` with `bytes` at once (a private 0600 temp file, fsync, rename, directory fsync):
// on any failure the old file is as it was. With `keep_old`, the old file is first moved to
// `<path>.broken-YYYYmmdd-HHMMSS` (local time; "-2", "-3"… when that name is taken, so an earlier
// copy is never overwritten), made private (it may hold stream keys), and put back if the new
// one cannot be written.
[[nodiscard]] Replaced replace_file_privately(const std::filesystem::path& path, const std::string& bytes,
                                              bool keep_old);

}  // namespace cunbo
