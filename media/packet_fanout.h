// Feeds one encoder's packets, unchanged, to every output, the recorder and the stats.
#pragma once

#include <string>
#include <vector>

#include "media/packet_sink.h"

namespace cunbo {

class PacketFanOut final : public PacketSink {
 public:
  // Sinks are borrowed and must outlive the fan-out. Add them all before open().
  void add(PacketSink& sink) { sinks_.push_back(&sink); }

  // Opens every sink; the first failure closes the ones already open and is returned.
  [[nodiscard]] std::string open(const std::vector<EncodedStream>& streams) override;
  void start() override;
  void push(const AVPacket& packet) override;
  void close() override;

 private:
  std::vector<PacketSink*> sinks_;
};

}  // namespace cunbo
