// The encode-speed probe (client/studio/probe.h) run for the window: on a worker thread
// ("probe"), with its progress and result readable from the UI thread at any time, cancelled
// by 跳过. The studio owns one; the first-start guide and 设置 use it.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

#include "client/studio/probe.h"

namespace cunbo {

class ProbeRunner {
 public:
  // probe_encode_speed's signature: tests give a fast fake.
  using ProbeFn = std::function<ProbeResult(std::chrono::milliseconds, std::function<void(float)>, std::stop_token)>;

  // `probe` defaults to probe_encode_speed; `budget` is the whole test's time.
  explicit ProbeRunner(ProbeFn probe = {}, std::chrono::milliseconds budget = std::chrono::seconds(10));
  ~ProbeRunner();  // cancels a running probe and waits for it (one frame's encode)
  ProbeRunner(const ProbeRunner&) = delete;
  ProbeRunner& operator=(const ProbeRunner&) = delete;

  // Starts a probe (a finished one's result is forgotten); no-op while one runs.
  void start();
  // The worker notices within one frame's encode; its (cancelled) result is kept as such.
  void cancel();
  [[nodiscard]] bool running() const { return running_.load(); }
  [[nodiscard]] float progress() const { return progress_.load(); }  // 0…1
  // Once a probe has finished.
  [[nodiscard]] std::optional<ProbeResult> result() const;

 private:
  ProbeFn probe_;
  std::chrono::milliseconds budget_;
  mutable std::mutex mutex_;
  std::optional<ProbeResult> result_;  // guarded by mutex_
  std::atomic<float> progress_{0};
  std::atomic<bool> running_{false};
  std::jthread worker_;  // last: stopped and joined before the members it uses go
};

}  // namespace cunbo
