#include "client/studio/probe_runner.h"

#include <utility>

#include "media/thread_name.h"

namespace cunbo {

ProbeRunner::ProbeRunner(ProbeFn probe, std::chrono::milliseconds budget) : probe_(std::move(probe)), budget_(budget) {
  if (!probe_) {
    probe_ = [](std::chrono::milliseconds b, std::function<void(float)> progress, std::stop_token stop) {
      return probe_encode_speed(b, std::move(progress), std::move(stop));
    };
  }
}

ProbeRunner::~ProbeRunner() {
  worker_.request_stop();
  if (worker_.joinable()) worker_.join();
}

void ProbeRunner::start() {
  if (running_.exchange(true)) return;
  {
    const std::lock_guard lock(mutex_);
    result_.reset();
  }
  progress_.store(0);
  if (worker_.joinable()) worker_.join();  // the previous one has finished (running_ was false)
  worker_ = std::jthread([this](std::stop_token stop) {
    name_this_thread("probe");
    ProbeResult result = probe_(budget_, [this](float p) { progress_.store(p); }, stop);
    {
      const std::lock_guard lock(mutex_);
      result_ = std::move(result);
    }
    running_.store(false);
  });
}

void ProbeRunner::cancel() { worker_.request_stop(); }

std::optional<ProbeResult> ProbeRunner::result() const {
  const std::lock_guard lock(mutex_);
  return result_;
}

}  // namespace cunbo
