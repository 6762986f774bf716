#include "tests/support/small_disk.h"

#include <sys/mount.h>

#include <cerrno>
#include <cstring>

namespace cunbo::test {

SmallDisk::SmallDisk(std::filesystem::path dir, const std::string& size) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
  mounted_ = ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, ("size=" + size).c_str()) == 0;
  if (!mounted_) error_ = std::string("cannot mount a tmpfs (the tests need root): ") + std::strerror(errno);
}

SmallDisk::~SmallDisk() {
  if (mounted_ && ::umount(dir_.c_str()) != 0) ::umount2(dir_.c_str(), MNT_DETACH);
}

}  // namespace cunbo::test
