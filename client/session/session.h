// One session (live or practice): the one place that assembles the pipeline (sources →
// compose/encode → fan-out → outputs, recorder and stats), starts it, supervises it on its own
// thread and shuts it down in order. It writes its event log and, at the end, its summary beside
// the recording, whichever face (command line or window) drove it.
//
// Lifecycle (STYLE.md): create() opens the sources, the encoders, the recording file and the
// outputs and starts nothing; start() starts every thread; request_stop() (non-blocking) ends
// the media now; join() shuts down in order and writes the summary. The destructor does both.
//
// What the session uses but does not own (they outlive it): the product showcase (the card it
// draws and logs), the order book (its summary's figures), the platform (told which product is
// presented) and the image loader (the card's picture).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "client/config/card_placement.h"
#include "client/config/destination.h"
#include "client/platform/image_loader.h"
#include "client/platform/platform_feed.h"
#include "client/session/destination_status.h"
#include "client/session/event_log.h"
#include "client/session/order_book.h"
#include "client/session/overlay_painter.h"
#include "client/session/product_showcase.h"
#include "client/session/session_summary.h"
#include "client/session/supervisor.h"
#include "media/audio_encoder.h"
#include "media/capture_rig.h"
#include "media/compositor.h"
#include "media/encoder_settings.h"
#include "media/enhance.h"
#include "media/overlay_slot.h"
#include "media/packet_fanout.h"
#include "media/output_feed.h"
#include "media/recorder.h"
#include "media/second_encode.h"
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
  // The output's shape (the preset names its short side) and how the camera is framed in it.
  Orientation orientation = Orientation::landscape;
  Framing framing;
  bool mirror_preview = false;  // 镜像: the preview mirrored for the host (the window's)
  std::optional<int> bitrate_kbps;  // overrides the preset's
  std::filesystem::path recording;  // the Matroska file to write; empty: no recording
  std::filesystem::path event_log;  // JSON lines; empty: none
  std::vector<Destination> destinations;
  std::string ca_file;  // RTMPS: trust this CA (PEM) instead of the system's store; empty: the system's
  bool adaptive_bitrate = true;
  // The machine has room for a second encode (`cunbo probe`): a destination far slower than the
  // others gets its own instead of lowering everyone's picture (client/session/supervisor.h).
  bool second_encode = false;
  // Clean sound before the AAC encoder (media/audio_chain.h); nullopt: the sound as captured.
  std::optional<AudioChainSettings> audio_chain = AudioChainSettings{};
  // What each destination host's uplink sustained last time (client/session/uplink_memory.h):
  // read at the start, written at the end; empty: neither.
  std::filesystem::path uplink_memory;
  bool practice = false;              // for the summary
  std::optional<double> duration_s;   // the media ends here, exact to the frame (nullopt: when stopped)
  // The showcase overlay: drawn by this painter (none: no overlay), the product asked for from
  // the start (by id, once the list has it), a new product every `rotate_s` seconds (0: never),
  // where the card sits and the shop name in the corner.
  OverlayPainterFactory overlay_painter;
  std::optional<std::string> showcase_product;
  double showcase_rotate_s = 0;
  CardPlacement card_placement = CardPlacement::bottom_left;
  std::string shop_name;
  // Light and beauty on the camera's picture (on by default: auto light, beauty 3).
  EnhanceSettings enhance;

  // The studio's running camera and microphone (its idle preview's): used when they are the
  // sources and shape asked for, so going live reopens nothing; null, or others: the session
  // opens its own.
  std::shared_ptr<CaptureRig> capture;
  // A camera or microphone that cannot be opened is waited for (the slate or silence meanwhile,
  // tried every second) instead of refused: the studio's sessions; the command line refuses it.
  bool wait_for_devices = false;
  // When the host asked to go live (the click), for the event log's "sources" line.
  std::optional<std::chrono::steady_clock::time_point> requested_at;

  // Borrowed, outliving the session; any may be null.
  ProductShowcase* showcase = nullptr;
  OrderBook* orders = nullptr;
  PlatformFeed* platform = nullptr;
  ImageLoader* images = nullptr;
  // Called once, on the supervisor's thread, when `duration_s` has passed (the owner ends the
  // session then). Must not block.
  std::function<void()> on_media_end;
};

struct SessionError {
  int exit_code = 1;
  std::string message;  // in the host's language, naming what is wrong
};

struct SessionStats {
  bool practice = false;  // a practice session: nothing is pushed
  int64_t elapsed_us = 0;
  int64_t frames_encoded = 0;
  int64_t frames_dropped = 0;
  int64_t bytes_encoded = 0;
  bool camera_lost = false;
  bool mic_lost = false;
  bool recording_failed = false;
  int64_t recording_until_us = 0;  // once it failed: the file holds the session up to here
  int encoder_restarts = 0;           // the video encoder failed and was reopened this often
  int64_t encoder_restarted_us = -1;  // session clock (absolute) of the last restart
  bool encoder_failed = false;        // failed for good: the session is ending
  int64_t orders = 0;              // during this session
  int64_t order_cents = 0;  // GMV, during this session
  int video_kbps = 0;   // the encoder's bitrate now
  int video_fps = 0;    // the encoder's frame rate now (below the preset's on a link under the floor)
  int preset_fps = 0;
  int target_kbps = 0;  // the bitrate the quality asks for
  int64_t now_us = 0;   // session clock (absolute), for retry countdowns
  AudioLevelMeter::Reading mic;  // the audio source's level
  std::vector<DestinationStats> destinations;
  // How long no destination has been taking the stream (0 while one does, and in practice).
  int64_t off_air_us = 0;
};

// The camera and microphone a session of `options` captures from, as a rig opens them (the
// specs parsed, the camera's shape); or what is wrong with them, in the host's words.
[[nodiscard]] std::variant<CaptureRigOptions, SessionError> capture_rig_options(const SessionOptions& options);
// Opens them (nothing started); or why not, in the host's words.
[[nodiscard]] std::variant<std::unique_ptr<CaptureRig>, SessionError> open_capture_rig(const CaptureRigOptions& options);
// What the host reads about a camera, microphone or file that cannot be opened (names it).
[[nodiscard]] std::string capture_problem_text(const CaptureError& e, const SourceSpec& spec);

class Session final : private ShowcaseObserver {
 public:
  [[nodiscard]] static std::variant<std::unique_ptr<Session>, SessionError> create(const SessionOptions& options);
  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Starts every thread. The session's time 0 is the first captured picture (or 2 s, whichever
  // comes first), so a recording never opens on black.
  void start();
  // Ends the media now (or at the planned end, if that is earlier). Non-blocking.
  void request_stop();
  // Shuts down in order (see session.cpp); the recording is finalised and the summary written
  // when this returns. Idempotent.
  void join();

  // Session time now, in µs since time 0 (0 before start()).
  [[nodiscard]] int64_t elapsed_us() const;
  [[nodiscard]] SessionStats stats() const;
  // The composited picture as viewers see it (one slot, never blocks the pipeline).
  [[nodiscard]] LatestFrame& preview() { return video_pipeline_->preview(); }
  // "Reconnect now" for every destination that is waiting (SIGUSR1, the window's button).
  void reconnect_now() { supervisor_->reconnect_now(); }
  // 降噪 and the mic gain, from the next sample on (any thread).
  void set_audio_chain(const AudioChainSettings& settings) { audio_encoder_->set_chain(settings); }
  // Light and beauty, live (any thread): from the video thread's next new picture on.
  void set_enhance(EnhanceSettings settings) { enhance_.set_settings(settings); }
  [[nodiscard]] EnhanceSettings enhance() const { return enhance_.settings(); }
  // The host's nudge of the framing (zoom, offsets, fill or fit; the rotation too), live from
  // the next picture on (any thread). The orientation never changes mid-session.
  void set_framing(const Framing& framing) { compositor_->set_framing(framing); }
  // 镜像 for the host: the preview mirrored, the stream not (VideoPipeline::set_preview_mirrored).
  void set_preview_mirrored(bool on) { video_pipeline_->set_preview_mirrored(on); }
  [[nodiscard]] Framing framing() const { return compositor_->framing(); }
  [[nodiscard]] Orientation orientation() const { return options_.orientation; }

  // A feed event while the session runs (the feed's thread): orders become banners and log
  // lines, comments and the feed's state log lines.
  void on_feed_event(const FeedEvent& event);

  // After join(): what the session was, and where that was saved (empty path: not saved).
  [[nodiscard]] const SessionSummary& summary() const { return summary_; }
  [[nodiscard]] const std::filesystem::path& summary_file() const { return summary_file_; }
  [[nodiscard]] const std::filesystem::path& recording_path() const { return options_.recording; }
  // The order book's tally when the session started: its own orders are what came since.
  [[nodiscard]] Tally orders_at_start() const;

 private:
  Session(SessionOptions options, const SessionClock& clock);
  void on_presented(const std::optional<Product>& product) override;
  void on_missing(const std::string& product_id) override;
  void log(event::Event e) {
    if (event_log_) event_log_->post(std::move(e));
  }
  void write_summary(int64_t end_us);
  void remember_uplinks();
  // Each supervisor tick: a camera or microphone that went away or came back, a recording that
  // failed; each change an event (and counted for the summary) once. Supervisor thread.
  void watch_local();
  // A slow destination's own encode (the supervisor's hooks; supervisor thread): started at
  // kbps, its rate, back to the shared encode; ended for good once the feed is back.
  bool start_own_encode(size_t i, int kbps);
  void set_own_encode_rate(int kbps, int frame_share);
  void end_own_encode(size_t i);
  void watch_own_encode();
  // Destination i needs a keyframe (it reconnected): from the encoder that feeds it.
  void request_keyframe(size_t i);

  SessionOptions options_;
  // Members are destroyed bottom-up: sources stop before what they feed, sinks close last.
  SessionClock clock_;
  std::atomic<int64_t> origin_us_{-1};  // session time 0 on clock_; -1 before start()
  int64_t planned_end_us_ = -1;         // session time; -1: none
  OverlaySlot overlay_slot_;            // the painter publishes, the video thread blends
  OverlaySlot slate_slot_;              // the painter's camera-lost slate, for the video thread
  std::unique_ptr<Compositor> compositor_;
  Enhance enhance_;  // the video thread's; its settings from any thread
  std::unique_ptr<VideoEncoder> video_encoder_;
  std::unique_ptr<AudioEncoder> audio_encoder_;
  std::unique_ptr<EventLog> event_log_;  // outlives everything that posts to it
  StreamStats stats_;
  std::unique_ptr<Recorder> recorder_;
  std::vector<std::unique_ptr<StreamOutput>> outputs_;
  std::vector<std::unique_ptr<OutputFeed>> feeds_;  // one in front of each output
  mutable std::mutex own_mutex_;
  std::shared_ptr<SecondEncode> own_encode_;  // guarded by own_mutex_; the video thread holds a copy
  size_t own_dest_ = 0;                       // guarded by own_mutex_
  bool own_failure_told_ = false;             // supervisor thread
  PacketFanOut fanout_;
  std::unique_ptr<Supervisor> supervisor_;
  std::unique_ptr<VideoPipeline> video_pipeline_;
  // The camera and microphone: the session's own, or the studio's running rig, borrowed (the
  // session only attaches to it and lets go at the end).
  std::shared_ptr<CaptureRig> capture_;
  bool own_capture_ = true;
  std::unique_ptr<OverlayPainter> overlay_painter_;  // reads the showcase, writes overlay_slot_
  Tally orders_at_start_;

  mutable std::mutex story_mutex_;
  SessionStory story_;  // guarded by story_mutex_

  std::mutex lifecycle_mutex_;
  bool started_ = false;   // guarded by lifecycle_mutex_
  bool stopping_ = false;  // guarded by lifecycle_mutex_
  bool joined_ = false;    // guarded by lifecycle_mutex_
  SessionSummary summary_;
  std::filesystem::path summary_file_;
  struct LocalSeen {
    bool camera_lost = false;
    bool mic_lost = false;
    bool recording_failed = false;
    int encoder_restarts = 0;
    bool encoder_failed = false;
  };
  LocalSeen local_seen_;  // supervisor thread
  std::atomic<int> camera_losses_{0};
  std::atomic<int> mic_losses_{0};
  std::atomic<int64_t> encoder_restarted_us_{-1};
};

}  // namespace cunbo
