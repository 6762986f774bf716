#include "media/thread_priority.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <spdlog/spdlog.h>

namespace cunbo {

void yield_to_the_pipeline() {
#ifdef _WIN32
  // Windows keeps a priority per thread; threads started later do not inherit it.
  if (!SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL))
    spdlog::debug("[thread] cannot lower this thread's priority");
#else
  // Linux keeps a nice value per thread (PRIO_PROCESS with a thread id); new threads inherit it.
  constexpr int kNice = 5;
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  if (::setpriority(PRIO_PROCESS, tid, kNice) != 0) spdlog::debug("[thread] cannot lower this thread's priority");
#endif
}

}  // namespace cunbo
