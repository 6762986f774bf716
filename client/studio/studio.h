// The studio window's model: everything the window shows and every action it offers, with no
// ImGui or SDL in it (STYLE.md, "UI over a model"). The window reads a snapshot every frame
// and calls actions; nothing here blocks the caller: going live and ending run on the
// studio's own worker thread (opening devices, the platform's start-session call, finalising
// the recording take time).
//
// Life of a day: the studio starts idle with the feed running (the platform's products and
// orders, or the practice simulator when 练习模式 is on), the host presents products, presses
// 开始直播 (go_live), the session runs (stream + recording, or practice recording), the host
// presses 结束直播 (end_live), the summary is saved beside the recording and shown.
//
// Thread-safety: every public member may be called from any thread; the window calls them
// from the UI thread.
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
#include <vector>

#include "client/config/config.h"
#include "client/session/overlay_painter.h"
#include "client/platform/platform_feed.h"
#include "client/session/session.h"
#include "client/session/session_summary.h"
#include "media/latest_frame.h"

namespace cunbo {

enum class StudioState {
  idle,      // not live: products and orders shown, 开始直播 enabled
  starting,  // go_live() called: opening devices, asking the platform for a live session
  live,      // the session runs
  ending,    // end_live() called: finalising the recording
};

// One destination's health in the words the host reads (the window picks the string).
struct DestinationHealth {
  enum class Kind {
    connecting,    // 正在连接
    good,          // 网络良好
    congested,     // 网络较差，已自动降低画质
    reconnecting,  // 正在重连（第 N 次，M 秒后）
    key_rejected,  // 推流密钥被拒绝
  };
  std::string display_url;  // key masked
  Kind kind = Kind::connecting;
  int attempt = 0;     // with reconnecting
  int retry_in_s = 0;  // with reconnecting
  int kbps = 0;        // sent over the last second
  double fps = 0;      // video frames sent per second
  int64_t drops = 0;
};

struct OrderLine {
  Order order;
  std::string product_title;
  int64_t at_us = 0;  // studio clock
};

struct CommentLine {
  Comment comment;
  int64_t at_us = 0;
};

struct MicLevel {
  float peak_dbfs = -120;  // over the last ~100 ms
  float rms_dbfs = -120;
  bool silent = false;    // below −50 dBFS for more than 5 s while live: "麦克风没有声音"
  bool clipping = false;  // peaks at 0 dBFS in the last 2 s: "声音太大，破音了"
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

  std::vector<OrderLine> orders;  // newest first, at most kMaxLines
  int64_t order_count = 0;        // since the studio started (practice: since practice started)
  int64_t item_count = 0;
  int64_t gmv_cents = 0;
  uint64_t orders_seen = 0;       // grows with every new order: the window plays its sound when it grows
  std::vector<CommentLine> comments;  // newest first, at most kMaxLines

  std::vector<DestinationHealth> destinations;  // while live (empty in practice)
  MicLevel mic;
  int64_t frames_dropped = 0;

  std::optional<std::string> message;         // host-facing, e.g. why going live failed; cleared by dismiss_message()
  std::optional<SessionSummary> last_summary;  // after a session ended, until the next go_live()
  bool needs_setup = false;                    // no config file yet: the first-start guide
};

struct StudioOptions {
  Config config;
  std::filesystem::path config_path;  // where settings are saved (0600)
  // Overrides of the config's sources (tests, --video/--audio given to the window).
  std::optional<std::string> video_spec;
  std::optional<std::string> audio_spec;
  bool practice = false;  // start with 练习模式 on
  OverlayPainterFactory overlay_painter;
  std::string version;  // CUNBO_VERSION, for the platform's User-Agent
  // Test hook: practice simulator seed and rates (nullopt: random seed, default rates).
  std::optional<uint64_t> practice_seed;
  std::optional<double> practice_orders_per_minute;
};

class Studio {
 public:
  static constexpr size_t kMaxLines = 200;

  explicit Studio(StudioOptions options);
  ~Studio();  // ends a live session (finalising the recording) and stops the feed
  Studio(const Studio&) = delete;
  Studio& operator=(const Studio&) = delete;

  [[nodiscard]] StudioSnapshot snapshot() const;

  // The composited picture (card and banner included) while live; null otherwise. One slot,
  // never blocks the pipeline; take it once per UI frame.
  [[nodiscard]] av::Frame latest_preview(int64_t* capture_us = nullptr);

  void set_practice(bool on);  // idle only (ignored while live)
  void set_record(bool on);    // idle only
  void go_live();              // idle → starting → live (or back to idle with a message)
  void end_live();             // live → ending → idle with last_summary
  void reconnect_now();
  void dismiss_message();

  // Products: click / F1–F9 / Esc. While idle the card is remembered and goes up at go-live.
  void present(const std::string& product_id);
  void hide_product();
  void step_product(int delta);

  // Settings: the current config, and saving a changed one (validated; 0600; applies to the
  // next go_live()). Returns a host-facing error message, or nullopt when saved.
  [[nodiscard]] Config config() const;
  [[nodiscard]] std::optional<std::string> save_config(const Config& config);

  // Housekeeping a few times a second (the window calls it every frame; cheap when not due):
  // the session's tick (bitrate adaptation), health, summary.
  void tick();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cunbo
