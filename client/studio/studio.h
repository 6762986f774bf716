// The studio: the one engine both faces drive. The window (ui/window) and the headless commands
// (`cunbo practice`, `cunbo stream`) build a Studio, read its snapshot and call its actions;
// neither touches a session directly. Nothing here includes ImGui or SDL (STYLE.md, "UI over a
// model"), and no action blocks its caller: going live and ending run on the studio's own worker
// thread (opening devices, the platform's start-session call and finalising the recording take
// time); the session supervises itself on its own thread.
//
// Life of a day: start() runs the feed (the platform's products and orders, or the practice
// simulator when 练习模式 is on), the host presents products (the card outlives sessions), presses
// 开始直播 (go_live), the session runs (stream + recording, or practice recording), the host
// presses 结束直播 (end_live) or the planned duration passes; the session's summary is saved
// beside the recording and shown.
//
// One owner per fact: the product list and the card are the ProductShowcase's, the orders and
// their totals the OrderBook's, a destination's state the session's supervisor's. The studio
// holds them, the one image loader, the device lister and the encode probe, and hands out
// snapshots.
//
// Lifecycle: construct, start(), request_stop() (non-blocking: a live session is ended and its
// recording finalised), join(). Thread-safety: every public member may be called from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/config/config.h"
#include "client/platform/image_loader.h"
#include "client/platform/platform_feed.h"
#include "client/session/order_book.h"
#include "client/session/overlay_painter.h"
#include "client/session/session.h"
#include "client/session/session_summary.h"
#include "client/studio/device_lister.h"
#include "client/studio/health.h"
#include "client/studio/probe_runner.h"
#include "media/latest_frame.h"

namespace cunbo {

enum class StudioState {
  idle,      // not live: products and orders shown, 开始直播 enabled
  starting,  // go_live() called: opening devices, asking the platform for a live session
  live,      // the session runs
  ending,    // end_live() called (or the duration passed): finalising the recording
};

struct StudioSnapshot {
  StudioState state = StudioState::idle;
  bool practice = false;  // the 练习模式 toggle
  bool record = true;     // the 录制 toggle
  int64_t live_elapsed_us = 0;  // the timer, while live

  std::vector<Product> products;
  bool products_cached = false;  // offline: the list kept on disk
  FeedState feed_state = FeedState::connecting;
  std::optional<std::string> presented_id;

  std::vector<OrderLine> orders;  // newest first, at most OrderBook::kMaxLines
  // Since the last session started (before any: since the feed started): what its summary says.
  int64_t order_count = 0;
  int64_t item_count = 0;
  int64_t gmv_cents = 0;
  uint64_t orders_seen = 0;       // grows with every new order: the window plays its sound when it grows
  std::vector<CommentLine> comments;  // newest first

  std::vector<DestinationHealth> destinations;  // while live (empty in practice)
  AirState air = AirState::idle;                // 直播中 only when on_air
  bool off_air_alarm = false;  // live for kOffAirAlarmUs with no destination taking the stream
  int64_t off_air_us = 0;
  std::string off_air_reason_id;  // why, when known ("reason.refused")
  MicLevel mic;  // while live, and while idle with the camera and microphone on (试试说话)
  // While idle: the camera and microphone are running (the preview shows what viewers would
  // see), the host turned them off (关闭摄像头), or why they could not be opened.
  bool camera_on = true;
  bool previewing = false;
  bool camera_opening = false;  // idle, the camera on, its preview not there yet
  std::optional<std::string> camera_problem;
  // Previewing, with a camera or microphone that cannot be opened yet: why (tried every second;
  // the picture is the slate meanwhile, and going live is allowed).
  std::optional<std::string> device_waiting;
  int64_t frames_dropped = 0;
  std::optional<SessionStats> session;  // while live: the session's own figures

  std::optional<std::string> message;          // host-facing, e.g. why going live failed; cleared by dismiss_message()
  std::optional<SessionError> failure;         // why the last go_live() failed (with its exit code), until the next
  std::optional<SessionSummary> last_summary;  // after a session ended, until the next go_live()
  std::optional<SessionStats> last_stats;      // the ended session's final figures
  bool needs_setup = false;                    // no config file yet: the first-start guide
  // What the saved settings say, as of this snapshot (a save shows in the next one): the
  // window's hints read these with the rest of the frame instead of polling the config.
  size_t configured_destinations = 0;  // [[destinations]] in the config
  bool platform_configured = false;    // the config names a platform (api and token)
  // 镜像: the preview is mirrored for the host (config mirror), unless the stream's picture is
  // mirrored itself (mirror_stream): then it shows as viewers get it.
  bool mirror_preview = false;
};

struct StudioOptions {
  Config config;
  std::filesystem::path config_path;  // where settings are saved (0600)
  // Shown as the message from the start (e.g. which line of the config file is wrong, the
  // defaults being used meanwhile), until dismissed.
  std::optional<std::string> startup_message;
  // Overrides of the config's sources (tests, --video/--audio given to the window).
  std::optional<std::string> video_spec;
  std::optional<std::string> audio_spec;
  bool practice = false;  // start with 练习模式 on
  OverlayPainterFactory overlay_painter;
  std::string version;  // CUNBO_VERSION, for the platform's User-Agent
  // Practice simulator seed and rates (nullopt: random seed, default rates).
  std::optional<uint64_t> practice_seed;
  std::optional<double> practice_orders_per_minute;
  // Where products and orders come from. The window: from the config (the platform, or the
  // sample catalog, with made-up buyers while 练习模式 is on), running all day. The command line
  // brings its own (the practice simulator of its flags, a --catalog, the platform of the
  // config, or none): started when its session starts and stopped when it ends, so that every
  // order belongs to the recording.
  enum class FeedSource { config, per_session };
  FeedSource feed_source = FeedSource::config;
  std::shared_ptr<PlatformFeed> session_feed;  // with per_session; null: no products, no orders
  bool session_feed_is_platform = false;       // ask it for a live session (its push address goes first)
  // The encode probe (first-start guide, 设置); tests give a fast fake.
  ProbeRunner::ProbeFn probe;
  // 测网速 (first-start guide, 设置); tests give a fake.
  UplinkRunner::UplinkFn uplink;
  DeviceLister::ListFn list_devices;
  // The window: the camera and microphone open from the start (and after a change in 设置),
  // shown while idle, and borrowed by each session started from the config, so that going
  // live reopens nothing. The command line: off, each session opens its own.
  bool idle_preview = false;
};

class Studio {
 public:
  explicit Studio(StudioOptions options);
  ~Studio();  // request_stop() + join()
  Studio(const Studio&) = delete;
  Studio& operator=(const Studio&) = delete;

  void start();         // the feed, the image loader, the worker
  void request_stop();  // ends a live (or starting) session; non-blocking
  void join();          // the recording is final and every thread gone when this returns

  [[nodiscard]] StudioSnapshot snapshot() const;

  // The composited picture (card and banner included) while live, and while idle with the idle
  // preview on; null otherwise. One slot, never blocks the pipeline; take it once per UI frame.
  [[nodiscard]] av::Frame latest_preview(int64_t* capture_us = nullptr);

  void set_practice(bool on);  // idle only (ignored while live)
  void set_record(bool on);    // idle only
  // 关闭摄像头 (privacy while idle): off closes the camera and microphone until turned on again
  // or until going live, which opens them. Idle only.
  void set_camera(bool on);
  void go_live();              // idle → starting → live (or back to idle with a message), from the config
  // The same with the session's options resolved by the caller (the command line); the studio
  // adds its showcase, order book, platform and images.
  void go_live(SessionOptions session);
  void end_live();             // live → ending → idle with last_summary
  void reconnect_now();
  void dismiss_message();

  // Products: click / F1–F9 / Esc. The card stays up across sessions.
  void present(const std::string& product_id);
  void hide_product();
  void step_product(int delta);

  // Settings: the current config, and saving a changed one (validated; 0600; applies to the
  // next go_live()). Returns a host-facing error message, or nullopt when saved.
  [[nodiscard]] Config config() const;
  [[nodiscard]] std::optional<std::string> save_config(const Config& config);

  // What the window reaches only through the studio: the one image loader (product pictures,
  // for the list and the card), the cameras and microphones, the encode-speed and uplink tests.
  [[nodiscard]] ImageLoader& images();
  [[nodiscard]] DeviceLister& devices();
  [[nodiscard]] ProbeRunner& probe();
  [[nodiscard]] UplinkRunner& uplink();

  struct Impl;  // client/studio/studio_impl.h

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace cunbo
