// The local recording, written on its own thread from a bounded queue, in the container its
// file name asks for (recording_container). Crash-safe in each of them, because nothing that
// plays is ever left for the trailer to write and every packet is flushed to the file:
//  - Matroska: short clusters (250 ms), each flushed as it closes;
//  - MP4: fragmented (an empty moov up front, then a moof + mdat per keyframe or 250 ms), so
//    no index at the end is needed to play it;
//  - FLV: a stream of self-contained tags by nature.
// A killed process thus leaves a file that plays up to its last fraction of a second; and every
// kSyncIntervalUs of media the file's data is pushed to the disk itself (fdatasync), so a power
// cut, which also loses what the system had not yet written, keeps all but the last half second
// (a sync interval plus the open cluster or fragment). A write
// failure (disk full) stops the recording cleanly and is reported; it never stalls the encoders
// or the outputs. A disk too slow to keep up loses whole GOPs of picture (the sound kept), never
// a torn stream; close() gives the queue kCloseDrain, then finalises without the rest.
#pragma once

#include <atomic>
#include <chrono>
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
#include "media/file_sync.h"
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
  // Media time (µs) up to which the disk itself held the file at the last sync: what survives a
  // power cut, but for the open cluster or fragment.
  [[nodiscard]] int64_t synced_until_us() const { return synced_until_us_.load(); }

 private:
  Recorder(std::string path, RecordingContainer container, av::OutputFormat format, FileSync sync);
  void run();
  void write(AVPacket& packet);
  void sync_if_due();  // writer thread
  void sync();         // writer thread (or close() when it never started)
  void finalise();  // the trailer; writer thread (or close() when it never started)

  static constexpr int64_t kMaxQueuedBytes = 64 << 20;  // tens of seconds even at 1080p
  static constexpr int64_t kAudioReserveBytes = 4 << 20;  // minutes of sound beyond a full queue
  // close() gives the queue this long to reach the disk, then drops what is left and writes the
  // trailer: part of Ctrl-C's 2 s. (One write the disk itself blocks is not interrupted.)
  static constexpr std::chrono::milliseconds kCloseDrain{1200};
  static constexpr int64_t kSyncIntervalUs = 250'000;

  std::string path_;
  RecordingContainer container_;
  av::OutputFormat format_;  // touched only by the writer thread once open() returned
  std::vector<AVRational> source_time_bases_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<av::Packet> queue_;
  int64_t queued_bytes_ = 0;
  bool closing_ = false;
  bool skipping_gop_ = false;  // guarded by mutex_: video dropped until a keyframe fits
  int video_index_ = -1;
  std::chrono::steady_clock::time_point close_deadline_{};  // guarded by mutex_
  bool opened_ = false;
  std::atomic<bool> failed_{false};
  std::atomic<int64_t> bytes_written_{0};
  std::atomic<int64_t> packets_dropped_{0};
  std::atomic<int64_t> written_until_us_{0};
  std::atomic<int64_t> synced_until_us_{0};
  FileSync sync_;  // the same file, for flushing to the disk (writer thread)
  std::thread thread_;
};

}  // namespace cunbo
