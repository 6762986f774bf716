#include "tests/support/loopback.h"
#include "tests/support/nginx_rtmp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kRtmpModule = "/usr/lib/nginx/modules/ngx_rtmp_module.so";
constexpr const char* kStreamModule = "/usr/lib/nginx/modules/ngx_stream_module.so";
// Startup is a fork-free exec plus a config parse: quick even under sanitizers, but a loaded
// 2-core machine running real-time encodes can be slow to schedule it.
constexpr auto kStartTimeout = 15s;
constexpr int kPortAttempts = 5;

std::string read_file_or_empty(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int pick_free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "socket");
  sockaddr_in addr = loopback(0);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int err = errno;
    ::close(fd);
    throw std::system_error(err, std::generic_category(), "bind/getsockname on 127.0.0.1:0");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool loopback_port_accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const sockaddr_in addr = loopback(port);
  const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

NginxRtmp::NginxRtmp(std::string_view label, std::string address)
    : dir_(label),
      record_dir_(dir_ / "recordings"),
      conf_path_(dir_ / "nginx.conf"),
      error_log_path_(dir_ / "logs" / "error.log"),
      auth_(std::make_unique<PublishAuth>()),
      address_(std::move(address)) {
  static_cast<void>(require_program("nginx", "nginx-light"));
  if (!std::filesystem::exists(kRtmpModule)) {
    throw std::runtime_error(std::string("the RTMP module is missing (") + kRtmpModule +
                             "): install the Debian package 'libnginx-mod-rtmp'");
  }
  std::filesystem::create_directories(record_dir_);
  std::filesystem::create_directories(dir_ / "logs");
  std::filesystem::create_directories(dir_ / "temp");
  // nginx cannot listen on port 0: take a port that was free a moment ago, and try another
  // one if someone took it in between.
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    port_ = pick_free_loopback_port();
    write_config();
    if (launch(deadline_after(kStartTimeout))) return;
  }
  throw std::runtime_error("nginx did not start after " + std::to_string(kPortAttempts) +
                           " ports were tried; its error log:\n" + error_log());
}

NginxRtmp::~NginxRtmp() {
  if (nginx_ && nginx_->running()) kill();
}

std::string NginxRtmp::url(std::string_view app) const {
  return "rtmp://127.0.0.1:" + std::to_string(port_) + "/" + std::string(app);
}

std::string NginxRtmp::url_with_key(std::string_view key, std::string_view app) const {
  return url(app) + "/" + std::string(key);
}

void NginxRtmp::write_config() const {
  const std::string prefix = dir_.path().string();
  std::ostringstream conf;
  // Foreground, single process: the test owns its lifetime, signals reach it directly, and
  // it runs as whoever runs the tests (no `user`: no worker to switch).
  conf << "daemon off;\n"
       << "master_process off;\n"
       << "load_module " << kRtmpModule << ";\n";
  if (tls_port_ != 0) conf << "load_module " << kStreamModule << ";\n";
  conf << ""
       << "error_log " << error_log_path_.string() << " info;\n"
       << "pid " << prefix << "/nginx.pid;\n"
       << "worker_rlimit_nofile 1024;\n"
       << "events { worker_connections 256; }\n"
       << "rtmp {\n"
       << "  server {\n"
       << "    listen " << address_ << ":" << port_ << ";\n"
       << "    chunk_size 4096;\n"
       << "    application live {\n"
       << "      live on;\n"
       // Everything published lands on disk; every publish makes a new file (KEY-unixtime.flv).
       << "      record all;\n"
       << "      record_path " << record_dir_.string() << ";\n"
       << "      record_unique on;\n"
       << "      record_suffix .flv;\n"
       << "      notify_method post;\n"
       << "      on_publish " << auth_->on_publish_url() << ";\n"
       << "      on_publish_done " << auth_->on_publish_done_url() << ";\n"
       << "    }\n"
       << "  }\n"
       << "}\n";
  if (tls_port_ != 0) {
    conf << "stream {\n"
         << "  server {\n"
         << "    listen 127.0.0.1:" << tls_port_ << " ssl;\n"
         << "    ssl_certificate " << tls_certificate_.string() << ";\n"
         << "    ssl_certificate_key " << tls_key_.string() << ";\n"
         << "    proxy_pass 127.0.0.1:" << port_ << ";\n"
         << "  }\n"
         << "}\n";
  }
  write_text_file(conf_path_, conf.str());
}

bool NginxRtmp::launch(Deadline deadline) {
  // -e: errors before the config is read also go to our log, not /var/log/nginx.
  nginx_ = Subprocess::spawn(SpawnOptions({"nginx", "-p", dir_.path().string() + "/", "-c", conf_path_.string(), "-e",
                                           error_log_path_.string()}));
  // Ready once it accepts connections; a taken port makes it give up (after its own bind
  // retries) and exit.
  const bool up = wait_until(deadline, [this] { return !nginx_->running() || loopback_port_accepts(port_); });
  if (up && nginx_->running()) return true;
  if (nginx_->running()) {
    kill();
    throw std::runtime_error("nginx did not accept connections on port " + std::to_string(port_) +
                             " in time; its error log:\n" + error_log());
  }
  const RunResult gone = nginx_->finish(deadline_after(5s));
  const std::string log = error_log() + gone.err;
  if (log.find("Address already in use") != std::string::npos) return false;
  throw std::runtime_error("nginx exited at startup (" + gone.status.describe() + "); its error log:\n" + log);
}

void NginxRtmp::wait_gone() {
  static_cast<void>(nginx_->finish(deadline_after(10s)));
  // Publishes that never got their on_publish_done will not get it now.
  const std::size_t allowed = auth_->allowed_attempts();
  const std::size_t done = auth_->publish_done_count();
  lost_publishers_ = allowed > done ? allowed - done : 0;
}

void NginxRtmp::stop() {
  if (!nginx_ || !nginx_->running()) return;
  nginx_->send_signal(SIGTERM);
  if (!nginx_->wait_for_exit(deadline_after(5s))) nginx_->send_signal(SIGKILL);
  wait_gone();
}

void NginxRtmp::kill() {
  if (!nginx_ || !nginx_->running()) return;
  nginx_->send_signal(SIGKILL);
  wait_gone();
}

void NginxRtmp::start() {
  if (running()) return;
  // Same port as before: nginx sets SO_REUSEADDR, so connections left in TIME_WAIT do not
  // block it. Only another process taking the port meanwhile would, and that is an error.
  if (!launch(deadline_after(kStartTimeout))) {
    throw std::runtime_error("nginx could not listen again on port " + std::to_string(port_) +
                             "; its error log:\n" + error_log());
  }
}

bool NginxRtmp::running() const { return nginx_ && nginx_->running(); }

void NginxRtmp::add_tls_front(const std::filesystem::path& certificate, const std::filesystem::path& key) {
  if (!std::filesystem::exists(kStreamModule)) {
    throw std::runtime_error(std::string("the stream module is missing (") + kStreamModule +
                             "): install the Debian package 'libnginx-mod-stream'");
  }
  tls_certificate_ = certificate;
  tls_key_ = key;
  stop();
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    tls_port_ = pick_free_loopback_port();
    write_config();
    if (launch(deadline_after(kStartTimeout))) {
      if (wait_until(deadline_after(kStartTimeout), [this] { return loopback_port_accepts(tls_port_); })) return;
      kill();
    }
  }
  throw std::runtime_error("nginx did not start with a TLS front; its error log:\n" + error_log());
}

std::string NginxRtmp::rtmps_url_with_key(std::string_view key, std::string_view app) const {
  return "rtmps://127.0.0.1:" + std::to_string(tls_port_) + "/" + std::string(app) + "/" + std::string(key);
}

std::vector<std::filesystem::path> NginxRtmp::recordings() const {
  std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(record_dir_, ec)) {
    if (entry.is_regular_file(ec) && entry.path().extension() == ".flv") {
      found.emplace_back(entry.last_write_time(ec), entry.path());
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<std::filesystem::path> paths;
  paths.reserve(found.size());
  for (auto& f : found) paths.push_back(std::move(f.second));
  return paths;
}

std::size_t NginxRtmp::active_publishers() const {
  const std::size_t ended = auth_->publish_done_count() + lost_publishers_;
  const std::size_t allowed = auth_->allowed_attempts();
  return allowed > ended ? allowed - ended : 0;
}

bool NginxRtmp::wait_until_idle(Deadline deadline) const {
  return auth_->wait_for_all_done(lost_publishers_, deadline);
}

std::string NginxRtmp::error_log() const { return read_file_or_empty(error_log_path_); }

}  // namespace cunbo::test
