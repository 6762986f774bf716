#include "tests/support/wait.h"

#include <algorithm>
#include <thread>

namespace cunbo::test {

bool wait_until(Deadline deadline, const std::function<bool()>& condition, Clock::duration poll_interval) {
  for (;;) {
    if (condition()) return true;
    const auto now = Clock::now();
    if (now >= deadline) return false;
    // The poll interval lives here and nowhere else in the tests.
    std::this_thread::sleep_until(std::min(now + poll_interval, deadline));
  }
}

}  // namespace cunbo::test
