// A real RTMP server for whole-program tests: Debian's nginx with libnginx-mod-rtmp, run in
// the foreground (no daemon, no master process) from a config generated in a temp dir, on a
// free loopback port. It records everything published (`record all`, one new .flv per
// publish) so a test can open what arrived, and asks an in-process PublishAuth whether each
// key may publish (`on_publish`), so a test can refuse keys and count attempts.
//
// stop()/kill() and start() again keep the port, for "server killed, restarted 3 s later".
// Not thread-safe: one test thread drives it (the PublishAuth inside is thread-safe).
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/publish_auth.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"

namespace cunbo::test {

class NginxRtmp {
 public:
  // Picks a free port and starts nginx; throws std::runtime_error (with nginx's error log)
  // if it does not come up. Requires the nginx-light and libnginx-mod-rtmp packages.
  explicit NginxRtmp(std::string_view label = "nginx-rtmp") : NginxRtmp(label, "127.0.0.1") {}
  // Listening on `address` (and its port) instead of loopback alone: "0.0.0.0" for a client in
  // another network namespace (CappedLink); url() still names loopback.
  NginxRtmp(std::string_view label, std::string address);
  ~NginxRtmp();  // kills nginx if it still runs
  NginxRtmp(const NginxRtmp&) = delete;
  NginxRtmp& operator=(const NginxRtmp&) = delete;

  [[nodiscard]] int port() const { return port_; }
  // "rtmp://127.0.0.1:PORT/live": the destination without its key.
  [[nodiscard]] std::string url(std::string_view app = "live") const;
  // "rtmp://127.0.0.1:PORT/live/KEY".
  [[nodiscard]] std::string url_with_key(std::string_view key, std::string_view app = "live") const;

  // Graceful-enough stop: SIGTERM (nginx closes its connections and files), SIGKILL if it is
  // not gone within a few seconds. Connected publishers see their connection closed.
  void stop();
  // A crash: SIGKILL, the kernel resets the connections. Recordings end where they were.
  void kill();
  // Starts again on the same port (after stop/kill); throws if it does not come up.
  void start();
  [[nodiscard]] bool running() const;

  // Every .flv the server recorded (across restarts), oldest first (by mtime, then name).
  [[nodiscard]] std::vector<std::filesystem::path> recordings() const;
  [[nodiscard]] const std::filesystem::path& record_dir() const { return record_dir_; }

  // The on_publish handler: refuse keys, count attempts (allowed and refused).
  [[nodiscard]] PublishAuth& auth() { return *auth_; }
  [[nodiscard]] const PublishAuth& auth() const { return *auth_; }
  [[nodiscard]] std::size_t publish_count() const { return auth_->attempts(); }

  // Publishers currently live on this server: allowed publishes whose on_publish_done has
  // not come yet (a kill() ends them all).
  [[nodiscard]] std::size_t active_publishers() const;
  // Waits until no publisher is live, i.e. nginx has closed every recording it was writing.
  [[nodiscard]] bool wait_until_idle(Deadline deadline) const;

  [[nodiscard]] std::string error_log() const;  // nginx's own log, for failure messages

  // An RTMPS front (nginx's stream module, libnginx-mod-stream) on a second port: TLS with
  // this certificate and key (PEM), passed through to the RTMP server. Restarts nginx.
  void add_tls_front(const std::filesystem::path& certificate, const std::filesystem::path& key);
  // "rtmps://127.0.0.1:TLS_PORT/live/KEY" once add_tls_front() ran.
  [[nodiscard]] std::string rtmps_url_with_key(std::string_view key, std::string_view app = "live") const;

 private:
  void write_config() const;
  // One attempt to bring nginx up on port_; false (nginx gone) if the port was taken.
  [[nodiscard]] bool launch(Deadline deadline);
  void wait_gone();

  TempDir dir_;
  std::filesystem::path record_dir_;
  std::filesystem::path conf_path_;
  std::filesystem::path error_log_path_;
  std::unique_ptr<PublishAuth> auth_;
  int port_ = 0;
  int tls_port_ = 0;  // 0: no TLS front
  std::string address_;
  std::filesystem::path tls_certificate_;
  std::filesystem::path tls_key_;
  std::size_t lost_publishers_ = 0;  // publishes killed without an on_publish_done
  std::unique_ptr<Subprocess> nginx_;
};

// A loopback TCP port nobody listened on a moment ago (bound to port 0, read, closed).
// Another process may take it before the caller binds it: callers retry on EADDRINUSE.
[[nodiscard]] int pick_free_loopback_port();

// Whether something accepts TCP connections on 127.0.0.1:port right now.
[[nodiscard]] bool loopback_port_accepts(int port);

}  // namespace cunbo::test
