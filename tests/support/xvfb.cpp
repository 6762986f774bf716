#include "tests/support/xvfb.h"

#include <sys/types.h>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "tests/support/wait.h"

namespace cunbo::test {

using namespace std::chrono_literals;

namespace {

// Whether display `n` is held by a server that is still running. A server that was killed
// (SIGKILL leaves its lock and socket behind) holds nothing: its files are taken away, as the X
// server itself would, so that stale files can never use up the displays.
bool display_in_use(int n) {
  const std::filesystem::path lock = "/tmp/.X" + std::to_string(n) + "-lock";
  const std::filesystem::path socket = "/tmp/.X11-unix/X" + std::to_string(n);
  std::error_code ec;
  if (std::filesystem::exists(lock, ec)) {
    std::ifstream in(lock);
    long pid = 0;
    in >> pid;
    if (!in || pid <= 0) return true;  // being written, or not ours to judge
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) return true;
    std::filesystem::remove(lock, ec);
    std::filesystem::remove(socket, ec);
    return false;
  }
  return std::filesystem::exists(socket, ec);
}

}  // namespace

Xvfb::Xvfb() {
  require_program("Xvfb", "xvfb");
  for (int n = 99; n < 160; ++n) {
    const std::filesystem::path socket = "/tmp/.X11-unix/X" + std::to_string(n);
    if (display_in_use(n)) continue;
    display_ = ":" + std::to_string(n);
    server_ = Subprocess::spawn(SpawnOptions({"Xvfb", display_, "-screen", "0", "1280x900x24", "-nolisten", "tcp"}));
    if (wait_until(deadline_after(10s), [&] { return std::filesystem::exists(socket) || !server_->running(); }) &&
        server_->running()) {
      return;
    }
    server_.reset();  // someone took that display: try the next
  }
  throw std::runtime_error("no free X display for Xvfb");
}

Xvfb::~Xvfb() {
  if (!server_ || !server_->running()) return;
  (void)server_->send_signal(SIGCONT);
  (void)server_->send_signal(SIGTERM);
  (void)server_->wait_for_exit(deadline_after(5s));
}

void Xvfb::freeze() { (void)server_->send_signal(SIGSTOP); }

void Xvfb::thaw() { (void)server_->send_signal(SIGCONT); }

}  // namespace cunbo::test
