// Runs another program the way a host's shell would, and watches it: its stdout and stderr
// are captured as they come, its exit is noticed at once (a pidfd), and every wait has a
// deadline. One I/O thread per child owns the pipes and reaps the child.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support/wait.h"

namespace cunbo::test {

// Changes to the test process's environment for a child: a value sets the variable,
// std::nullopt removes it. Everything else is inherited.
using EnvChanges = std::map<std::string, std::optional<std::string>>;

struct SpawnOptions {
  SpawnOptions() = default;
  explicit SpawnOptions(std::vector<std::string> program_and_args, EnvChanges env_changes = {})
      : argv(std::move(program_and_args)), env(std::move(env_changes)) {}

  std::vector<std::string> argv;  // argv[0] is looked up on PATH when it has no '/'
  EnvChanges env;
  std::filesystem::path working_dir;  // empty: the test's own
  bool pipe_stdin = false;            // else stdin is /dev/null
};

struct ExitStatus {
  bool exited = false;  // ended by exit(); else killed by `signal`
  int code = -1;
  int signal = 0;

  [[nodiscard]] bool success() const { return exited && code == 0; }
  [[nodiscard]] std::string describe() const;  // "exit status 3", "killed by SIGSEGV"
};

// What `finish` and `run` hand back: everything the child said and how it ended.
struct RunResult {
  std::string command;  // for failure messages
  ExitStatus status;
  bool timed_out = false;  // it overran its deadline and was killed
  std::string out;
  std::string err;

  // A paragraph for an assertion message: command, status, and what it wrote.
  [[nodiscard]] std::string describe() const;
};

class Subprocess {
 public:
  // Starts the child; throws std::runtime_error (with the command) if it cannot.
  [[nodiscard]] static std::unique_ptr<Subprocess> spawn(const SpawnOptions& options);

  // Kills a child that is still running (SIGKILL) and waits for it.
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] const std::string& command() const { return command_; }
  [[nodiscard]] Clock::time_point started_at() const { return started_at_; }

  // Sends `sig` unless the child is already gone (false then). Never hits a reused pid.
  bool send_signal(int sig);

  // Snapshots of what the child has written so far.
  [[nodiscard]] std::string out() const;
  [[nodiscard]] std::string err() const;

  // Waits until `condition(out, err)` holds, the child ends, or the deadline passes.
  // Wakes on every chunk of output, so nothing is polled.
  [[nodiscard]] bool wait_for_output(Deadline deadline,
                                     const std::function<bool(std::string_view out, std::string_view err)>& condition);

  // The exit status once the child has ended and all its output has been read; else nullopt.
  [[nodiscard]] std::optional<ExitStatus> wait_for_exit(Deadline deadline);
  [[nodiscard]] bool running() const;

  // Waits for the end; a child still running at the deadline is killed (SIGKILL) and
  // reported as timed out.
  [[nodiscard]] RunResult finish(Deadline deadline);

  // Writes all of `data` to the child's stdin (spawned with pipe_stdin); false once the
  // child stopped reading. Blocks while the pipe is full.
  bool write_stdin(const void* data, std::size_t size);
  void close_stdin();

 private:
  Subprocess() = default;
  void io_loop();

  std::string command_;
  pid_t pid_ = -1;
  int pidfd_ = -1;
  int stdin_fd_ = -1;  // a socket (send with MSG_NOSIGNAL, so a dead reader cannot SIGPIPE us)
  int out_fd_ = -1;
  int err_fd_ = -1;
  Clock::time_point started_at_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string out_;                   // guarded by mutex_
  std::string err_;                   // guarded by mutex_
  std::optional<ExitStatus> status_;  // guarded by mutex_; set after the output is drained
  bool reaped_ = false;               // guarded by mutex_; the pid is no longer ours
  std::thread io_thread_;
};

// Runs a program to its end (or kills it at the deadline).
[[nodiscard]] RunResult run(const SpawnOptions& options, Clock::duration timeout);

// The path of `program` on PATH, or empty.
[[nodiscard]] std::filesystem::path find_on_path(std::string_view program);

// `program` on PATH, or throws with the Debian package to install.
std::filesystem::path require_program(std::string_view program, std::string_view debian_package);

}  // namespace cunbo::test
