// A real small disk: a tmpfs of a given size mounted on a folder for as long as the object
// lives, to fill up under a recording. Mounting needs root, as the tests (and CI) run.
#pragma once

#include <filesystem>
#include <string>

namespace cunbo::test {

class SmallDisk {
 public:
  // `size` as mount(8) takes it: "300k", "1m".
  SmallDisk(std::filesystem::path dir, const std::string& size);
  ~SmallDisk();
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
  [[nodiscard]] bool mounted() const { return mounted_; }
  [[nodiscard]] const std::string& error() const { return error_; }  // why it is not mounted

 private:
  std::filesystem::path dir_;
  bool mounted_ = false;
  std::string error_;
};

}  // namespace cunbo::test
