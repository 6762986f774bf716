#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
// glibc 2.36's <sys/pidfd.h> lacks the C++ guards, so its declarations need them here.
extern "C" {
#include <sys/pidfd.h>
}
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>

extern char** environ;

namespace cunbo::test {
namespace {

// Once a child has been reaped, a grandchild could still hold its pipes open; read what is
// already there for this long, then stop waiting for end-of-file.
constexpr int kDrainAfterExitMs = 500;

std::string quote_command(const std::vector<std::string>& argv) {
  std::string text;
  for (const std::string& arg : argv) {
    if (!text.empty()) text += ' ';
    if (arg.empty() || arg.find_first_of(" \t\"'$\\") != std::string::npos) {
      text += '\'';
      for (char c : arg) {
        if (c == '\'')
          text += "'\\''";
        else
          text += c;
      }
      text += '\'';
    } else {
      text += arg;
    }
  }
  return text;
}

std::vector<std::string> child_environment(const EnvChanges& changes) {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    const auto eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    env[std::string(text.substr(0, eq))] = std::string(text.substr(eq + 1));
  }
  for (const auto& [name, value] : changes) {
    if (value)
      env[name] = *value;
    else
      env.erase(name);
  }
  std::vector<std::string> lines;
  lines.reserve(env.size());
  for (const auto& [name, value] : env) lines.push_back(name + "=" + value);
  return lines;
}

std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev != nullptr ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

std::string tail(const std::string& text, std::size_t max_chars) {
  if (text.size() <= max_chars) return text;
  return "…" + text.substr(text.size() - max_chars);
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Owns the fds and spawn objects while `spawn` builds the child; closes whatever is left.
struct SpawnScratch {
  std::array<int, 2> out{-1, -1};
  std::array<int, 2> err{-1, -1};
  std::array<int, 2> in{-1, -1};
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attr{};
  bool actions_ready = false;
  bool attr_ready = false;

  ~SpawnScratch() {
    for (int* fd : {&out[0], &out[1], &err[0], &err[1], &in[0], &in[1]}) close_fd(*fd);
    if (actions_ready) posix_spawn_file_actions_destroy(&actions);
    if (attr_ready) posix_spawnattr_destroy(&attr);
  }
};

[[noreturn]] void throw_errno(const std::string& what, int err) {
  throw std::runtime_error(what + ": " + std::strerror(err));
}

}  // namespace

std::string ExitStatus::describe() const {
  if (exited) return "exit status " + std::to_string(code);
  if (signal != 0) return "killed by " + signal_name(signal);
  return "still running";
}

std::string RunResult::describe() const {
  std::string text = "command: " + command + "\n";
  text += timed_out ? "result: overran its deadline and was killed\n" : "result: " + status.describe() + "\n";
  text += "stdout:\n" + tail(out, 2000) + "\n";
  text += "stderr:\n" + tail(err, 4000) + "\n";
  return text;
}

std::unique_ptr<Subprocess> Subprocess::spawn(const SpawnOptions& options) {
  if (options.argv.empty()) throw std::invalid_argument("Subprocess::spawn: empty argv");
  std::unique_ptr<Subprocess> child(new Subprocess());
  child->command_ = quote_command(options.argv);

  SpawnScratch s;
  if (pipe2(s.out.data(), O_CLOEXEC) != 0 || pipe2(s.err.data(), O_CLOEXEC) != 0) {
    throw_errno("pipe for " + child->command_, errno);
  }
  if (options.pipe_stdin && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s.in.data()) != 0) {
    throw_errno("socketpair for " + child->command_, errno);
  }

  int rc = posix_spawn_file_actions_init(&s.actions);
  if (rc != 0) throw_errno("posix_spawn_file_actions_init", rc);
  s.actions_ready = true;
  if (options.pipe_stdin) {
    posix_spawn_file_actions_adddup2(&s.actions, s.in[1], STDIN_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&s.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&s.actions, s.out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&s.actions, s.err[1], STDERR_FILENO);
  if (!options.working_dir.empty()) {
    posix_spawn_file_actions_addchdir_np(&s.actions, options.working_dir.c_str());
  }

  rc = posix_spawnattr_init(&s.attr);
  if (rc != 0) throw_errno("posix_spawnattr_init", rc);
  s.attr_ready = true;
  // The child starts as from a shell: no blocked signals, default dispositions (a test
  // runner may ignore SIGPIPE or SIGINT), and its own process group.
  sigset_t none;
  sigset_t all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&s.attr, &none);
  posix_spawnattr_setsigdefault(&s.attr, &all);
  posix_spawnattr_setpgroup(&s.attr, 0);
  posix_spawnattr_setflags(&s.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

  std::vector<char*> argv;
  for (const std::string& arg : options.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const std::vector<std::string> env_lines = child_environment(options.env);
  std::vector<char*> envp;
  for (const std::string& line : env_lines) envp.push_back(const_cast<char*>(line.c_str()));
  envp.push_back(nullptr);

  const bool search_path = options.argv[0].find('/') == std::string::npos;
  pid_t pid = -1;
  rc = search_path ? posix_spawnp(&pid, argv[0], &s.actions, &s.attr, argv.data(), envp.data())
                   : posix_spawn(&pid, argv[0], &s.actions, &s.attr, argv.data(), envp.data());
  if (rc != 0) throw_errno("cannot start " + child->command_, rc);
  child->started_at_ = Clock::now();
  child->pid_ = pid;

  // A pidfd stays valid for this child even after it is reaped, so signals never reach a
  // process that reused the pid, and poll() tells the moment it exits.
  child->pidfd_ = pidfd_open(pid, 0);
  if (child->pidfd_ < 0) {
    const int err = errno;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    throw_errno("pidfd_open for " + child->command_, err);
  }

  close_fd(s.out[1]);
  close_fd(s.err[1]);
  close_fd(s.in[1]);
  child->out_fd_ = std::exchange(s.out[0], -1);
  child->err_fd_ = std::exchange(s.err[0], -1);
  child->stdin_fd_ = std::exchange(s.in[0], -1);
  child->io_thread_ = std::thread([raw = child.get()] { raw->io_loop(); });
  return child;
}

Subprocess::~Subprocess() {
  if (running()) send_signal(SIGKILL);
  close_stdin();
  if (io_thread_.joinable()) io_thread_.join();
  close_fd(pidfd_);
}

void Subprocess::io_loop() {
  int out_fd = out_fd_;
  int err_fd = err_fd_;
  for (int fd : {out_fd, err_fd}) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  bool reaped = false;
  int wait_status = 0;
  char buf[16384];

  while (out_fd >= 0 || err_fd >= 0 || !reaped) {
    std::array<pollfd, 3> fds{};
    nfds_t n = 0;
    if (out_fd >= 0) fds[n++] = {out_fd, POLLIN, 0};
    if (err_fd >= 0) fds[n++] = {err_fd, POLLIN, 0};
    if (!reaped) fds[n++] = {pidfd_, POLLIN, 0};
    const int ready = ::poll(fds.data(), n, reaped ? kDrainAfterExitMs : -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (ready == 0) break;  // exited, and the pipes stay silent: a grandchild holds them

    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == pidfd_) {
        pid_t r;
        do r = ::waitpid(pid_, &wait_status, 0);
        while (r < 0 && errno == EINTR);
        reaped = true;
        std::lock_guard lock(mutex_);
        reaped_ = true;
        continue;
      }
      int& fd = fds[i].fd == out_fd ? out_fd : err_fd;
      std::string& sink = fds[i].fd == out_fd ? out_ : err_;
      for (;;) {
        const ssize_t got = ::read(fd, buf, sizeof buf);
        if (got > 0) {
          {
            std::lock_guard lock(mutex_);
            sink.append(buf, static_cast<std::size_t>(got));
          }
          changed_.notify_all();
          continue;
        }
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        close_fd(fd);  // end of file, or an error that will not get better
        break;
      }
    }
  }
  close_fd(out_fd);
  close_fd(err_fd);

  ExitStatus status;
  if (WIFEXITED(wait_status)) {
    status.exited = true;
    status.code = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    status.signal = WTERMSIG(wait_status);
  }
  {
    std::lock_guard lock(mutex_);
    status_ = status;
  }
  changed_.notify_all();
}

bool Subprocess::send_signal(int sig) {
  {
    std::lock_guard lock(mutex_);
    if (reaped_) return false;
  }
  return pidfd_send_signal(pidfd_, sig, nullptr, 0) == 0;
}

std::string Subprocess::out() const {
  std::lock_guard lock(mutex_);
  return out_;
}

std::string Subprocess::err() const {
  std::lock_guard lock(mutex_);
  return err_;
}

bool Subprocess::running() const {
  std::lock_guard lock(mutex_);
  return !status_.has_value();
}

bool Subprocess::wait_for_output(Deadline deadline,
                                 const std::function<bool(std::string_view out, std::string_view err)>& condition) {
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, deadline, [&] { return condition(out_, err_) || status_.has_value(); });
  return condition(out_, err_);
}

std::optional<ExitStatus> Subprocess::wait_for_exit(Deadline deadline) {
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, deadline, [&] { return status_.has_value(); });
  return status_;
}

RunResult Subprocess::finish(Deadline deadline) {
  RunResult result;
  result.command = command_;
  std::optional<ExitStatus> status = wait_for_exit(deadline);
  if (!status) {
    result.timed_out = true;
    send_signal(SIGKILL);
    status = wait_for_exit(deadline_after(std::chrono::seconds(30)));
  }
  if (status) result.status = *status;
  std::lock_guard lock(mutex_);
  result.out = out_;
  result.err = err_;
  return result;
}

bool Subprocess::write_stdin(const void* data, std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    if (stdin_fd_ < 0) return false;
    const ssize_t sent = ::send(stdin_fd_, bytes, size, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes += sent;
    size -= static_cast<std::size_t>(sent);
  }
  return true;
}

void Subprocess::close_stdin() { close_fd(stdin_fd_); }

RunResult run(const SpawnOptions& options, Clock::duration timeout) {
  const Deadline deadline = deadline_after(timeout);
  return Subprocess::spawn(options)->finish(deadline);
}

std::filesystem::path find_on_path(std::string_view program) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const std::string_view dir = dirs.substr(0, colon);
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
    if (dir.empty()) continue;
    std::filesystem::path candidate = std::filesystem::path(dir) / program;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

std::filesystem::path require_program(std::string_view program, std::string_view debian_package) {
  std::filesystem::path found = find_on_path(program);
  if (found.empty()) {
    throw std::runtime_error(std::string(program) + " not found on PATH: install the Debian package '" +
                             std::string(debian_package) + "' (third_party/install-packages.sh)");
  }
  return found;
}

}  // namespace cunbo::test
