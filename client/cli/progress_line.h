// The one-line progress display on stderr, like ffmpeg's: elapsed, fps, bitrate, drops, and
// the host's warnings in plain words. Rewritten in place with \r.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "client/session/session.h"

namespace cunbo {

class ProgressLine {
 public:
  explicit ProgressLine(std::FILE* out) : out_(out) {}
  void update(const SessionStats& stats);
  void finish(const SessionStats& stats);  // last update, then a newline

  [[nodiscard]] static std::string format(const SessionStats& stats, double fps);

 private:
  std::FILE* out_;
  // fps over the last second or so: a 250 ms window would flicker between 28 and 32.
  static constexpr int64_t kFpsWindowUs = 1'000'000;
  int64_t window_frames_ = 0;
  int64_t window_start_us_ = 0;
  double fps_ = 0;
  size_t last_width_ = 0;
};

}  // namespace cunbo
