// An image CDN for the tests of HttpTransfer and the image loader: a real HTTP server
// (cpp-httplib) on a free loopback port, started by the constructor and stopped by the
// destructor. It serves bytes, redirects, bodies without a length that only a cap can stop,
// and bodies that stall until released; it counts the requests and notes which of them carried
// an Authorization header (a CDN must never see the platform's token).
// Thread-safe: the test thread configures and reads while the server's threads answer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace cunbo::test {

class CdnServer {
 public:
  CdnServer();   // listening on return; throws std::runtime_error if it cannot
  ~CdnServer();  // releases stalled bodies, stops the server and joins its thread
  CdnServer(const CdnServer&) = delete;
  CdnServer& operator=(const CdnServer&) = delete;

  [[nodiscard]] std::string url(const std::string& path) const;  // "http://127.0.0.1:PORT" + path
  [[nodiscard]] int port() const { return port_; }

  // What a GET of `path` answers. A later call for the same path replaces the earlier one;
  // anything else is a 404.
  void serve(const std::string& path, std::vector<uint8_t> bytes, const std::string& type);
  void serve(const std::string& path, const std::string& bytes, const std::string& type);
  void redirect(const std::string& path, const std::string& location, int status = 302);
  // `total` bytes in chunks without a Content-Length, so only counting can stop a client.
  void serve_endless(const std::string& path, std::size_t total);
  // Starts a chunked body and holds it until release() (or the destructor).
  void serve_stalled(const std::string& path);
  [[nodiscard]] bool wait_until_stalled(std::chrono::milliseconds timeout);
  void release();

  [[nodiscard]] int requests() const;              // every GET, whatever it was answered
  [[nodiscard]] int authorized_requests() const;   // those with an Authorization header
  [[nodiscard]] std::string last_accept() const;   // the Accept header of the latest one

 private:
  struct Route {
    enum class Kind { bytes, redirect, endless, stalled };
    Kind kind = Kind::bytes;
    std::string body;  // bytes; or the Location of a redirect
    std::string type;
    int status = 200;
    std::size_t total = 0;
  };

  void answer(const httplib::Request& req, httplib::Response& res);
  void route(const std::string& path, Route r);

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;

  mutable std::mutex mutex_;
  std::condition_variable changed_;  // a body stalled, release(), shutting down
  std::map<std::string, Route> routes_;
  int requests_ = 0;
  int authorized_ = 0;
  std::string last_accept_;
  int stalled_ = 0;
  bool released_ = false;
};

}  // namespace cunbo::test
