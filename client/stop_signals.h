// SIGINT / SIGTERM as a polite "stop": blocked in every thread (call block() before any thread
// starts) and taken synchronously by the main thread with wait(), so no handler runs in a
// signal context and a stop can never interrupt a half-written file.
#pragma once

#include <chrono>
#include <optional>

namespace cunbo::stop_signals {

void block();
// Waits up to `timeout` for SIGINT or SIGTERM; returns the signal number if one came.
[[nodiscard]] std::optional<int> wait(std::chrono::milliseconds timeout);

}  // namespace cunbo::stop_signals
