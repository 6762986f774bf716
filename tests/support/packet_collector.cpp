#include "tests/support/packet_collector.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <stdexcept>

namespace cunbo::test {

std::string PacketCollector::open(const std::vector<EncodedStream>& streams) {
  std::lock_guard lock(mutex_);
  ++opens_;
  if (open_error_.empty()) streams_ = streams;
  return open_error_;
}

void PacketCollector::push(const AVPacket& packet) {
  PacketRecord record;
  record.stream = packet.stream_index;
  record.pts = packet.pts;
  record.dts = packet.dts;
  record.duration = packet.duration;
  record.flags = packet.flags;
  record.time_base = packet.time_base;
  record.data.assign(packet.data, packet.data + packet.size);
  record.received_us =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch()).count();
  {
    std::lock_guard lock(mutex_);
    packets_.push_back(std::move(record));
  }
  cv_.notify_all();
}

void PacketCollector::close() {
  std::lock_guard lock(mutex_);
  ++closes_;
}

std::vector<PacketRecord> PacketCollector::packets() const {
  std::lock_guard lock(mutex_);
  return packets_;
}

std::vector<PacketRecord> PacketCollector::packets_of(int stream) const {
  std::lock_guard lock(mutex_);
  std::vector<PacketRecord> out;
  std::copy_if(packets_.begin(), packets_.end(), std::back_inserter(out),
               [stream](const PacketRecord& p) { return p.stream == stream; });
  return out;
}

std::vector<EncodedStream> PacketCollector::streams() const {
  std::lock_guard lock(mutex_);
  return streams_;
}

int PacketCollector::opens() const {
  std::lock_guard lock(mutex_);
  return opens_;
}

int PacketCollector::closes() const {
  std::lock_guard lock(mutex_);
  return closes_;
}

bool PacketCollector::wait_for_packets(size_t count, Deadline deadline) const {
  std::unique_lock lock(mutex_);
  return cv_.wait_until(lock, deadline, [&] { return packets_.size() >= count; });
}

av::Packet to_packet(const PacketRecord& record) {
  av::Packet packet = av::make_packet();
  if (!packet || av_new_packet(packet.get(), static_cast<int>(record.data.size())) < 0)
    throw std::runtime_error("cannot allocate a packet");
  if (!record.data.empty()) std::memcpy(packet->data, record.data.data(), record.data.size());
  packet->stream_index = record.stream;
  packet->pts = record.pts;
  packet->dts = record.dts;
  packet->duration = record.duration;
  packet->flags = record.flags;
  packet->time_base = record.time_base;
  return packet;
}

}  // namespace cunbo::test
