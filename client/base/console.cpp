#include "client/base/console.h"

#include <cstdio>

#ifdef _WIN32
#include <io.h>
#include <windows.h>
#else
#include <unistd.h>
#endif

#include "client/base/strings.h"

namespace cunbo {

#ifdef _WIN32

void prepare_console() {
  SetConsoleOutputCP(CP_UTF8);
  SetConsoleCP(CP_UTF8);
}

bool stderr_is_terminal() { return _isatty(_fileno(stderr)) != 0; }

#else

void prepare_console() {}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

#endif

void print_error(const std::string& message) {
  std::fprintf(stderr, "%s%s\n", tr("err.prefix").c_str(), message.c_str());
}

void print_warning(const std::string& message) {
  std::fprintf(stderr, "%s%s\n", tr("warn.prefix").c_str(), message.c_str());
}

}  // namespace cunbo
