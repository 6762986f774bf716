#include "client/config/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <variant>

#include <fmt/format.h>

#include "client/base/paths.h"

namespace cunbo {

namespace {

// rename() that never replaces an existing file: renameat2(RENAME_NOREPLACE) where the file
// system has it, else a look first (a race we accept where it has not).
int rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return errno;
  std::error_code ec;
  if (std::filesystem::exists(to, ec)) return EEXIST;
  return std::rename(from.c_str(), to.c_str()) == 0 ? 0 : errno;
}

void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);  // best effort: the rename is durable once the directory is
  ::close(fd);
}

std::variant<std::string, int> write_private_temp(const std::filesystem::path& path, const std::string& bytes) {
  std::string name = path.string() + ".XXXXXX";
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);  // mode 0600
  if (fd < 0) return errno;
  size_t done = 0;
  int error = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n < 0 ? errno : EIO;
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (error == 0 && ::fchmod(fd, 0600) != 0) error = errno;
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) {
    ::unlink(name.c_str());
    return error;
  }
  return name;
}

std::variant<std::filesystem::path, int> keep_file_aside(const std::filesystem::path& path) {
  const std::string stem = path.string() + ".broken-" + local_stamp(std::chrono::system_clock::now());
  for (int n = 1; n < 100; ++n) {
    const std::filesystem::path kept = n == 1 ? stem : fmt::format("{}-{}", stem, n);
    const int error = rename_no_replace(path, kept);
    if (error == 0) {
      ::chmod(kept.c_str(), 0600);  // it may hold stream keys, whatever its mode was
      sync_directory(path.parent_path());
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
  auto written = write_private_temp(path, bytes);
  if (const int* error = std::get_if<int>(&written)) return Replaced{*error, std::nullopt};
  const std::string& temp = std::get<std::string>(written);
  std::filesystem::path kept;  // empty: nothing kept aside
  if (keep_old) {
    auto moved = keep_file_aside(path);
    if (const int* error = std::get_if<int>(&moved)) {
      ::unlink(temp.c_str());
      return Replaced{*error, std::nullopt};
    }
    kept = std::get<std::filesystem::path>(moved);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    if (!kept.empty()) (void)rename_no_replace(kept, path);  // as it was
    return Replaced{error, std::nullopt};
  }
  sync_directory(path.parent_path());
  if (kept.empty()) return Replaced{0, std::nullopt};
  return Replaced{0, std::move(kept)};
}

}  // namespace cunbo
