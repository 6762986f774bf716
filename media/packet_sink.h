// Where encoded packets go: outputs, the recorder and the stats all are PacketSinks, fed the
// same packets by a PacketFanOut. Adding an output touches no encoder code.
#pragma once

#include <string>
#include <vector>

#include "media/av.h"

namespace cunbo {

// One encoded stream as the sinks see it. `params` and `time_base` come from the encoder and
// outlive the sink's use of them (the encoders live for the whole session).
struct EncodedStream {
  const AVCodecParameters* params = nullptr;
  AVRational time_base{1, 1};
  AVRational frame_rate{0, 1};  // video: the constant output rate; audio: 0/1
};

class PacketSink {
 public:
  virtual ~PacketSink() = default;
  // Called once before the first packet: takes the streams' parameters (and may create what it
  // writes to), starts no thread. Returns an empty string on success, else what failed.
  [[nodiscard]] virtual std::string open(const std::vector<EncodedStream>& streams) = 0;
  // After a successful open(), before the first packet: a sink with a thread starts it here.
  virtual void start() {}
  // `packet.stream_index` indexes the streams given to open(); timestamps are in that stream's
  // time base. Called from the video and audio threads concurrently; must not block for long.
  virtual void push(const AVPacket& packet) = 0;
  // No packet follows. A sink with a thread drains what it holds and finalises.
  virtual void close() = 0;
};

}  // namespace cunbo
