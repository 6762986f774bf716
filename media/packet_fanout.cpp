#include "media/packet_fanout.h"

namespace cunbo {

std::string PacketFanOut::open(const std::vector<EncodedStream>& streams) {
  for (size_t i = 0; i < sinks_.size(); ++i) {
    std::string error = sinks_[i]->open(streams);
    if (!error.empty()) {
      for (size_t j = 0; j < i; ++j) sinks_[j]->close();
      return error;
    }
  }
  return {};
}

void PacketFanOut::start() {
  for (PacketSink* sink : sinks_) sink->start();
}

void PacketFanOut::push(const AVPacket& packet) {
  for (PacketSink* sink : sinks_) sink->push(packet);
}

void PacketFanOut::close() {
  for (PacketSink* sink : sinks_) sink->close();
}

}  // namespace cunbo
