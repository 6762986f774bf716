// Our strings are UTF-8; a std::filesystem::path made from a std::string is read in the
// system's narrow encoding, which on Windows is an ANSI code page (and path::string() goes back
// through it, failing on any character it lacks). These convert explicitly, on every system.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace cunbo {

[[nodiscard]] inline std::filesystem::path utf8_path(std::string_view text) {
  return std::filesystem::path(std::u8string(text.begin(), text.end()));
}

[[nodiscard]] inline std::string path_utf8(const std::filesystem::path& path) {
  const std::u8string text = path.u8string();
  return std::string(text.begin(), text.end());
}

// The file a file: URL's (decoded) path names: "/home/x.jpg"; on Windows "/C:/Users/x.jpg" is
// C:/Users/x.jpg.
[[nodiscard]] inline std::filesystem::path path_of_file_url(std::string decoded) {
#ifdef _WIN32
  if (decoded.size() >= 3 && decoded[0] == '/' && decoded[2] == ':') decoded.erase(0, 1);
#endif
  return utf8_path(decoded);
}

}  // namespace cunbo
