#include "tests/support/publish_auth.h"

#include <httplib.h>

#include <algorithm>
#include <stdexcept>

namespace cunbo::test {

PublishAuth::PublishAuth() : server_(std::make_unique<httplib::Server>()) {
  server_->Post("/on_publish", [this](const httplib::Request& req, httplib::Response& res) {
    // nginx-rtmp posts application/x-www-form-urlencoded; httplib parses it into params.
    httplib::Params form = req.params;
    if (!req.has_param("name")) httplib::detail::parse_query_text(req.body, form);
    const auto field = [&form](const char* name) {
      const auto it = form.find(name);
      return it == form.end() ? std::string() : it->second;
    };
    PublishAttempt attempt{field("name"), field("app"), false, Clock::now()};
    {
      std::lock_guard lock(mutex_);
      attempt.allowed = !refused_.contains(attempt.key);
      history_.push_back(attempt);
    }
    attempted_.notify_all();
    res.status = attempt.allowed ? 200 : 403;
    res.set_content(attempt.allowed ? "ok\n" : "key refused\n", "text/plain");
  });
  server_->Post("/on_publish_done", [this](const httplib::Request&, httplib::Response& res) {
    {
      std::lock_guard lock(mutex_);
      ++done_;
    }
    attempted_.notify_all();
    res.status = 200;
  });

  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("publish auth server: cannot bind a loopback port");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // httplib's stop() does nothing to a server whose loop has not started yet (its thread
  // would then never end), so construction returns only once the loop runs.
  // (The loop starts as soon as its thread is scheduled; the deadline is only a backstop.)
  static_cast<void>(wait_until(deadline_after(std::chrono::seconds(30)), [this] { return server_->is_running(); }));
}

PublishAuth::~PublishAuth() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string PublishAuth::on_publish_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/on_publish";
}

std::string PublishAuth::on_publish_done_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/on_publish_done";
}

void PublishAuth::refuse(const std::string& key) {
  std::lock_guard lock(mutex_);
  refused_.insert(key);
}

void PublishAuth::allow(const std::string& key) {
  std::lock_guard lock(mutex_);
  refused_.erase(key);
}

std::size_t PublishAuth::attempts() const {
  std::lock_guard lock(mutex_);
  return history_.size();
}

std::size_t PublishAuth::attempts(const std::string& key) const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(history_.begin(), history_.end(), [&key](const PublishAttempt& a) { return a.key == key; }));
}

std::size_t PublishAuth::allowed_attempts() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(history_.begin(), history_.end(), [](const PublishAttempt& a) { return a.allowed; }));
}

std::vector<PublishAttempt> PublishAuth::history() const {
  std::lock_guard lock(mutex_);
  return history_;
}

std::size_t PublishAuth::publish_done_count() const {
  std::lock_guard lock(mutex_);
  return done_;
}

bool PublishAuth::wait_for_attempts(std::size_t count, Deadline deadline) const {
  std::unique_lock lock(mutex_);
  return attempted_.wait_until(lock, deadline, [&] { return history_.size() >= count; });
}

bool PublishAuth::wait_for_allowed(std::size_t count, Deadline deadline) const {
  std::unique_lock lock(mutex_);
  return attempted_.wait_until(lock, deadline, [&] {
    return static_cast<std::size_t>(std::count_if(history_.begin(), history_.end(),
                                                  [](const PublishAttempt& a) { return a.allowed; })) >= count;
  });
}

}  // namespace cunbo::test

namespace cunbo::test {

bool PublishAuth::wait_for_all_done(std::size_t ended_unannounced, Deadline deadline) const {
  std::unique_lock lock(mutex_);
  return attempted_.wait_until(lock, deadline, [&] {
    const auto allowed = static_cast<std::size_t>(
        std::count_if(history_.begin(), history_.end(), [](const PublishAttempt& a) { return a.allowed; }));
    return done_ + ended_unannounced >= allowed;
  });
}

}  // namespace cunbo::test
