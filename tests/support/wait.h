// Waiting on a condition with a deadline: the only way tests wait (STYLE.md, "Tests").
#pragma once

#include <chrono>
#include <functional>

namespace cunbo::test {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

[[nodiscard]] inline Deadline deadline_after(Clock::duration d) { return Clock::now() + d; }

// Re-checks `condition` every `poll_interval` until it holds (true) or the deadline passes
// (false; the condition is checked one last time at the deadline). Use it only for states
// nothing notifies about (a file growing, a socket starting to accept); when a thread can
// notify, wait on its condition variable instead.
[[nodiscard]] bool wait_until(Deadline deadline, const std::function<bool()>& condition,
                              Clock::duration poll_interval = std::chrono::milliseconds(10));

}  // namespace cunbo::test
