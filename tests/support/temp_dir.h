// A fresh directory under $TMPDIR (or /tmp), removed with everything in it at the end.
// Set CUNBO_KEEP_TEST_FILES=1 to keep it for a look after a failure (its path is printed).
#pragma once

#include <filesystem>
#include <string_view>

namespace cunbo::test {

class TempDir {
 public:
  // `label` becomes part of the name, to tell which test left a kept directory.
  explicit TempDir(std::string_view label = "cunbo-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path operator/(const std::filesystem::path& child) const { return path_ / child; }

 private:
  std::filesystem::path path_;
};

// Writes `text` to `path` (creating or truncating it); throws on failure.
void write_text_file(const std::filesystem::path& path, std::string_view text);

// The whole file as a string; throws if it cannot be read.
[[nodiscard]] std::string read_text_file(const std::filesystem::path& path);

}  // namespace cunbo::test
