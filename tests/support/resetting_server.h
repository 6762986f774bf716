// A flaky edge for tests: a TCP server on 127.0.0.1:port that accepts each connection, reads
// what an RTMP client sends first (C0 + C1, 1537 bytes, or whatever comes within a second) and
// then resets it (RST), as an overloaded CDN edge or a middlebox does. Counts the connections.
// One thread from construction to destruction; thread-safe counters.
#pragma once

#include <atomic>
#include <cstddef>
#include <thread>

namespace cunbo::test {

class ResettingServer {
 public:
  static constexpr std::size_t kRtmpGreeting = 1537;  // C0 (1 byte) + C1 (1536 bytes)

  // Listens on `port` (SO_REUSEADDR: a port nginx just left is fine); throws if it cannot.
  explicit ResettingServer(int port);
  ~ResettingServer();  // stops listening: the port is free again when this returns
  ResettingServer(const ResettingServer&) = delete;
  ResettingServer& operator=(const ResettingServer&) = delete;

  [[nodiscard]] std::size_t connections() const { return connections_.load(); }

 private:
  void run();

  int listener_ = -1;
  int wake_[2] = {-1, -1};  // a pipe: written to stop the thread
  std::atomic<std::size_t> connections_{0};
  std::thread thread_;
};

}  // namespace cunbo::test
