#include "client/cli/process_list.h"

#ifdef _WIN32
#include <windows.h>
#include <shellapi.h>
#endif

#include "client/config/destination.h"

namespace cunbo {

namespace {

// The part of `arg` after "--to=" (or all of it) when it is a URL whose last part is a key:
// where the key starts in `arg`, or npos.
size_t key_offset(const std::string& arg, std::string& masked) {
  const size_t scheme = arg.find("://");
  if (scheme == std::string::npos) return std::string::npos;
  const size_t equals = arg.find('=');
  const size_t url_start = equals < scheme ? equals + 1 : 0;
  const std::string url = arg.substr(url_start);
  masked = mask_url(url);
  const size_t keep = masked.size() - 4;  // masked ends in ****
  if (!masked.ends_with("****") || keep >= url.size()) return std::string::npos;
  return url_start + keep;
}

}  // namespace

#ifdef _WIN32

std::vector<char*> utf8_arguments(int argc, char** argv, std::vector<std::string>& storage) {
  int count = 0;
  LPWSTR* wide = CommandLineToArgvW(GetCommandLineW(), &count);
  storage.clear();
  if (!wide || count != argc) {  // not what we were started with: keep what main was given
    if (wide) LocalFree(wide);
    return std::vector<char*>(argv, argv + argc);
  }
  for (int i = 0; i < count; ++i) {
    const int bytes = WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, nullptr, 0, nullptr, nullptr);
    std::string text(bytes > 0 ? static_cast<size_t>(bytes - 1) : 0, '\0');
    if (bytes > 1) WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, text.data(), bytes, nullptr, nullptr);
    storage.push_back(std::move(text));
  }
  LocalFree(wide);
  std::vector<char*> pointers;
  for (std::string& s : storage) pointers.push_back(s.data());
  return pointers;
}

std::string hide_keys_from_process_list(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string masked;
    if (key_offset(argv[i], masked) != std::string::npos) return masked;
  }
  return {};
}

#else

std::vector<char*> utf8_arguments(int argc, char** argv, std::vector<std::string>& storage) {
  storage.clear();
  return std::vector<char*>(argv, argv + argc);
}

std::string hide_keys_from_process_list(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string masked;
    const size_t at = key_offset(argv[i], masked);
    if (at == std::string::npos) continue;
    for (char* c = argv[i] + at; *c; ++c) *c = '*';
  }
  return {};
}

#endif

}  // namespace cunbo
