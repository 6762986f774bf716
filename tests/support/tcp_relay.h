// A bad network on loopback, for tests only: a TCP relay that listens on a free port and
// forwards each connection to a target port, and on demand caps the bandwidth (token bucket,
// shared by all connections, per direction), adds one-way delay, stalls (forwards nothing but
// keeps the connections), cuts every connection (RST both ways), or resets new ones.
//
// One thread polls every socket; control calls wake it through an eventfd. Memory is bounded:
// at most kMaxBuffered bytes per direction per connection sit in the relay, the rest stays in
// the kernel's socket buffers, i.e. the sender sees back-pressure as on a real slow link.
//
// Kernel buffers: loopback's 64 KiB MSS lets a sender's auto-tuned send buffer grow to
// megabytes (measured: 2.5 MB queued in the sender's kernel under a 150 kB/s cap), which no
// real uplink would allow and which hides congestion from the program under test for many
// seconds. The listening socket therefore announces an Ethernet MSS and a small receive
// buffer (accepted sockets inherit both). Measured with them: a stalled relay lets a sender
// queue ~180 kB; under a 150 kB/s cap the sender's auto-tuned buffer still grows to ~1 MB
// (~700 kB queued, as over a bufferbloated link): a program that wants to see congestion
// early bounds its own send buffer (SO_SNDBUF, FFmpeg's tcp `send_buffer_size`) or reads
// what is unsent (SIOCOUTQ).
//
// Thread-safe: control and counters may be used from any thread (except the relay's own).
// Each control call returns once the relay works with the new setting.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "tests/support/wait.h"

namespace cunbo::test {

class TcpRelay {
 public:
  static constexpr std::size_t kMaxBuffered = 64 * 1024;

  // Listens on 127.0.0.1 (a free port) and forwards to 127.0.0.1:target_port.
  explicit TcpRelay(int target_port);
  ~TcpRelay();  // resets every connection and joins the thread
  TcpRelay(const TcpRelay&) = delete;
  TcpRelay& operator=(const TcpRelay&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] int target_port() const { return target_port_; }

  // Bandwidth caps in bytes per second; 0 lifts the cap. "Upload" is client → server.
  void set_upload_limit(double bytes_per_second);
  void set_download_limit(double bytes_per_second);
  // One-way delay added to every byte, both directions.
  void set_delay(std::chrono::milliseconds one_way);
  // Stops forwarding in both directions; connections stay open (a link that went silent).
  void stall();
  void resume();
  // Resets every open connection, both sides (a link that dropped); returns once done.
  void cut_all();
  // While refusing, each new connection is reset as soon as it is accepted.
  void refuse_new(bool refuse);

  [[nodiscard]] std::size_t connections_accepted() const;  // all time, refused ones included
  [[nodiscard]] std::size_t active_connections() const;
  [[nodiscard]] std::uint64_t bytes_up() const;    // forwarded to the server
  [[nodiscard]] std::uint64_t bytes_down() const;  // forwarded to the client

  // Woken by each accepted connection.
  [[nodiscard]] bool wait_for_connections(std::size_t accepted, Deadline deadline) const;

 private:
  struct Settings {
    double up_rate = 0;
    double down_rate = 0;
    std::chrono::milliseconds delay{0};
    bool stalled = false;
    bool refusing = false;
    std::uint64_t cut_generation = 0;
    std::uint64_t version = 0;  // bumped by every control call
  };
  class Loop;

  void wake() const;
  // Applies `edit` to settings_ (under the lock) and returns once the loop works with it.
  void change(const std::function<void()>& edit);
  [[nodiscard]] Settings settings() const;

  int target_port_;
  int port_ = 0;
  int listen_fd_ = -1;
  int wake_fd_ = -1;  // eventfd: control calls and the destructor wake the poll loop
  std::atomic<bool> stopping_{false};

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;  // accepted_ or applied_version_ changed
  Settings settings_;                // guarded by mutex_
  std::size_t accepted_ = 0;         // guarded by mutex_
  std::size_t active_ = 0;           // guarded by mutex_
  std::uint64_t bytes_up_ = 0;       // guarded by mutex_
  std::uint64_t bytes_down_ = 0;     // guarded by mutex_
  std::uint64_t applied_version_ = 0;  // guarded by mutex_; the settings version the loop runs with
  std::thread thread_;               // last: starts after everything above exists
};

}  // namespace cunbo::test
