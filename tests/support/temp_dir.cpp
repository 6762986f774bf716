#include "tests/support/temp_dir.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

namespace cunbo::test {

TempDir::TempDir(std::string_view label) {
  std::string name = std::string(label) + "-";
  for (char& c : name) {
    if (c == '/' || c == ' ') c = '_';
  }
  // A name nobody else has (create_directory fails on an existing one), from a random suffix.
  std::random_device random;
  std::error_code ec;
  for (int attempt = 0; attempt < 100; ++attempt) {
    path_ = std::filesystem::temp_directory_path() / (name + fmt::format("{:08x}", random()));
    if (std::filesystem::create_directory(path_, ec)) return;
  }
  throw std::runtime_error("cannot create a temporary directory in " +
                           std::filesystem::temp_directory_path().string() + ": " + ec.message());
}

TempDir::~TempDir() {
  const char* keep = std::getenv("CUNBO_KEEP_TEST_FILES");
  if (keep != nullptr && *keep != '\0' && std::string_view(keep) != "0") {
    std::cerr << "[ kept     ] " << path_.string() << '\n';
    return;
  }
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void write_text_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace cunbo::test
