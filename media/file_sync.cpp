#include "media/file_sync.h"

#include <utility>

#ifdef _WIN32
#include <windows.h>

#include <system_error>

#include "media/utf8_path.h"
#else
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#endif

namespace cunbo {

namespace {

#ifdef _WIN32
std::string last_error_text() { return std::system_category().message(static_cast<int>(GetLastError())); }
#else
std::string last_error_text() { return std::strerror(errno); }
#endif

}  // namespace

FileSync::FileSync(const std::string& path) {
#ifdef _WIN32
  // FlushFileBuffers wants a handle that may write; FFmpeg's own handle shares the file.
  HANDLE h = CreateFileW(utf8_path(path).c_str(), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                         nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h != INVALID_HANDLE_VALUE) handle_ = reinterpret_cast<Handle>(h);
#else
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) handle_ = fd;
#endif
  if (!usable()) problem_ = last_error_text();
}

FileSync::~FileSync() { close(); }

FileSync::FileSync(FileSync&& other) noexcept
    : handle_(std::exchange(other.handle_, kNone)), problem_(std::move(other.problem_)) {}

FileSync& FileSync::operator=(FileSync&& other) noexcept {
  if (this != &other) {
    close();
    handle_ = std::exchange(other.handle_, kNone);
    problem_ = std::move(other.problem_);
  }
  return *this;
}

bool FileSync::flush() {
  if (!usable()) return false;
#ifdef _WIN32
  const bool done = FlushFileBuffers(reinterpret_cast<HANDLE>(handle_)) != 0;
#else
  const bool done = ::fdatasync(static_cast<int>(handle_)) == 0;
#endif
  if (done) return true;
  problem_ = last_error_text();
  close();
  return false;
}

void FileSync::close() {
  if (!usable()) return;
#ifdef _WIN32
  CloseHandle(reinterpret_cast<HANDLE>(handle_));
#else
  ::close(static_cast<int>(handle_));
#endif
  handle_ = kNone;
}

}  // namespace cunbo
