// One long measurement for the window (the encode-speed test, the uplink test): run on a worker
// thread under a name, its progress and result readable from the UI thread at any time, cancelled
// by the host. ProbeRunner and UplinkRunner are made of it.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <utility>

#include "media/thread_name.h"

namespace cunbo {

template <class Result>
class TaskRunner {
 public:
  // What the worker runs: reports progress (0…1) and stops early when asked.
  using Task = std::function<Result(std::function<void(float)>, std::stop_token)>;

  explicit TaskRunner(const char* thread_name) : thread_name_(thread_name) {}
  ~TaskRunner() {
    worker_.request_stop();
    if (worker_.joinable()) worker_.join();
  }
  TaskRunner(const TaskRunner&) = delete;
  TaskRunner& operator=(const TaskRunner&) = delete;

  // Starts `task` (a finished one's result is forgotten); false, and nothing done, while one runs.
  bool start(Task task) {
    if (running_.exchange(true)) return false;
    {
      const std::lock_guard lock(mutex_);
      result_.reset();
    }
    progress_.store(0);
    if (worker_.joinable()) worker_.join();  // the previous one has finished (running_ was false)
    worker_ = std::jthread([this, task = std::move(task)](std::stop_token stop) {
      name_this_thread(thread_name_);
      Result result = task([this](float p) { progress_.store(p); }, stop);
      {
        const std::lock_guard lock(mutex_);
        result_ = std::move(result);
      }
      running_.store(false);
    });
    return true;
  }
  // The task notices when it next looks; its (cancelled) result is kept as such.
  void cancel() { worker_.request_stop(); }
  [[nodiscard]] bool running() const { return running_.load(); }
  [[nodiscard]] float progress() const { return progress_.load(); }
  // Once a task has finished.
  [[nodiscard]] std::optional<Result> result() const {
    const std::lock_guard lock(mutex_);
    return result_;
  }

 private:
  const char* thread_name_;
  mutable std::mutex mutex_;
  std::optional<Result> result_;  // guarded by mutex_
  std::atomic<float> progress_{0};
  std::atomic<bool> running_{false};
  std::jthread worker_;  // last: stopped and joined before the members it uses go
};

}  // namespace cunbo
