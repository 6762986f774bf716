// A phone used as an IP camera: the ffmpeg CLI serving a 1280x720 30 fps test picture
// (testsrc2, a keyframe every half second) as MPEG-TS over TCP to the one client that
// connects, the way a phone's camera app listens on the Wi-Fi. kill() is the app closed (or
// the phone gone) mid-stream; start() again is it back, on the same port.
#pragma once

#include <memory>
#include <string>

#include "tests/support/subprocess.h"
#include "tests/support/wait.h"

namespace cunbo::test {

class NetworkCamera {
 public:
  NetworkCamera();  // started, listening
  ~NetworkCamera();
  NetworkCamera(const NetworkCamera&) = delete;
  NetworkCamera& operator=(const NetworkCamera&) = delete;

  // What `--video file:` names: tcp://127.0.0.1:PORT.
  [[nodiscard]] std::string url() const;
  // Starts serving (again); returns once the port listens. Throws when it does not in time.
  void start();
  // SIGKILL: the connection is closed by the kernel, as when the app dies.
  void kill();
  [[nodiscard]] bool running() const { return ffmpeg_ && ffmpeg_->running(); }
  // Kills the camera (if running) and keeps its port with a listener that never answers (the
  // phone's app starting up: connections are taken but no picture comes), so that no other
  // test's socket takes the port while it is down; start() lets go of it first.
  void hold_port();
  [[nodiscard]] std::string log() const { return ffmpeg_ ? ffmpeg_->err() : std::string(); }

 private:
  int port_;
  int holder_ = -1;  // hold_port()'s listening socket
  std::unique_ptr<Subprocess> ffmpeg_;
};

// Whether a socket listens on 127.0.0.1:port, read from /proc/net/tcp: never connects, so a
// one-client listener is not used up by asking.
[[nodiscard]] bool loopback_port_listens(int port);

}  // namespace cunbo::test
