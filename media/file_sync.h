// Flushing a file that FFmpeg writes to the disk, from a second handle of our own, so a power
// cut loses at most the last few seconds of a recording. fdatasync on POSIX, FlushFileBuffers
// on Windows; either works on the file, whichever handle names it.
#pragma once

#include <cstdint>
#include <string>

namespace cunbo {

class FileSync {
 public:
  FileSync() = default;
  // Opens `path` (UTF-8) for flushing; check `usable()`, and `problem()` for why not.
  explicit FileSync(const std::string& path);
  ~FileSync();
  FileSync(FileSync&& other) noexcept;
  FileSync& operator=(FileSync&& other) noexcept;
  FileSync(const FileSync&) = delete;
  FileSync& operator=(const FileSync&) = delete;

  [[nodiscard]] bool usable() const { return handle_ != kNone; }
  [[nodiscard]] const std::string& problem() const { return problem_; }
  // Flushes what the system holds of the file to the disk. False (with problem()) on failure,
  // after which the handle is closed and usable() is false.
  bool flush();

 private:
  void close();
  // A file descriptor, or a Windows HANDLE's value; -1 (INVALID_HANDLE_VALUE too) for none.
  using Handle = std::intptr_t;
  static constexpr Handle kNone = -1;
  Handle handle_ = kNone;
  std::string problem_;
};

}  // namespace cunbo
