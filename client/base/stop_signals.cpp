#include "client/base/stop_signals.h"

#include <signal.h>

#include <ctime>

namespace cunbo::stop_signals {

namespace {

sigset_t stop_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1);
  return set;
}

}  // namespace

void block() {
  sigset_t set = stop_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

std::optional<int> wait(std::chrono::milliseconds timeout) {
  sigset_t set = stop_set();
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  ts.tv_nsec = static_cast<long>((timeout.count() % 1000) * 1'000'000);
  int sig = sigtimedwait(&set, nullptr, &ts);
  if (sig > 0) return sig;
  return std::nullopt;
}

}  // namespace cunbo::stop_signals
