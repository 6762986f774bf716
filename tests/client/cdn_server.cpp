#include "tests/client/cdn_server.h"

#include <httplib.h>

#include <utility>

#include "tests/support/loopback_http.h"

namespace cunbo::test {

namespace {

constexpr std::size_t kChunk = 64 * 1024;

}  // namespace

CdnServer::CdnServer() : server_(std::make_unique<httplib::Server>()) {
  // One handler that looks its answer up under the mutex: routes can change while the server
  // runs (cpp-httplib's own handler list must not).
  server_->Get(".*", [this](const httplib::Request& req, httplib::Response& res) { answer(req, res); });
  port_ = serve_on_loopback(*server_, thread_, "CDN server");
}

CdnServer::~CdnServer() {
  release();
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string CdnServer::url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

void CdnServer::route(const std::string& path, Route r) {
  const std::lock_guard lock(mutex_);
  routes_[path] = std::move(r);
}

void CdnServer::serve(const std::string& path, std::vector<uint8_t> bytes, const std::string& type) {
  serve(path, std::string(bytes.begin(), bytes.end()), type);
}

void CdnServer::serve(const std::string& path, const std::string& bytes, const std::string& type) {
  route(path, Route{Route::Kind::bytes, bytes, type, 200, 0});
}

void CdnServer::redirect(const std::string& path, const std::string& location, int status) {
  route(path, Route{Route::Kind::redirect, location, {}, status, 0});
}

void CdnServer::serve_endless(const std::string& path, std::size_t total) {
  route(path, Route{Route::Kind::endless, {}, "image/png", 200, total});
}

void CdnServer::serve_stalled(const std::string& path) { route(path, Route{Route::Kind::stalled, {}, "image/png", 200, 0}); }

bool CdnServer::wait_until_stalled(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return stalled_ > 0; });
}

void CdnServer::release() {
  {
    const std::lock_guard lock(mutex_);
    released_ = true;
  }
  changed_.notify_all();
}

int CdnServer::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

int CdnServer::authorized_requests() const {
  const std::lock_guard lock(mutex_);
  return authorized_;
}

std::string CdnServer::last_accept() const {
  const std::lock_guard lock(mutex_);
  return last_accept_;
}

void CdnServer::answer(const httplib::Request& req, httplib::Response& res) {
  Route r;
  {
    const std::lock_guard lock(mutex_);
    ++requests_;
    if (req.has_header("Authorization")) ++authorized_;
    last_accept_ = req.get_header_value("Accept");
    const auto it = routes_.find(req.path);
    if (it == routes_.end()) {
      res.status = 404;
      return;
    }
    r = it->second;
  }
  switch (r.kind) {
    case Route::Kind::bytes:
      res.set_content(r.body, r.type);
      break;
    case Route::Kind::redirect:
      res.status = r.status;
      res.set_header("Location", r.body);
      break;
    case Route::Kind::endless:
      res.set_chunked_content_provider(r.type, [total = r.total](std::size_t offset, httplib::DataSink& sink) {
        if (offset >= total) {
          sink.done();
          return true;
        }
        const std::string chunk(kChunk, 'x');
        return sink.write(chunk.data(), chunk.size());
      });
      break;
    case Route::Kind::stalled:
      res.set_chunked_content_provider(r.type, [this](std::size_t, httplib::DataSink& sink) {
        std::unique_lock lock(mutex_);
        ++stalled_;
        changed_.notify_all();
        changed_.wait(lock, [this] { return released_; });
        sink.done();
        return true;
      });
      break;
  }
}

}  // namespace cunbo::test
