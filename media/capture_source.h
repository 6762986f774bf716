// A capture source: one libavformat/libavdevice input (test generator, file, camera,
// microphone), decoded to raw frames on its own thread and pushed to a FrameSink.
// Files and generators are paced in real time and files loop; devices and network streams
// (a phone as an IP camera) pace themselves. A device that fails mid-session, or a network
// stream that ends, is reopened every second until it returns or we stop.
// A file that is both the picture and the sound is one source decoding both streams: read
// once (a second demuxer would read, or skip, all of the other stream's data too; Matroska
// reads it, ~40 MB/s for raw 720p30) and paced on one clock, as the ffmpeg CLI does.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>

#include "media/av.h"
#include "media/frame_sink.h"
#include "media/session_clock.h"
#include "media/source_spec.h"

namespace cunbo {

struct CaptureError {
  enum class Code { not_found, permission_denied, busy, unreadable, no_stream, unsupported_device, other };
  Code code = Code::other;
  std::string what;    // the file or device named by the host
  std::string detail;  // technical detail for the log
  MediaKind stream = MediaKind::video;  // no_stream: the kind the input lacks
};

struct CaptureOptions {
  SourceSpec spec;
  MediaKind kind = MediaKind::video;
  // Also decode the input's audio, from the same demuxer (kind video; meant for files, see
  // the top of this header).
  bool with_audio = false;
  // For the test generators and as a hint to cameras.
  int width = 1280;
  int height = 720;
  int fps = 30;
  int sample_rate = 48000;
  // A device or a network camera that cannot be opened now (unplugged, busy, not yet
  // allowed) is waited for: open() succeeds with the source lost, tried every second until it
  // opens (the studio: its preview and the stream show the slate meanwhile). Files, the test
  // generators and a device type this FFmpeg lacks are refused as before.
  bool keep_trying = false;
};

class CaptureSource {
 public:
  [[nodiscard]] static std::variant<std::unique_ptr<CaptureSource>, CaptureError> open(const CaptureOptions& options,
                                                                                      const SessionClock& clock);
  ~CaptureSource();
  CaptureSource(const CaptureSource&) = delete;
  CaptureSource& operator=(const CaptureSource&) = delete;

  // `audio_sink` receives the audio of a source opened `with_audio` (and must then be given).
  void start(FrameSink& sink, FrameSink* audio_sink = nullptr);
  void request_stop();
  void join();

  [[nodiscard]] const CaptureOptions& options() const { return options_; }
  [[nodiscard]] bool device_lost() const { return lost_.load(); }
  // Why the last attempt to open a source opened `keep_trying` failed, while it is lost for
  // that (nullopt once it opened, and for a device lost after it was open).
  [[nodiscard]] std::optional<CaptureError> unopened() const;
  // The colour matrix the source's pictures use, as far as its decoder says (unknown: BT.601,
  // what webcams and JPEG use).
  [[nodiscard]] AVColorSpace colorspace() const { return colorspace_; }
  [[nodiscard]] int64_t frames_delivered() const { return frames_.load(); }

 private:
  struct Decoder;  // one decoded stream of the input
  struct Input;    // the opened demuxer + its decoders
  CaptureSource(CaptureOptions options, const SessionClock& clock);
  [[nodiscard]] static std::variant<std::unique_ptr<Input>, CaptureError> open_input(const CaptureOptions& options,
                                                                                   std::atomic<bool>* stop_flag);

  void run(std::stop_token stop);
  // Returns false when the input ended for good (device error) and should be reopened.
  bool read_loop(std::stop_token stop);
  // Hands every frame `decoder` has ready to its sink; false when stopped meanwhile.
  bool drain(std::stop_token stop, Decoder& decoder, AVFrame& frame);
  bool deliver(std::stop_token stop, Decoder& decoder, AVFrame& frame);
  bool sleep_until_us(std::stop_token stop, int64_t deadline_us);

  CaptureOptions options_;
  const SessionClock& clock_;
  std::unique_ptr<Input> input_;  // touched only by the capture thread once started
  FrameSink* sinks_[2] = {};      // indexed by MediaKind; set by start()
  std::atomic<bool> stop_flag_{false};  // read by FFmpeg's interrupt callback
  std::atomic<bool> lost_{false};
  std::atomic<int64_t> frames_{0};
  AVColorSpace colorspace_ = AVCOL_SPC_SMPTE170M;  // set at open
  mutable std::mutex mutex_;
  std::optional<CaptureError> unopened_;  // guarded by mutex_
  std::condition_variable_any wake_;
  std::jthread thread_;

  // Pacing state (capture thread only): media time → session time, one mapping for all the
  // input's streams, so that they stay in step.
  int64_t pace_origin_us_ = -1;   // session time of the first frame
  int64_t pace_first_pts_us_ = 0; // media time of the first frame
  int64_t loop_offset_us_ = 0;    // added per completed loop of a file
  int64_t media_end_us_ = 0;      // end of the last frame seen (for the next loop's offset)
};

}  // namespace cunbo
