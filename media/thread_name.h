// Every thread Cunbo starts carries a name ("capture video", "output #2", "supervisor"…), so
// top -H, /proc/PID/task/*/comm and a debugger show which one burns the CPU or hangs.
// Threads that libraries start (x264's encoder threads, a sound server's client thread) take
// the name of the thread that created them: ThreadNameScope names that moment after their owner.
#pragma once

#include <string>

namespace cunbo {

// Names the calling thread. The kernel keeps 15 bytes: longer names are cut.
void name_this_thread(const std::string& name);

// Names the calling thread for the scope's lifetime, then gives it its name back: threads a
// library starts meanwhile are born with `name`.
class ThreadNameScope {
 public:
  explicit ThreadNameScope(const std::string& name);
  ~ThreadNameScope();
  ThreadNameScope(const ThreadNameScope&) = delete;
  ThreadNameScope& operator=(const ThreadNameScope&) = delete;

 private:
  std::string previous_;
};

}  // namespace cunbo
