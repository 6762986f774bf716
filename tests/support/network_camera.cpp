#include "tests/support/network_camera.h"

#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "tests/support/loopback.h"
#include "tests/support/nginx_rtmp.h"

namespace cunbo::test {

namespace {

// Longer than any test: a camera left behind by a crashed test ends by itself.
constexpr int kMaxSeconds = 300;

}  // namespace

bool loopback_port_listens(int port) {
  // Lines read "  sl  local_address rem_address   st ...": 0100007F:1F90 is 127.0.0.1:8080, 0A is LISTEN.
  std::ifstream table("/proc/net/tcp");
  char wanted[32];
  std::snprintf(wanted, sizeof wanted, "0100007F:%04X", static_cast<unsigned>(port));
  std::string slot, local, remote, state;
  std::string rest;
  std::getline(table, rest);  // the header
  while (table >> slot >> local >> remote >> state) {
    if (local == wanted && state == "0A") return true;
    std::getline(table, rest);
  }
  return false;
}

NetworkCamera::NetworkCamera() : port_(pick_free_loopback_port()) {
  static_cast<void>(require_program("ffmpeg", "ffmpeg"));
  start();
}

NetworkCamera::~NetworkCamera() {  // the Subprocess kills a camera still running
  if (holder_ >= 0) ::close(holder_);
}

void NetworkCamera::hold_port() {
  kill();
  holder_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int on = 1;
  ::setsockopt(holder_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  const sockaddr_in addr = loopback(port_);
  if (::bind(holder_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 || ::listen(holder_, 1) != 0) {
    throw std::runtime_error("cannot hold the network camera's port " + std::to_string(port_));
  }
}

std::string NetworkCamera::url() const { return "tcp://127.0.0.1:" + std::to_string(port_); }

void NetworkCamera::start() {
  if (holder_ >= 0) {
    ::close(holder_);
    holder_ = -1;
  }
  ffmpeg_ = Subprocess::spawn(SpawnOptions(
      {"ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
       "testsrc2=size=1280x720:rate=30", "-t", std::to_string(kMaxSeconds), "-c:v", "libx264", "-preset", "ultrafast",
       "-tune", "zerolatency", "-g", "15", "-pix_fmt", "yuv420p", "-f", "mpegts", url() + "?listen=1"}));
  const bool listening =
      wait_until(deadline_after(std::chrono::seconds(10)), [this] { return !running() || loopback_port_listens(port_); });
  if (!listening || !running()) {
    throw std::runtime_error("the network camera (ffmpeg) did not listen on " + url() + ": " + log());
  }
}

void NetworkCamera::kill() {
  if (!ffmpeg_) return;
  ffmpeg_->send_signal(SIGKILL);
  static_cast<void>(ffmpeg_->wait_for_exit(deadline_after(std::chrono::seconds(5))));
}

}  // namespace cunbo::test
