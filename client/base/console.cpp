#include "client/base/console.h"

#include <cstdio>

#include "client/base/strings.h"

namespace cunbo {

void print_error(const std::string& message) {
  std::fprintf(stderr, "%s%s\n", tr("err.prefix").c_str(), message.c_str());
}

void print_warning(const std::string& message) {
  std::fprintf(stderr, "%s%s\n", tr("warn.prefix").c_str(), message.c_str());
}

}  // namespace cunbo
