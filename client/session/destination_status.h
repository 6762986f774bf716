// A destination as the host is told about it: the supervisor's view (the transport's link state
// plus the reconnect policy's decisions) and what was measured. Read by the progress line, the
// window's health line, the event log and the summary.
#pragma once

#include <cstdint>
#include <string>

#include "media/stream_output.h"

namespace cunbo {

enum class OutputState { connecting, live, congested, reconnecting, key_rejected, stopped };
[[nodiscard]] const char* to_string(OutputState state);

struct OutputStatus {
  OutputState state = OutputState::connecting;
  OutputFailure last_failure = OutputFailure::none;
  int attempt = 0;          // the upcoming retry's number while reconnecting
  int64_t retry_at_us = 0;  // session clock: when the next attempt is due while reconnecting
  int64_t queue_ms = 0;
  int64_t bytes_sent = 0;
  int64_t video_frames_sent = 0;  // for the frame rate viewers get
  int64_t drops = 0;
  int64_t connections = 0;        // successful publishes so far
  bool key_was_rejected = false;  // sticky: reached key_rejected at some point
};

struct DestinationStats {
  std::string display_url;
  OutputStatus status;
  int kbps = 0;    // sent over the last measuring window
  double fps = 0;  // video frames sent per second, over the same window
  int attempts = 0;     // connection attempts made
  int failures = 0;     // attempts that failed and connections lost
  int64_t live_us = 0;  // time spent publishing, all connections together
  bool own_encode = false;  // fed by its own encode (its link is far slower than the others')
  // The mean video bitrate its link carried while live (0: not measured yet), and whether it
  // was ever less than the preset asked for.
  int sustained_kbps = 0;
  int64_t measured_us = 0;
  bool limited = false;
};

}  // namespace cunbo
