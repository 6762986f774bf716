#include "tests/support/loopback_http.h"

#include <httplib.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "tests/support/wait.h"

namespace cunbo::test {

int serve_on_loopback(httplib::Server& server, std::thread& thread, std::string_view who) {
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) throw std::runtime_error(std::string(who) + ": cannot bind a loopback port");
  thread = std::thread([&server] { server.listen_after_bind(); });
  if (!wait_until(deadline_after(std::chrono::seconds(5)), [&server] { return server.is_running(); })) {
    server.stop();
    thread.join();
    throw std::runtime_error(std::string(who) + ": did not start");
  }
  return port;
}

}  // namespace cunbo::test
