#include "media/thread_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace cunbo {

void yield_to_the_pipeline() {
  // Linux keeps a nice value per thread (PRIO_PROCESS with a thread id); new threads inherit it.
  constexpr int kNice = 5;
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  if (::setpriority(PRIO_PROCESS, tid, kNice) != 0) spdlog::debug("[thread] cannot lower this thread's priority");
}

}  // namespace cunbo
