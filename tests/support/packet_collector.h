// A PacketSink that keeps what it is given, for tests that look at an encoder's or a fan-out's
// output packet by packet. Thread-safe: the video and audio threads may push at once.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "media/av.h"
#include "media/packet_sink.h"
#include "tests/support/wait.h"

namespace cunbo::test {

// What a packet looked like when the sink got it (the payload copied, not referenced).
struct PacketRecord {
  int stream = -1;
  int64_t pts = AV_NOPTS_VALUE;
  int64_t dts = AV_NOPTS_VALUE;
  int64_t duration = 0;
  int flags = 0;
  AVRational time_base{0, 1};
  std::vector<uint8_t> data;
  int64_t received_us = 0;  // steady clock, when push() was called

  [[nodiscard]] bool keyframe() const { return (flags & AV_PKT_FLAG_KEY) != 0; }
  friend bool operator==(const PacketRecord& a, const PacketRecord& b) {
    return a.stream == b.stream && a.pts == b.pts && a.dts == b.dts && a.duration == b.duration &&
           a.flags == b.flags && av_cmp_q(a.time_base, b.time_base) == 0 && a.data == b.data;
  }
};

// What gtest prints for a packet that differs (not its payload bytes).
inline void PrintTo(const PacketRecord& p, std::ostream* os) {
  *os << "{stream " << p.stream << ", pts " << p.pts << ", dts " << p.dts << ", duration " << p.duration
      << ", flags " << p.flags << ", " << p.data.size() << " bytes}";
}

class PacketCollector final : public PacketSink {
 public:
  // `open_error`: what open() returns (empty: success).
  explicit PacketCollector(std::string open_error = {}) : open_error_(std::move(open_error)) {}

  [[nodiscard]] std::string open(const std::vector<EncodedStream>& streams) override;
  void push(const AVPacket& packet) override;
  void close() override;

  [[nodiscard]] std::vector<PacketRecord> packets() const;
  [[nodiscard]] std::vector<PacketRecord> packets_of(int stream) const;
  [[nodiscard]] std::vector<EncodedStream> streams() const;
  [[nodiscard]] int opens() const;
  [[nodiscard]] int closes() const;
  // Waits (notified, not polled) until at least `count` packets arrived.
  [[nodiscard]] bool wait_for_packets(size_t count, Deadline deadline) const;

 private:
  std::string open_error_;
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  std::vector<EncodedStream> streams_;
  std::vector<PacketRecord> packets_;
  int opens_ = 0;
  int closes_ = 0;
};

// The packet as a sink would get it again (a new packet owning a copy of the payload).
[[nodiscard]] av::Packet to_packet(const PacketRecord& record);

}  // namespace cunbo::test
