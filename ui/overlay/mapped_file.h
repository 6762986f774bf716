// A file mapped read-only into memory (never copied), for the large font files glyphs are
// looked up in: mmap on POSIX, a file mapping on Windows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace cunbo::ui {

class MappedFile {
 public:
  // The whole of `path` (UTF-8), or null when it cannot be opened, is not a regular file, is
  // shorter than `min_size` bytes or cannot be mapped. Lookups jump around the file: no
  // read-ahead is asked for.
  [[nodiscard]] static std::unique_ptr<MappedFile> open(const std::string& path, size_t min_size);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  [[nodiscard]] std::span<const uint8_t> bytes() const { return {data_, size_}; }
  // Drops the file's pages from this process's resident memory (they come back from the
  // system's cache when read again).
  void release_pages() const;

 private:
  MappedFile(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  const uint8_t* data_;
  size_t size_;
};

}  // namespace cunbo::ui
