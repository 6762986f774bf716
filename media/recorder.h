// The local recording, written on its own thread from a bounded queue, in the container its
// file name asks for (recording_container). Crash-safe in each of them, because nothing that
// plays is ever left for the trailer to write and every packet is flushed to the file:
//  - Matroska: short clusters (250 ms), each flushed as it closes;
//  - MP4: fragmented (an empty moov up front, then a moof + mdat per keyframe or 250 ms), so
//    no index at the end is needed to play it;
//  - FLV: a stream of self-contained tags by nature.
// A killed process thus leaves a file that plays up to its last fraction of a second. A write
// failure (disk full) stops the recording cleanly and is reported; it never stalls the encoders
// or the outputs.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>

#include "media/av.h"
#include "media/packet_sink.h"

namespace cunbo {

enum class RecordingContainer { matroska, mp4, flv };

// The container a recording named `path` is written in: .mkv Matroska, .mp4 fragmented MP4,
// .flv FLV (any case); nullopt for any other name, which a session refuses.
[[nodiscard]] std::optional<RecordingContainer> recording_container(const std::filesystem::path& path);

struct RecorderError {
  std::string path;
  int errnum = 0;  // AVERROR
  std::string detail;
};

class Recorder final : public PacketSink {
 public:
  // Creates the file right away, so that a folder that cannot be written is known before the
  // session starts. A name recording_container() does not know is written as Matroska.
  [[nodiscard]] static std::variant<std::unique_ptr<Recorder>, RecorderError> create(const std::string& path);
  ~Recorder() override;

  // Writes the header (a folder that filled up is known before anything is captured).
  [[nodiscard]] std::string open(const std::vector<EncodedStream>& streams) override;
  void start() override;  // the writer thread ("recorder")
  void push(const AVPacket& packet) override;
  void close() override;
  // Closes and deletes the file: for a session that failed before recording anything.
  void discard();

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] bool failed() const { return failed_.load(); }
  [[nodiscard]] int64_t bytes_written() const { return bytes_written_.load(); }
  [[nodiscard]] int64_t packets_dropped() const { return packets_dropped_.load(); }
  // Media time (µs, the packets' own clock) up to which the file holds everything: the end of
  // the last packet written. After a failure, what the host still has.
  [[nodiscard]] int64_t written_until_us() const { return written_until_us_.load(); }

 private:
  Recorder(std::string path, RecordingContainer container, av::OutputFormat format);
  void run();
  void write(AVPacket& packet);
  void finalise();  // the trailer; writer thread (or close() when it never started)

  static constexpr int64_t kMaxQueuedBytes = 64 << 20;  // tens of seconds even at 1080p

  std::string path_;
  RecordingContainer container_;
  av::OutputFormat format_;  // touched only by the writer thread once open() returned
  std::vector<AVRational> source_time_bases_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<av::Packet> queue_;
  int64_t queued_bytes_ = 0;
  bool closing_ = false;
  bool opened_ = false;
  std::atomic<bool> failed_{false};
  std::atomic<int64_t> bytes_written_{0};
  std::atomic<int64_t> packets_dropped_{0};
  std::atomic<int64_t> written_until_us_{0};
  std::thread thread_;
};

}  // namespace cunbo
