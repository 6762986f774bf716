// The session: the one place that assembles the pipeline (sources → compose/encode → fan-out
// → recorder and stats), starts it and shuts it down in order. Headless commands and the
// window drive it through this facade.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "client/config/destination.h"
#include "client/session/event_log.h"
#include "client/session/overlay_painter.h"
#include "client/platform/platform_feed.h"
#include "client/session/showcase.h"
#include "media/audio_encoder.h"
#include "media/bitrate_controller.h"
#include "media/capture_source.h"
#include "media/compositor.h"
#include "media/encoder_settings.h"
#include "media/overlay_slot.h"
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
  // True: the session starts the feed and stops it when it finishes. False: the feed runs
  // before and after the session (the studio's); its owner hands the session every event
  // through on_feed_event() while it runs, and finish() only ends the platform's live session.
  bool feed_owned_by_session = true;
  // The showcase overlay: drawn by this painter (none: no overlay), the product presented
  // from the start (by id, once the feed lists it), a new product every `rotate_s` seconds
  // (0: never), where the card sits and the shop name in the corner.
  OverlayPainterFactory overlay_painter;
  std::optional<std::string> showcase_product;
  double showcase_rotate_s = 0;
  CardPlacement card_placement = CardPlacement::bottom_left;
  std::string shop_name;
};

struct DestinationStats {
  std::string display_url;
  OutputStatus status;
  int kbps = 0;    // sent over the last second
  double fps = 0;  // video frames sent per second, over the same window
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
  AudioLevelMeter::Reading mic;  // the audio source's level
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
  // The composited picture as viewers see it (one slot, never blocks the pipeline).
  [[nodiscard]] LatestFrame& preview() { return video_pipeline_->preview(); }

  // An event of a feed the session does not own (feed_owned_by_session = false), from the
  // feed's thread, after start() and before finish(): counted, shown, logged as if its own.
  void on_feed_event(const FeedEvent& event);

  // The showcase (any thread). Products are the feed's latest list.
  [[nodiscard]] std::vector<Product> products() const;
  // Presents a product: the card goes on the stream, the platform is told, the event log
  // notes it. False if the product list has no such id (nothing changes).
  bool present(const std::string& product_id);
  void hide_product();
  // The next (+1) or previous (-1) product in the list after the one presented.
  void step_product(int delta);
  [[nodiscard]] Showcase& showcase() { return showcase_; }
  [[nodiscard]] const std::filesystem::path& recording_path() const { return options_.recording; }

 private:
  explicit Session(SessionOptions options);
  void update_products(const std::vector<Product>& products);
  [[nodiscard]] std::string product_title(const std::string& product_id) const;

  SessionOptions options_;
  // Members are destroyed bottom-up: sources stop before what they feed, sinks close last.
  SessionClock clock_;
  int64_t origin_us_ = 0;
  Showcase showcase_;
  OverlaySlot overlay_slot_;  // the painter publishes, the video thread blends
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
    int64_t window_frames = 0;
    int kbps = 0;
    double fps = 0;
    int64_t drops_logged = 0;
  };
  std::vector<Measure> measures_;
  PacketFanOut fanout_;
  std::unique_ptr<VideoPipeline> video_pipeline_;
  std::unique_ptr<CaptureSource> video_source_;
  std::unique_ptr<CaptureSource> audio_source_;
  std::unique_ptr<OverlayPainter> overlay_painter_;  // reads showcase_, writes overlay_slot_
  mutable std::mutex products_mutex_;
  std::vector<Product> products_;                  // guarded by products_mutex_
  std::optional<std::string> pending_showcase_;    // guarded; waiting for the product list
  int64_t presented_at_us_ = 0;                    // guarded; for the rotation
  std::atomic<int64_t> orders_{0};
  std::atomic<int64_t> order_cents_{0};
  bool started_ = false;
  bool finished_ = false;
};

}  // namespace cunbo
