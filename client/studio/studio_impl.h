// The studio's insides, shared by its three source files: studio.cpp (the facade and the
// snapshot), studio_live.cpp (going live and ending, on the worker) and studio_feed.cpp (the
// feed: made, replaced, its events). Not part of the studio's interface.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "client/session/idle_preview.h"
#include "client/session/order_book.h"
#include "client/session/product_showcase.h"
#include "client/studio/studio.h"

namespace cunbo {

struct Studio::Impl {
  explicit Impl(StudioOptions opts);

  // ---- Worker thread ("studio"): jobs run in order; the feed is replaced and sessions start
  //      and finish here.
  void post(std::function<void()> job);
  void run_worker();

  // idle → starting (false when not idle): go_live()'s first step, on the caller's thread.
  [[nodiscard]] bool begin_starting();

  // studio_live.cpp (worker)
  void start_live(std::optional<SessionOptions> given);
  void finish_live();
  void fail_start(SessionError error);
  // The session's options from the config and the toggles (the window's go_live()).
  [[nodiscard]] std::variant<SessionOptions, SessionError> options_from_config(bool practice_on, bool record_on);

  // studio_feed.cpp
  void replace_feed();  // worker (and start())
  void on_feed_event(uint64_t generation, const FeedEvent& event);  // the feed's threads
  // The practice simulator's buyers and viewers, for one practice session of the window.
  [[nodiscard]] std::shared_ptr<PlatformFeed> practice_session_feed();
  void clear_feed_lists();

  [[nodiscard]] std::shared_ptr<Session> live_session() const;

  // studio_preview.cpp (worker; close_preview also join() once the worker is gone)
  // (Re)opens the idle preview from the config, reusing the rig when it still serves; with
  // the camera off, closes both.
  void open_preview();
  // The preview stops (the rig's frames no longer go to it); the rig too when `rig_too`.
  void close_preview(bool rig_too);

  const StudioOptions options;

  // ---- The facts, each with its one owner. Thread-safe on their own.
  ProductShowcase showcase;
  OrderBook orders;
  ImageLoader images;
  DeviceLister devices;
  ProbeRunner probe;
  UplinkRunner uplink;

  // ---- The model the snapshot copies. Guarded by mutex.
  mutable std::mutex mutex;
  Config config;
  StudioState state = StudioState::idle;
  bool practice = false;
  bool record = true;
  bool fresh_products = false;  // the feed gave its own list (the cache is no longer shown)
  bool cache_tried = false;     // the offline cache was read for this feed
  bool feed_is_platform = false;
  FeedState feed_state = FeedState::connecting;
  std::optional<std::string> message;
  std::optional<SessionError> failure;
  std::optional<SessionSummary> last_summary;
  std::optional<SessionStats> last_stats;
  std::optional<Tally> totals_from;  // the running or last session's start: the panel's totals count from here
  bool needs_setup = false;
  uint64_t feed_generation = 0;  // events of a replaced feed are dropped
  bool feed_stale = false;       // the platform settings changed while live: new feed after the session
  bool end_requested = false;    // end_live() (or request_stop()) while starting
  std::shared_ptr<Session> session;  // from live until the end of ending
  bool camera_on = true;
  std::optional<std::string> camera_problem;  // why the idle preview has no camera
  std::shared_ptr<IdlePreview> idle;          // the idle preview, while it runs
  std::chrono::steady_clock::time_point go_live_at;  // the host's click, for the session's log

  // ---- The camera and microphone kept across sessions (the idle preview's): the worker's.
  std::shared_ptr<CaptureRig> rig;
  std::string preview_key;  // what the running idle preview was built from (studio_preview.cpp)

  // ---- The feed: the worker's (and start()'s / join()'s before and after the worker runs).
  std::shared_ptr<PlatformFeed> feed;
  const bool feed_per_session;  // FeedSource::per_session: started and stopped with each session
  // The window's practice session: the simulator that runs only while it does (worker only).
  std::shared_ptr<PlatformFeed> practice_feed;

  // ---- The live session's share of the feed's events (feed threads vs the worker).
  std::mutex forward_mutex;
  std::shared_ptr<Session> forward_to;

  std::mutex jobs_mutex;
  std::condition_variable jobs_cv;
  std::deque<std::function<void()>> jobs;  // guarded by jobs_mutex
  bool stopping = false;                   // guarded by jobs_mutex
  std::thread worker;
};

}  // namespace cunbo
