#include "tests/support/environment.h"

#include <cstdlib>

namespace cunbo::test {

#ifdef _WIN32
void set_env(const char* name, const std::string& value) { _putenv_s(name, value.c_str()); }
void unset_env(const char* name) { _putenv_s(name, ""); }  // an empty value removes it
#else
void set_env(const char* name, const std::string& value) { ::setenv(name, value.c_str(), 1); }
void unset_env(const char* name) { ::unsetenv(name); }
#endif

}  // namespace cunbo::test
