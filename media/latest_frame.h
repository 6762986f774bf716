// A one-slot "latest frame wins" buffer between a producer and a consumer running at their
// own pace: the producer never waits; a frame replaced before it was taken counts as skipped.
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

#include "media/av.h"

namespace cunbo {

class LatestFrame {
 public:
  void put(const AVFrame& frame, int64_t capture_us) {
    av::Frame ref = av::ref_frame(&frame);
    if (!ref) return;
    std::lock_guard lock(mutex_);
    if (fresh_) ++skipped_;
    frame_ = std::move(ref);
    capture_us_ = capture_us;
    fresh_ = true;
    any_ = true;
    first_cv_.notify_all();
  }

  // Waits until a first frame has been put, or the deadline passes. True if there is one.
  [[nodiscard]] bool wait_first(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return first_cv_.wait_until(lock, deadline, [this] { return any_; });
  }

  // The newest frame (a new reference; null if none yet) and when it was captured.
  [[nodiscard]] av::Frame latest(int64_t* capture_us = nullptr) {
    std::lock_guard lock(mutex_);
    fresh_ = false;
    if (capture_us) *capture_us = capture_us_;
    return frame_ ? av::ref_frame(frame_.get()) : av::Frame();
  }

  // The frame put since the last take(), moved out (the slot is left empty, so a caller that
  // is the only other holder of its buffers may write to them), and when it was captured;
  // null if nothing new was put. For a single consumer that keeps what it needs itself; do
  // not mix with latest().
  [[nodiscard]] av::Frame take(int64_t* capture_us = nullptr) {
    std::lock_guard lock(mutex_);
    if (!fresh_) return {};
    fresh_ = false;
    if (capture_us) *capture_us = capture_us_;
    return std::move(frame_);
  }

  // When the newest frame put was captured; nullopt before the first.
  [[nodiscard]] std::optional<int64_t> newest_capture_us() const {
    std::lock_guard lock(mutex_);
    return any_ ? std::optional<int64_t>(capture_us_) : std::nullopt;
  }

  [[nodiscard]] int64_t skipped() const {
    std::lock_guard lock(mutex_);
    return skipped_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable first_cv_;
  av::Frame frame_;
  int64_t capture_us_ = 0;
  bool fresh_ = false;
  bool any_ = false;  // a frame was ever put
  int64_t skipped_ = 0;
};

}  // namespace cunbo
