// The streaming harness on its own, before it judges `cunbo stream`: nginx-rtmp records what
// the ffmpeg CLI publishes and refuses what its on_publish handler refuses, comes back on the
// same port, and the relay really caps, stalls and cuts.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/media_probe.h"
#include "tests/support/nginx_rtmp.h"
#include "tests/support/subprocess.h"
#include "tests/support/tcp_relay.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

// `ffmpeg -re` publishing `seconds` of test pattern and tone as FLV to `url`.
RunResult ffmpeg_publish(const std::string& url, double seconds) {
  static_cast<void>(require_program("ffmpeg", "ffmpeg"));
  const std::string t = std::to_string(seconds);
  return run(SpawnOptions({"ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                           "testsrc=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000",
                           "-t", t, "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-pix_fmt", "yuv420p", "-c:a",
                           "aac", "-f", "flv", url}),
             30s);
}

int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// A server that reads and discards everything, counting bytes: the far end of the relay.
class TcpSink {
 public:
  TcpSink() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0 || ::listen(listen_fd_, 16) != 0) {
      throw std::runtime_error("sink: cannot listen");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~TcpSink() {
    stop_ = true;
    thread_.join();
    for (int fd : clients_) ::close(fd);
    ::close(listen_fd_);
  }
  TcpSink(const TcpSink&) = delete;
  TcpSink& operator=(const TcpSink&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::uint64_t received() const { return received_.load(); }

 private:
  void loop() {
    std::vector<char> buf(64 * 1024);
    while (!stop_) {
      std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
      for (int fd : clients_) fds.push_back({fd, POLLIN, 0});
      // Bounded poll so the destructor's flag is seen; the sink has no other wake-up.
      if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
      if ((fds[0].revents & POLLIN) != 0) {
        const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) clients_.push_back(fd);
      }
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        const ssize_t n = ::recv(fds[i].fd, buf.data(), buf.size(), MSG_DONTWAIT);
        if (n > 0) {
          received_ += static_cast<std::uint64_t>(n);
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
          ::close(fds[i].fd);
          std::erase(clients_, fds[i].fd);
        }
      }
    }
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::vector<int> clients_;  // touched only by the sink thread (and the destructor after join)
  std::atomic<std::uint64_t> received_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Writes to a non-blocking socket as fast as it takes data until `deadline`; the bytes written.
std::uint64_t write_flat_out(int fd, Deadline deadline) {
  const std::vector<char> block(16 * 1024, 'x');
  std::uint64_t written = 0;
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLOUT, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (::poll(&p, 1, static_cast<int>(std::max<long long>(left, 1))) <= 0) continue;
    const ssize_t n = ::send(fd, block.data(), block.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN) break;
    if (n > 0) written += static_cast<std::uint64_t>(n);
  }
  return written;
}

TEST(StreamFixtures, NginxRecordsWhatFfmpegPublishes) {
  NginxRtmp nginx;
  const RunResult r = ffmpeg_publish(nginx.url_with_key("k"), 2);
  ASSERT_TRUE(r.status.success()) << r.describe() << "\nnginx:\n" << nginx.error_log();
  ASSERT_TRUE(nginx.wait_until_idle(deadline_after(10s))) << nginx.error_log();
  EXPECT_EQ(nginx.publish_count(), 1U);
  EXPECT_EQ(nginx.auth().attempts("k"), 1U);

  const auto recordings = nginx.recordings();
  ASSERT_EQ(recordings.size(), 1U);
  EXPECT_EQ(recordings[0].filename().string().rfind("k-", 0), 0U) << recordings[0];
  const ProbeResult probe = probe_media(recordings[0]);
  ASSERT_TRUE(probe.file) << probe.error;
  ASSERT_NE(probe.file->first(StreamKind::video), nullptr);
  ASSERT_NE(probe.file->first(StreamKind::audio), nullptr);
  const StreamTiming vt = stream_timing(*probe.file, probe.file->first(StreamKind::video)->index);
  EXPECT_NEAR(vt.duration_s, 2.0, 0.2);
  ASSERT_FALSE(vt.keyframe_indices.empty());
  EXPECT_EQ(vt.keyframe_indices.front(), 0);
}

TEST(StreamFixtures, NginxRefusesAKeyItsHandlerRefuses) {
  NginxRtmp nginx;
  nginx.auth().refuse("bad");
  const RunResult r = ffmpeg_publish(nginx.url_with_key("bad"), 1);
  EXPECT_FALSE(r.status.success()) << r.describe();
  EXPECT_EQ(nginx.auth().attempts("bad"), 1U);
  EXPECT_EQ(nginx.auth().allowed_attempts(), 0U);
  EXPECT_TRUE(nginx.recordings().empty());
}

TEST(StreamFixtures, NginxComesBackOnTheSamePortAfterAKill) {
  NginxRtmp nginx;
  const int port = nginx.port();
  ASSERT_TRUE(ffmpeg_publish(nginx.url_with_key("k"), 0.5).status.success()) << nginx.error_log();
  nginx.kill();
  EXPECT_FALSE(nginx.running());
  EXPECT_FALSE(loopback_port_accepts(port));
  nginx.start();
  EXPECT_EQ(nginx.port(), port);
  const RunResult r = ffmpeg_publish(nginx.url_with_key("k"), 0.5);
  ASSERT_TRUE(r.status.success()) << r.describe() << "\nnginx:\n" << nginx.error_log();
  ASSERT_TRUE(nginx.wait_until_idle(deadline_after(10s)));
  EXPECT_EQ(nginx.publish_count(), 2U);
  // record_unique names files by the second; two publishes a second apart may share a name.
  EXPECT_GE(nginx.recordings().size(), 1U);
}

TEST(StreamFixtures, FfmpegPublishesThroughTheRelay) {
  NginxRtmp nginx;
  TcpRelay relay(nginx.port());
  const RunResult r = ffmpeg_publish("rtmp://127.0.0.1:" + std::to_string(relay.port()) + "/live/k", 1);
  ASSERT_TRUE(r.status.success()) << r.describe();
  EXPECT_EQ(relay.connections_accepted(), 1U);
  EXPECT_GT(relay.bytes_up(), 10'000U);
  EXPECT_GT(relay.bytes_down(), 1'000U) << "the RTMP handshake and replies come back";
  ASSERT_TRUE(nginx.wait_until_idle(deadline_after(10s)));
  ASSERT_EQ(nginx.recordings().size(), 1U);
}

TEST(StreamFixtures, RelayCapsTheUploadRate) {
  TcpSink sink;
  TcpRelay relay(sink.port());
  constexpr double kCap = 150'000;  // 1.2 Mbit/s
  relay.set_upload_limit(kCap);
  const int fd = connect_loopback(relay.port());
  ASSERT_GE(fd, 0);
  // Prime the pipeline (kernel buffers, relay buffer), then measure the steady rate.
  static_cast<void>(write_flat_out(fd, deadline_after(500ms)));
  const std::uint64_t start_bytes = relay.bytes_up();
  const auto start = Clock::now();
  static_cast<void>(write_flat_out(fd, deadline_after(2s)));
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double rate = static_cast<double>(relay.bytes_up() - start_bytes) / seconds;
  EXPECT_NEAR(rate, kCap, kCap * 0.1);

  // Lifted: loopback speed again.
  relay.set_upload_limit(0);
  const std::uint64_t before = relay.bytes_up();
  static_cast<void>(write_flat_out(fd, deadline_after(300ms)));
  EXPECT_GT(relay.bytes_up() - before, 10 * kCap * 0.3);
  ::close(fd);
}

TEST(StreamFixtures, RelayStallKeepsTheConnectionAndBuffersLittle) {
  TcpSink sink;
  TcpRelay relay(sink.port());
  const int fd = connect_loopback(relay.port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(relay.wait_for_connections(1, deadline_after(5s)));
  ASSERT_TRUE(wait_until(deadline_after(5s), [&] { return relay.active_connections() == 1; }));
  relay.stall();
  const std::uint64_t forwarded = relay.bytes_up();
  // What a sender can hand to its kernel before a stalled link pushes back: a real uplink's
  // worth (tens of KiB), not loopback's megabytes.
  const std::uint64_t absorbed = write_flat_out(fd, deadline_after(500ms));
  EXPECT_LT(absorbed, 400'000U) << "the relay hides a stall behind big socket buffers";
  EXPECT_LE(relay.bytes_up() - forwarded, TcpRelay::kMaxBuffered + 16 * 1024);
  EXPECT_EQ(relay.active_connections(), 1U);
  relay.resume();
  EXPECT_TRUE(wait_until(deadline_after(5s), [&] { return sink.received() >= forwarded + absorbed; }));
  ::close(fd);
}

TEST(StreamFixtures, RelayCutsEveryConnectionAndCanRefuseNewOnes) {
  TcpSink sink;
  TcpRelay relay(sink.port());
  const int a = connect_loopback(relay.port());
  const int b = connect_loopback(relay.port());
  ASSERT_GE(a, 0);
  ASSERT_GE(b, 0);
  ASSERT_TRUE(wait_until(deadline_after(5s), [&] { return relay.active_connections() == 2; }));
  relay.cut_all();
  EXPECT_EQ(relay.active_connections(), 0U);
  for (int fd : {a, b}) {
    char c = 0;
    pollfd p{fd, POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 5000), 1);
    EXPECT_EQ(::recv(fd, &c, 1, 0), -1);
    EXPECT_EQ(errno, ECONNRESET);
    ::close(fd);
  }

  relay.refuse_new(true);
  const int refused = connect_loopback(relay.port());
  ASSERT_GE(refused, 0) << "the handshake completes in the kernel; the reset follows";
  char c = 0;
  pollfd p{refused, POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 5000), 1);
  EXPECT_EQ(::recv(refused, &c, 1, 0), -1);
  EXPECT_EQ(errno, ECONNRESET);
  ::close(refused);

  relay.refuse_new(false);
  const int again = connect_loopback(relay.port());
  ASSERT_GE(again, 0);
  ASSERT_TRUE(wait_until(deadline_after(5s), [&] { return relay.active_connections() == 1; }));
  ::close(again);
}

}  // namespace
}  // namespace cunbo::test
