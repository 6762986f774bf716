// Starting a cpp-httplib server for a test fixture: a free loopback port, its own thread.
#pragma once

#include <string_view>
#include <thread>

namespace httplib {
class Server;
}  // namespace httplib

namespace cunbo::test {

// Binds `server` to a free port on 127.0.0.1 and runs it on `thread`; returns the port once
// the server's loop runs (httplib's stop() is lost on a loop that has not started yet, and its
// thread would never end). Throws std::runtime_error naming `who` if it cannot. The caller
// stops the server and joins the thread.
[[nodiscard]] int serve_on_loopback(httplib::Server& server, std::thread& thread, std::string_view who);

}  // namespace cunbo::test
