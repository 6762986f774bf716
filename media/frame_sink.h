// Where raw frames go: a capture source pushes decoded frames into a FrameSink.
#pragma once

#include <cstdint>

#include "media/av.h"

namespace cunbo {

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  // `frame` is borrowed for the call; a sink that keeps it takes its own reference.
  // `capture_us` is the session-clock time the frame's first sample / picture was captured.
  virtual void push_frame(const AVFrame& frame, int64_t capture_us) = 0;
  // Called by a source that has nothing to deliver for a while (device lost, reopening), so a
  // sink that must stay continuous (audio) can fill up to `now_us`.
  virtual void on_idle(int64_t now_us) { (void)now_us; }
};

}  // namespace cunbo
