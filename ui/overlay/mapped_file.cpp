#include "ui/overlay/mapped_file.h"

#ifdef _WIN32
#include <windows.h>

#include "media/utf8_path.h"
#else
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace cunbo::ui {

#ifdef _WIN32

std::unique_ptr<MappedFile> MappedFile::open(const std::string& path, size_t min_size) {
  HANDLE file = CreateFileW(utf8_path(path).c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, nullptr,
                            OPEN_EXISTING, FILE_FLAG_RANDOM_ACCESS, nullptr);
  if (file == INVALID_HANDLE_VALUE) return nullptr;
  LARGE_INTEGER size{};
  const bool regular = GetFileType(file) == FILE_TYPE_DISK && GetFileSizeEx(file, &size) &&
                       static_cast<unsigned long long>(size.QuadPart) >= min_size;
  HANDLE mapping = regular ? CreateFileMappingW(file, nullptr, PAGE_READONLY, 0, 0, nullptr) : nullptr;
  CloseHandle(file);  // the mapping keeps the file open
  if (!mapping) return nullptr;
  void* view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
  CloseHandle(mapping);  // the view keeps the mapping
  if (!view) return nullptr;
  return std::unique_ptr<MappedFile>(new MappedFile(static_cast<const uint8_t*>(view), static_cast<size_t>(size.QuadPart)));
}

MappedFile::~MappedFile() { UnmapViewOfFile(data_); }

void MappedFile::release_pages() const {
  // Unlocking pages that are not locked asks the system to trim them from the working set.
  VirtualUnlock(const_cast<uint8_t*>(data_), size_);
}

#else

std::unique_ptr<MappedFile> MappedFile::open(const std::string& path, size_t min_size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<size_t>(st.st_size) < min_size) {
    ::close(fd);
    return nullptr;
  }
  const auto size = static_cast<size_t>(st.st_size);
  void* mapped = mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (mapped == MAP_FAILED) return nullptr;
  madvise(mapped, size, MADV_RANDOM);
  return std::unique_ptr<MappedFile>(new MappedFile(static_cast<const uint8_t*>(mapped), size));
}

MappedFile::~MappedFile() { munmap(const_cast<uint8_t*>(data_), size_); }

void MappedFile::release_pages() const { madvise(const_cast<uint8_t*>(data_), size_, MADV_DONTNEED); }

#endif

}  // namespace cunbo::ui
