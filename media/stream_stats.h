// Counts what the encoders produce, for the progress line and the session report.
// Thread-safe (atomics); a PacketSink like any output.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "media/packet_sink.h"

namespace cunbo {

class StreamStats final : public PacketSink {
 public:
  [[nodiscard]] std::string open(const std::vector<EncodedStream>&) override { return {}; }
  void push(const AVPacket& packet) override {
    if (packet.stream_index < 0 || packet.stream_index >= static_cast<int>(kMaxStreams)) return;
    auto i = static_cast<size_t>(packet.stream_index);
    packets_[i].fetch_add(1, std::memory_order_relaxed);
    bytes_[i].fetch_add(packet.size, std::memory_order_relaxed);
  }
  void close() override {}

  [[nodiscard]] int64_t packets(int stream) const { return packets_.at(static_cast<size_t>(stream)).load(); }
  [[nodiscard]] int64_t bytes(int stream) const { return bytes_.at(static_cast<size_t>(stream)).load(); }
  [[nodiscard]] int64_t total_bytes() const {
    int64_t sum = 0;
    for (const auto& b : bytes_) sum += b.load();
    return sum;
  }

 private:
  static constexpr size_t kMaxStreams = 4;
  std::array<std::atomic<int64_t>, kMaxStreams> packets_{};
  std::array<std::atomic<int64_t>, kMaxStreams> bytes_{};
};

}  // namespace cunbo
