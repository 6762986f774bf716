// In front of one destination's output: the sound, and the picture of either the shared video
// encoder or the destination's own second encode (a link far slower than the others gets its
// own bitrate instead of lowering everyone's: the supervisor decides, the session wires it).
// Both encoders number their frames by the video thread's tick, and every switch is made on
// the video thread before the shared encoder encodes the tick it happens at, on a keyframe of
// the encoder taking over: the viewer's stream is never torn.
//   - to the second encode: use_second_from(tick); the second encoder's first frame there is an
//     IDR (a new encoder starts on one). The shared encoder's frames before the tick, its own
//     from it.
//   - back: use_shared_from(tick), with the shared encoder making that tick a keyframe; the
//     second encode's frames before it still pass until the shared encoder's first one has.
// Thread-safe: the video, audio and second-encode threads push concurrently.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "media/packet_sink.h"

namespace cunbo {

class OutputFeed final : public PacketSink {
 public:
  // `output` is borrowed and outlives the feed.
  explicit OutputFeed(PacketSink& output) : output_(output), second_port_(*this) {}

  [[nodiscard]] std::string open(const std::vector<EncodedStream>& streams) override;
  void start() override { output_.start(); }
  // The shared encoders' packets, sound and picture.
  void push(const AVPacket& packet) override;
  void close() override { output_.close(); }

  // Where the destination's own encoder hands its video packets (same stream index).
  [[nodiscard]] PacketSink& second() { return second_port_; }

  void use_second_from(int64_t tick);
  void use_shared_from(int64_t tick);
  // The second encode feeds the picture (or still may: the shared encoder's first frame back
  // has not arrived yet).
  [[nodiscard]] bool on_second() const;

 private:
  class SecondPort final : public PacketSink {
   public:
    explicit SecondPort(OutputFeed& feed) : feed_(feed) {}
    std::string open(const std::vector<EncodedStream>&) override { return {}; }
    void push(const AVPacket& packet) override { feed_.push_second(packet); }
    void close() override {}

   private:
    OutputFeed& feed_;
  };
  enum class Picture { shared, second, back_to_shared };  // back_to_shared: from boundary_ on

  void push_second(const AVPacket& packet);
  [[nodiscard]] bool is_video(const AVPacket& packet) const {
    return packet.stream_index >= 0 && static_cast<size_t>(packet.stream_index) < video_.size() &&
           video_[static_cast<size_t>(packet.stream_index)];
  }

  PacketSink& output_;
  SecondPort second_port_;
  std::vector<bool> video_;  // per stream index; set by open()
  mutable std::mutex mutex_;
  Picture picture_ = Picture::shared;  // guarded by mutex_
  int64_t boundary_ = 0;               // the tick of the last switch; guarded by mutex_
};

}  // namespace cunbo
