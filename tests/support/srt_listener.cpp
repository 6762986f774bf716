#include "tests/support/srt_listener.h"

#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/nginx_rtmp.h"  // pick_free_loopback_port
#include "tests/support/wait.h"

namespace cunbo::test {

namespace {

using namespace std::chrono_literals;

// Whether a UDP socket is bound to `port` (the kernel's table: hex local address:port).
bool udp_port_bound(int port) {
  std::ifstream table("/proc/net/udp");
  std::string line;
  std::getline(table, line);  // the heading
  char wanted[8];
  std::snprintf(wanted, sizeof wanted, ":%04X", port);
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local;
    fields >> slot >> local;
    if (local.size() >= 5 && local.compare(local.size() - 5, 5, wanted) == 0) return true;
  }
  return false;
}

}  // namespace

SrtListener::SrtListener(std::string query) : query_(std::move(query)) {
  static_cast<void>(require_program("srt-live-transmit", "srt-tools"));
  port_ = pick_free_loopback_port();
  start();
}

SrtListener::~SrtListener() {
  if (process_ && process_->running()) process_->send_signal(SIGKILL);
}

std::string SrtListener::url(const std::string& query) const {
  return "srt://127.0.0.1:" + std::to_string(port_) + (query.empty() ? "" : "?" + query);
}

std::filesystem::path SrtListener::received(int run) const { return dir_ / ("received-" + std::to_string(run) + ".ts"); }

void SrtListener::start() {
  ++runs_;
  const std::string source =
      "srt://127.0.0.1:" + std::to_string(port_) + "?mode=listener" + (query_.empty() ? "" : "&" + query_);
  // Its target file:// takes only "con" (stdout): the shell sends that to the file.
  process_ = Subprocess::spawn(SpawnOptions(
      {"sh", "-c", "exec srt-live-transmit -q \"$0\" file://con > \"$1\"", source, received(runs_).string()}));
  if (!wait_until(deadline_after(10s), [this] { return !process_->running() || udp_port_bound(port_); }) ||
      !process_->running()) {
    const RunResult gone = process_->finish(deadline_after(5s));
    throw std::runtime_error("srt-live-transmit did not listen on port " + std::to_string(port_) + ": " +
                             gone.describe());
  }
}

void SrtListener::stop() {
  if (!process_ || !process_->running()) return;
  process_->send_signal(SIGTERM);
  if (!process_->wait_for_exit(deadline_after(5s))) process_->send_signal(SIGKILL);
  static_cast<void>(process_->finish(deadline_after(5s)));
}

}  // namespace cunbo::test
