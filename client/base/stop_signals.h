// How a host (or the system) asks a running session to stop or to reconnect now, taken
// synchronously by the main thread with wait(), so nothing runs in a signal context and a stop
// never interrupts a half-written file.
//   Linux: SIGINT / SIGTERM stop and SIGUSR1 reconnects; block() before any thread starts so
//          every thread inherits the mask and only wait() takes them.
//   Windows: the console's Ctrl-C, Ctrl-Break and close, and the system's log-off and shutdown,
//          stop; "reconnect now" comes from the window's button only.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace cunbo::stop_signals {

enum class Request { stop, reconnect_now };

struct Received {
  Request request;
  std::string name;  // what came, for the log: "SIGTERM", "Ctrl-C"…
};

void block();
// Waits up to `timeout` for a request; returns it if one came.
[[nodiscard]] std::optional<Received> wait(std::chrono::milliseconds timeout);

}  // namespace cunbo::stop_signals
