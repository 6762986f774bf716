// The platform's side of "may this key publish?": an in-process HTTP server answering
// nginx-rtmp's `on_publish` notification (a form POST with `name` = the stream key, `app`,
// `addr`, …). 2xx lets the publish go ahead; 403 makes nginx drop the connection, which is how
// a platform refuses a wrong key. It counts every attempt per key, so a test can tell how hard
// a client hammers a refused key, and when it came back after an outage.
//
// Runs on its own thread on a free loopback port from construction to destruction.
// Thread-safe: the test thread configures and reads while the server thread answers.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/wait.h"

namespace httplib {
class Server;
}

namespace cunbo::test {

struct PublishAttempt {
  std::string key;  // the stream name nginx was asked to publish
  std::string app;
  bool allowed = false;
  Clock::time_point at;
};

class PublishAuth {
 public:
  // Starts listening at once; throws std::runtime_error if it cannot.
  PublishAuth();
  ~PublishAuth();  // stops the server and joins its thread
  PublishAuth(const PublishAuth&) = delete;
  PublishAuth& operator=(const PublishAuth&) = delete;

  [[nodiscard]] int port() const { return port_; }
  // What to put after `on_publish` / `on_publish_done` in nginx.conf.
  [[nodiscard]] std::string on_publish_url() const;
  [[nodiscard]] std::string on_publish_done_url() const;

  // Publishes with this key are answered 403 from now on (or allowed again).
  void refuse(const std::string& key);
  void allow(const std::string& key);

  [[nodiscard]] std::size_t attempts() const;                        // every key
  [[nodiscard]] std::size_t attempts(const std::string& key) const;  // one key
  [[nodiscard]] std::size_t allowed_attempts() const;
  [[nodiscard]] std::vector<PublishAttempt> history() const;
  // on_publish_done notifications: nginx sends one when an allowed publisher goes away.
  [[nodiscard]] std::size_t publish_done_count() const;

  // Waits (woken by each attempt) until at least `count` attempts were made in all.
  [[nodiscard]] bool wait_for_attempts(std::size_t count, Deadline deadline) const;
  // Waits until at least `count` publishes were allowed in all.
  [[nodiscard]] bool wait_for_allowed(std::size_t count, Deadline deadline) const;
  // Waits until every allowed publish has ended: done + `ended_unannounced` >= allowed.
  [[nodiscard]] bool wait_for_all_done(std::size_t ended_unannounced, Deadline deadline) const;

 private:
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;

  mutable std::mutex mutex_;
  mutable std::condition_variable attempted_;
  std::set<std::string> refused_;         // guarded by mutex_
  std::vector<PublishAttempt> history_;  // guarded by mutex_
  std::size_t done_ = 0;                  // guarded by mutex_
};

}  // namespace cunbo::test
