#include "client/base/stop_signals.h"

#ifdef _WIN32
#include <windows.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#else
#include <signal.h>

#include <cstring>
#include <ctime>
#endif

namespace cunbo::stop_signals {

#ifdef _WIN32

namespace {

std::mutex mutex;
std::condition_variable arrived;
std::deque<DWORD> pending;

// Runs on a thread the system starts for it. For a close, log-off or shutdown the process is
// ended once this returns: wait (the system allows about 5 s) for the main thread to finish the
// recording, which it does on the stop this hands over.
BOOL WINAPI on_console_event(DWORD event) {
  {
    const std::lock_guard lock(mutex);
    pending.push_back(event);
  }
  arrived.notify_all();
  if (event == CTRL_CLOSE_EVENT || event == CTRL_LOGOFF_EVENT || event == CTRL_SHUTDOWN_EVENT) Sleep(4500);
  return TRUE;
}

const char* event_name(DWORD event) {
  switch (event) {
    case CTRL_C_EVENT: return "Ctrl-C";
    case CTRL_BREAK_EVENT: return "Ctrl-Break";
    case CTRL_CLOSE_EVENT: return "console closed";
    case CTRL_LOGOFF_EVENT: return "log-off";
    default: return "shutdown";
  }
}

}  // namespace

void block() { SetConsoleCtrlHandler(on_console_event, TRUE); }

std::optional<Received> wait(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex);
  if (!arrived.wait_for(lock, timeout, [] { return !pending.empty(); })) return std::nullopt;
  const DWORD event = pending.front();
  pending.pop_front();
  return Received{Request::stop, event_name(event)};
}

#else

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

std::optional<Received> wait(std::chrono::milliseconds timeout) {
  sigset_t set = stop_set();
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  ts.tv_nsec = static_cast<long>((timeout.count() % 1000) * 1'000'000);
  const int sig = sigtimedwait(&set, nullptr, &ts);
  if (sig <= 0) return std::nullopt;
  const char* name = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGUSR1";
  return Received{sig == SIGUSR1 ? Request::reconnect_now : Request::stop, name};
}

#endif

}  // namespace cunbo::stop_signals
