// The session: the one place that assembles the pipeline (sources → compose/encode → fan-out
// → recorder and stats), starts it and shuts it down in order. Headless commands and the
// window drive it through this facade.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "client/destination.h"
#include "client/event_log.h"
#include "client/platform_feed.h"
#include "media/audio_encoder.h"
#include "media/bitrate_controller.h"
#include "media/capture_source.h"
#include "media/compositor.h"
#include "media/encoder_settings.h"
#include "media/packet_fanout.h"
#include "media/recorder.h"
#include "media/session_clock.h"
#include "media/stream_output.h"
#include "media/stream_stats.h"
#include "media/video_encoder.h"
#include "media/video_pipeline.h"

namespace cunbo {

struct SessionOptions {
  std::string video_spec = "test";
  std::string audio_spec = "test";
  Quality quality = Quality::standard_720p;
  std::optional<int> bitrate_kbps;  // overrides the preset's
  std::filesystem::path recording;  // the Matroska file to write; empty: no recording
  std::filesystem::path event_log;  // JSON lines; empty: none
  std::vector<Destination> destinations;
  bool adaptive_bitrate = true;
  // Products, orders and comments (the platform, or the practice simulator); may be null.
  // Its orders and comments go to the event log.
  std::shared_ptr<PlatformFeed> feed;
};

struct DestinationStats {
  std::string display_url;
  OutputStatus status;
  int kbps = 0;  // sent over the last second
};

struct SessionError {
  int exit_code = 1;
  std::string message;  // in the host's language, naming what is wrong
};

struct SessionStats {
  int64_t elapsed_us = 0;
  int64_t frames_encoded = 0;
  int64_t frames_dropped = 0;
  int64_t bytes_encoded = 0;
  bool camera_lost = false;
  bool mic_lost = false;
  bool recording_failed = false;
  int64_t orders = 0;
  int64_t order_cents = 0;  // GMV
  int video_kbps = 0;   // the encoder's bitrate now
  int target_kbps = 0;  // the bitrate the quality asks for
  int64_t now_us = 0;   // session clock (absolute), for retry countdowns
  std::vector<DestinationStats> destinations;
};

class Session {
 public:
  // Opens the sources, the encoders and the recording file. Nothing runs yet; on error nothing
  // is left behind (no file).
  [[nodiscard]] static std::variant<std::unique_ptr<Session>, SessionError> create(const SessionOptions& options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Starts capturing; the session's time 0 is the first captured picture (or 2 s, whichever
  // comes first), so a recording never opens on black.
  void start();
  // Session time now, in µs since time 0.
  [[nodiscard]] int64_t elapsed_us() const;
  // Plans the end of the media at session time `end_us` (e.g. a --duration) without waiting.
  void end_at(int64_t end_us);
  // Ends the media at session time `end_us` and shuts everything down in order; the
  // recording is finalised when this returns. Idempotent.
  void finish(int64_t end_us);

  // Housekeeping on the caller's thread, a few times a second: measures each destination,
  // adapts the encoder's bitrate to the worst one, writes periodic events.
  void tick();
  // "Reconnect now" for every destination that is waiting (SIGUSR1, the window's button).
  void reconnect_now();

  [[nodiscard]] SessionStats stats() const;
  [[nodiscard]] const std::filesystem::path& recording_path() const { return options_.recording; }

 private:
  explicit Session(SessionOptions options);

  SessionOptions options_;
  // Members are destroyed bottom-up: sources stop before what they feed, sinks close last.
  SessionClock clock_;
  int64_t origin_us_ = 0;
  std::unique_ptr<Compositor> compositor_;
  std::unique_ptr<VideoEncoder> video_encoder_;
  std::unique_ptr<AudioEncoder> audio_encoder_;
  std::unique_ptr<EventLog> event_log_;  // outlives the outputs that write to it
  StreamStats stats_;
  std::unique_ptr<Recorder> recorder_;
  std::vector<std::unique_ptr<StreamOutput>> outputs_;
  struct Measure {  // per destination; tick() only
    BitrateController abr;
    int64_t window_start_us = 0;
    int64_t window_bytes = 0;
    int kbps = 0;
    int64_t drops_logged = 0;
  };
  std::vector<Measure> measures_;
  PacketFanOut fanout_;
  std::unique_ptr<VideoPipeline> video_pipeline_;
  std::unique_ptr<CaptureSource> video_source_;
  std::unique_ptr<CaptureSource> audio_source_;
  std::atomic<int64_t> orders_{0};
  std::atomic<int64_t> order_cents_{0};
  bool started_ = false;
  bool finished_ = false;
};

}  // namespace cunbo
