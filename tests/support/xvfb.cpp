#include "tests/support/xvfb.h"

#include <csignal>
#include <filesystem>
#include <stdexcept>

#include "tests/support/wait.h"

namespace cunbo::test {

using namespace std::chrono_literals;

Xvfb::Xvfb() {
  require_program("Xvfb", "xvfb");
  for (int n = 99; n < 160; ++n) {
    const std::filesystem::path socket = "/tmp/.X11-unix/X" + std::to_string(n);
    if (std::filesystem::exists(socket) || std::filesystem::exists("/tmp/.X" + std::to_string(n) + "-lock")) continue;
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

void Xvfb::freeze() { (void)server_->send_signal(SIGSTOP); }

void Xvfb::thaw() { (void)server_->send_signal(SIGCONT); }

}  // namespace cunbo::test
