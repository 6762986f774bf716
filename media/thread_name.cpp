#include "media/thread_name.h"

#include <pthread.h>

namespace cunbo {

namespace {
constexpr size_t kMaxLength = 15;  // TASK_COMM_LEN - 1
}  // namespace

void name_this_thread(const std::string& name) {
  const std::string cut = name.substr(0, kMaxLength);
  (void)pthread_setname_np(pthread_self(), cut.c_str());
}

ThreadNameScope::ThreadNameScope(const std::string& name) {
  char buffer[kMaxLength + 1] = {};
  if (pthread_getname_np(pthread_self(), buffer, sizeof buffer) == 0) previous_ = buffer;
  name_this_thread(name);
}

ThreadNameScope::~ThreadNameScope() {
  if (!previous_.empty()) name_this_thread(previous_);
}

}  // namespace cunbo
