// SIGINT / SIGTERM ("stop") and SIGUSR1 ("reconnect now"): blocked in every thread (call
// block() before any thread starts) and taken synchronously by the main thread with wait(),
// so no handler runs in a signal context and a stop never interrupts a half-written file.
#pragma once

#include <chrono>
#include <optional>

namespace cunbo::stop_signals {

void block();
// Waits up to `timeout` for one of the signals; returns its number if one came.
[[nodiscard]] std::optional<int> wait(std::chrono::milliseconds timeout);

}  // namespace cunbo::stop_signals
