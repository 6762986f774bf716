#include "tests/support/loopback.h"
#include "tests/support/tcp_relay.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <list>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

// A realistic Ethernet MSS instead of loopback's 64 KiB, and a small receive buffer: together
// they keep the sender's kernel from buffering seconds of data (see the header).
constexpr int kAnnouncedMss = 1448;
constexpr int kReceiveBuffer = 16 * 1024;
constexpr std::size_t kReadSize = 16 * 1024;
// Below this many tokens a capped direction waits rather than trickling out tiny reads.
constexpr double kMinRead = 512;
// Burst size of the token bucket, as a time at the capped rate.
constexpr double kBurstSeconds = 0.05;

[[noreturn]] void throw_errno(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

// Closes with an RST instead of a FIN: the peer sees "connection reset", as when a link drops
// and a middlebox gives up on it.
void reset_and_close(int fd) {
  if (fd < 0) return;
  const linger abort_now{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_now, sizeof abort_now);
  ::close(fd);
}

// Limits a direction to `rate` bytes/s on average with bursts of kBurstSeconds; rate 0 = no cap.
class TokenBucket {
 public:
  void set_rate(double rate, Clock::time_point now) {
    if (rate == rate_) return;
    rate_ = rate;
    capacity_ = std::max(rate * kBurstSeconds, kMinRead);
    tokens_ = std::min(tokens_, capacity_);
    last_ = now;
  }
  void refill(Clock::time_point now) {
    if (rate_ <= 0) return;
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(capacity_, tokens_ + elapsed * rate_);
    last_ = now;
  }
  [[nodiscard]] bool capped() const { return rate_ > 0; }
  // Bytes that may pass now (no cap: as many as asked).
  [[nodiscard]] std::size_t allowance(std::size_t wanted) const {
    if (!capped()) return wanted;
    return tokens_ < kMinRead ? 0 : std::min(wanted, static_cast<std::size_t>(tokens_));
  }
  void take(std::size_t n) {
    if (capped()) tokens_ -= static_cast<double>(n);
  }
  // How long until a read is allowed again.
  [[nodiscard]] Clock::duration wait_for_tokens() const {
    if (!capped() || tokens_ >= kMinRead) return Clock::duration::zero();
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>((kMinRead - tokens_) / rate_));
  }

 private:
  double rate_ = 0;
  double capacity_ = 0;
  double tokens_ = 0;
  Clock::time_point last_{};
};

struct Chunk {
  Clock::time_point due;  // when the delay lets it out
  std::string data;
  std::size_t offset = 0;
};

// One way of one connection: bytes read from `from`, held for the delay, written to `to`.
struct Direction {
  std::deque<Chunk> chunks;
  std::size_t buffered = 0;
  bool eof = false;    // `from` sent FIN
  bool shut = false;   // FIN passed on to `to`
  [[nodiscard]] bool due(Clock::time_point now) const { return !chunks.empty() && chunks.front().due <= now; }
};

struct Connection {
  int client = -1;
  int server = -1;
  bool connecting = true;
  bool client_hup = false;
  bool server_hup = false;
  bool dead = false;
  Direction up;    // client → server
  Direction down;  // server → client
};

}  // namespace

// Everything the relay thread touches; nothing here is shared with other threads.
class TcpRelay::Loop {
 public:
  explicit Loop(TcpRelay& relay) : relay_(relay) {}
  ~Loop() {
    for (Connection& c : connections_) reset(c);
  }
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  void run() {
    std::vector<pollfd> fds;
    while (!relay_.stopping_.load()) {
      const Settings s = relay_.settings();
      Clock::time_point now = Clock::now();
      if (s.cut_generation != cut_generation_) {
        cut_generation_ = s.cut_generation;
        for (Connection& c : connections_) reset(c);
        sweep();
      }
      // From here on this round works with `s`: the control call that changed it may return.
      {
        std::lock_guard lock(relay_.mutex_);
        relay_.applied_version_ = s.version;
      }
      relay_.changed_.notify_all();
      up_bucket_.set_rate(s.up_rate, now);
      down_bucket_.set_rate(s.down_rate, now);
      up_bucket_.refill(now);
      down_bucket_.refill(now);

      // What to wait for, and until when.
      fds.clear();
      fds.push_back({relay_.wake_fd_, POLLIN, 0});
      fds.push_back({relay_.listen_fd_, POLLIN, 0});
      Clock::duration timeout = Clock::duration::max();
      const auto wake_by = [&timeout, now](Clock::time_point t) { timeout = std::min(timeout, std::max(t - now, Clock::duration(0))); };
      for (Connection& c : connections_) {
        short client_events = 0;
        short server_events = 0;
        if (c.connecting) {
          server_events = POLLOUT;
        } else if (!s.stalled) {
          if (wants_read(c.up, up_bucket_)) client_events |= POLLIN;
          if (wants_read(c.down, down_bucket_)) server_events |= POLLIN;
          if (c.up.due(now)) server_events |= POLLOUT;
          if (c.down.due(now)) client_events |= POLLOUT;
          if (!c.up.chunks.empty() && !c.up.due(now)) wake_by(c.up.chunks.front().due);
          if (!c.down.chunks.empty() && !c.down.due(now)) wake_by(c.down.chunks.front().due);
          if (blocked_by_tokens(c.up, up_bucket_)) wake_by(now + up_bucket_.wait_for_tokens());
          if (blocked_by_tokens(c.down, down_bucket_)) wake_by(now + down_bucket_.wait_for_tokens());
        }
        // A hung-up socket keeps reporting POLLHUP; leave it out unless we want to read it.
        fds.push_back({c.client_hup && client_events == 0 ? -1 : c.client, client_events, 0});
        fds.push_back({c.server_hup && server_events == 0 ? -1 : c.server, server_events, 0});
      }

      timespec ts{};
      timespec* tsp = nullptr;
      if (timeout != Clock::duration::max()) {
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
        ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
        ts.tv_nsec = static_cast<long>(ns % 1'000'000'000);
        tsp = &ts;
      }
      if (::ppoll(fds.data(), fds.size(), tsp, nullptr) < 0) {
        if (errno == EINTR) continue;
        throw_errno("relay: ppoll");
      }
      if ((fds[0].revents & POLLIN) != 0) {
        std::uint64_t ignored = 0;
        static_cast<void>(::read(relay_.wake_fd_, &ignored, sizeof ignored));
      }
      if ((fds[1].revents & POLLIN) != 0) accept_one(s);

      now = Clock::now();
      up_bucket_.refill(now);
      down_bucket_.refill(now);
      std::size_t i = 2;
      for (Connection& c : connections_) {
        if (i + 1 >= fds.size()) break;  // accepted during this round: polled next round
        const short client_revents = fds[i].revents;
        const short server_revents = fds[i + 1].revents;
        i += 2;
        service(c, client_revents, server_revents, s, now);
      }
      sweep();
    }
  }

 private:
  static bool wants_read(const Direction& d, const TokenBucket& bucket) {
    return !d.eof && d.buffered < kMaxBuffered && bucket.allowance(1) > 0;
  }
  static bool blocked_by_tokens(const Direction& d, const TokenBucket& bucket) {
    return !d.eof && d.buffered < kMaxBuffered && bucket.allowance(1) == 0;
  }

  void accept_one(const Settings& s) {
    const int client = ::accept4(relay_.listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (client < 0) return;  // the client gave up already, or a transient error: nothing to relay
    {
      std::lock_guard lock(relay_.mutex_);
      ++relay_.accepted_;
    }
    relay_.changed_.notify_all();
    if (s.refusing) {
      reset_and_close(client);
      return;
    }
    const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (server < 0) {
      reset_and_close(client);
      return;
    }
    const sockaddr_in target = loopback(relay_.target_port_);
    if (::connect(server, reinterpret_cast<const sockaddr*>(&target), sizeof target) != 0 && errno != EINPROGRESS) {
      // Nobody listens on the target: the client sees its connection reset, as a refusal.
      ::close(server);
      reset_and_close(client);
      return;
    }
    Connection& c = connections_.emplace_back();
    c.client = client;
    c.server = server;
    std::lock_guard lock(relay_.mutex_);
    ++relay_.active_;
  }

  void service(Connection& c, short client_revents, short server_revents, const Settings& s, Clock::time_point now) {
    if (c.dead) return;
    if (c.connecting) {
      if ((server_revents & (POLLOUT | POLLERR | POLLHUP)) == 0) return;
      int err = 0;
      socklen_t len = sizeof err;
      if (getsockopt(c.server, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
        reset(c);
        return;
      }
      c.connecting = false;
      return;
    }
    if ((client_revents & POLLHUP) != 0) c.client_hup = true;
    if ((server_revents & POLLHUP) != 0) c.server_hup = true;
    if (((client_revents | server_revents) & POLLERR) != 0) {
      reset(c);  // one side reset: pass it on to the other
      return;
    }
    if (s.stalled) return;
    if ((client_revents & (POLLIN | POLLHUP)) != 0 && !read_into(c, c.client, c.up, up_bucket_, now + s.delay)) return;
    if ((server_revents & (POLLIN | POLLHUP)) != 0 && !read_into(c, c.server, c.down, down_bucket_, now + s.delay)) return;
    if (!write_from(c, c.up, c.server, now, relay_.bytes_up_)) return;
    if (!write_from(c, c.down, c.client, now, relay_.bytes_down_)) return;
    if (c.up.shut && c.down.shut) close_both(c);
  }

  // False if the connection died.
  bool read_into(Connection& c, int from, Direction& d, TokenBucket& bucket, Clock::time_point due) {
    if (d.eof) return true;
    const std::size_t room = kMaxBuffered - std::min(d.buffered, kMaxBuffered);
    const std::size_t n = bucket.allowance(std::min(room, kReadSize));
    if (n == 0) return true;
    std::string data(n, '\0');
    const ssize_t got = ::recv(from, data.data(), n, 0);
    if (got > 0) {
      data.resize(static_cast<std::size_t>(got));
      bucket.take(data.size());
      d.buffered += data.size();
      d.chunks.push_back(Chunk{due, std::move(data), 0});
    } else if (got == 0) {
      d.eof = true;
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      reset(c);
      return false;
    }
    return true;
  }

  bool write_from(Connection& c, Direction& d, int to, Clock::time_point now, std::uint64_t& counter) {
    while (d.due(now)) {
      Chunk& chunk = d.chunks.front();
      const ssize_t sent = ::send(to, chunk.data.data() + chunk.offset, chunk.data.size() - chunk.offset, MSG_NOSIGNAL);
      if (sent < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
        reset(c);
        return false;
      }
      const auto n = static_cast<std::size_t>(sent);
      chunk.offset += n;
      d.buffered -= n;
      {
        std::lock_guard lock(relay_.mutex_);
        counter += n;
      }
      if (chunk.offset == chunk.data.size()) d.chunks.pop_front();
    }
    if (d.eof && d.chunks.empty() && !d.shut) {
      ::shutdown(to, SHUT_WR);
      d.shut = true;
    }
    return true;
  }

  void reset(Connection& c) {
    if (c.dead) return;
    reset_and_close(c.client);
    reset_and_close(c.server);
    mark_dead(c);
  }

  void close_both(Connection& c) {
    ::close(c.client);
    ::close(c.server);
    mark_dead(c);
  }

  void mark_dead(Connection& c) {
    c.dead = true;
    c.client = c.server = -1;
    std::lock_guard lock(relay_.mutex_);
    --relay_.active_;
  }

  void sweep() {
    connections_.remove_if([](const Connection& c) { return c.dead; });
  }

  TcpRelay& relay_;
  std::list<Connection> connections_;
  TokenBucket up_bucket_;
  TokenBucket down_bucket_;
  std::uint64_t cut_generation_ = 0;
};

TcpRelay::TcpRelay(int target_port) : target_port_(target_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw_errno("relay: socket");
  const int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  // Inherited by accepted sockets, and announced in the SYN-ACK (see the header).
  setsockopt(listen_fd_, IPPROTO_TCP, TCP_MAXSEG, &kAnnouncedMss, sizeof kAnnouncedMss);
  setsockopt(listen_fd_, SOL_SOCKET, SO_RCVBUF, &kReceiveBuffer, sizeof kReceiveBuffer);
  sockaddr_in addr = loopback(0);
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0 || ::listen(listen_fd_, 64) != 0) {
    const int err = errno;
    ::close(listen_fd_);
    throw std::system_error(err, std::generic_category(), "relay: bind/listen on 127.0.0.1:0");
  }
  port_ = ntohs(addr.sin_port);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    const int err = errno;
    ::close(listen_fd_);
    throw std::system_error(err, std::generic_category(), "relay: eventfd");
  }
  thread_ = std::thread([this] {
    Loop loop(*this);
    loop.run();
  });
}

TcpRelay::~TcpRelay() {
  stopping_.store(true);
  wake();
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
  ::close(wake_fd_);
}

void TcpRelay::wake() const {
  const std::uint64_t one = 1;
  static_cast<void>(::write(wake_fd_, &one, sizeof one));
}

TcpRelay::Settings TcpRelay::settings() const {
  std::lock_guard lock(mutex_);
  return settings_;
}

void TcpRelay::set_upload_limit(double bytes_per_second) {
  change([&] { settings_.up_rate = std::max(0.0, bytes_per_second); });
}

void TcpRelay::set_download_limit(double bytes_per_second) {
  change([&] { settings_.down_rate = std::max(0.0, bytes_per_second); });
}

void TcpRelay::set_delay(std::chrono::milliseconds one_way) {
  change([&] { settings_.delay = std::max(one_way, std::chrono::milliseconds(0)); });
}

void TcpRelay::stall() {
  change([&] { settings_.stalled = true; });
}

void TcpRelay::resume() {
  change([&] { settings_.stalled = false; });
}

void TcpRelay::cut_all() {
  change([this] { ++settings_.cut_generation; });
}

void TcpRelay::change(const std::function<void()>& edit) {
  std::uint64_t version = 0;
  {
    std::lock_guard lock(mutex_);
    edit();
    version = ++settings_.version;
  }
  wake();
  // The loop picks settings up at the top of a round (and carries out a cut there).
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return applied_version_ >= version; });
}

void TcpRelay::refuse_new(bool refuse) {
  change([&] { settings_.refusing = refuse; });
}

std::size_t TcpRelay::connections_accepted() const {
  std::lock_guard lock(mutex_);
  return accepted_;
}

std::size_t TcpRelay::active_connections() const {
  std::lock_guard lock(mutex_);
  return active_;
}

std::uint64_t TcpRelay::bytes_up() const {
  std::lock_guard lock(mutex_);
  return bytes_up_;
}

std::uint64_t TcpRelay::bytes_down() const {
  std::lock_guard lock(mutex_);
  return bytes_down_;
}

bool TcpRelay::wait_for_connections(std::size_t accepted, Deadline deadline) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, deadline, [&] { return accepted_ >= accepted; });
}

}  // namespace cunbo::test
