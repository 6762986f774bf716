// Setting and clearing the test process's environment variables, on POSIX and on Windows
// (which has no setenv).
#pragma once

#include <string>

namespace cunbo::test {

void set_env(const char* name, const std::string& value);
void unset_env(const char* name);

}  // namespace cunbo::test
