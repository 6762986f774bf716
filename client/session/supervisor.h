// The session's supervisor: its own thread ("supervisor"), from Session::start() to
// Session::join(), so that nothing the window does (a stalled or throttled UI thread) and
// nothing the command line does can freeze the decisions a live stream needs:
//   - reconnects: each destination's transport reports "failed / lost: why"; the supervisor
//     asks the destination's ReconnectPolicy when to try again and tells the transport to;
//   - adaptive bitrate: twice a second it measures each destination (queue, throughput) and
//     sets the one encoder to what the worst link carries (BitrateController);
//   - the host-level state of each destination (connecting, live, congested, reconnecting,
//     key rejected), written to the event log as it changes, with the queue and drops;
//   - the practice rotation (a new product every N seconds) and the planned end of the media.
// The window and the command line read destinations() and call reconnect_now().
//
// Thread-safety: on_link_event(), reconnect_now(), presented() and destinations() may be called
// from any thread; everything else is the supervisor thread's.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "client/session/destination_status.h"
#include "client/session/event_log.h"
#include "client/session/reconnect_policy.h"
#include "media/bitrate_controller.h"
#include "media/session_clock.h"
#include "media/stream_output.h"
#include "media/video_encoder.h"

namespace cunbo {

class Supervisor {
 public:
  struct Options {
    bool adaptive_bitrate = true;
    int audio_kbps = 128;   // the audio's share of every link, which the video leaves alone
    double rotate_s = 0;    // a new product every rotate_s seconds (0: never)
    uint64_t seed = 0;      // the reconnect jitter's random source (0: from the system)
    // The machine has room for a second encode (`cunbo probe` measured it): a destination far
    // slower than the others gets its own (see kSplitAfterUs).
    bool second_encode = false;
    // Where each destination's bitrate starts (what its uplink sustained last time:
    // client/session/uplink_memory.h); 0 or missing: the target.
    std::vector<int> start_kbps;
  };
  struct Hooks {
    std::function<void()> rotate;       // present the next product
    std::function<void()> media_ended;  // once, when the planned end has passed
    std::function<void()> watch;        // every tick: the session looks at its own devices and disk
    // Destination i's own encode, at kbps (false: it could not be opened); its rate; and back
    // to the shared encoder. The session wires them (media/second_encode.h, output_feed.h).
    std::function<bool(size_t i, int kbps)> own_encode;
    std::function<void(int kbps, int frame_share)> own_encode_rate;
    std::function<void(size_t i)> shared_encode;
  };

  // Measured over half a second: long enough to average out packet bursts, short enough that
  // the bitrate follows a link that just got worse before the queue reaches the drop thresholds.
  static constexpr int64_t kMeasureWindowUs = 500'000;
  static constexpr int64_t kTickUs = 250'000;
  // Up this long: the key and the server work (the reconnect back-off starts over).
  static constexpr int64_t kProvenAfterUs = 2'000'000;
  // A destination that carried nothing for this long while others flow (a frozen server, a
  // dead link not yet noticed) leaves the bitrate decision: its own drop policy guards its
  // queue, and the viewers of the healthy ones keep their quality. It rejoins once it flows.
  static constexpr int64_t kStuckAfterUs = 3'000'000;
  // A destination whose link sustains under half of what each other's does, over this long, gets
  // its own encode at its own rate (Options::second_encode) instead of lowering everyone's
  // picture; one at a time (a second encode costs as much CPU as the first). It goes back to
  // the shared encode once it carries 80 % of the shared rate for kSharedAgainAfterUs, or once
  // it has been off air that long (an encode nobody receives).
  static constexpr int64_t kOwnEncodeAfterUs = 10'000'000;
  static constexpr int kOwnEncodeBelowPercent = 50;
  static constexpr int kSharedAgainAbovePercent = 80;
  static constexpr int64_t kSharedAgainAfterUs = 15'000'000;

  // `outputs` and everything else outlive the supervisor; `log` may be null.
  Supervisor(const SessionClock& clock, std::vector<StreamOutput*> outputs, VideoEncoder& encoder, EventLog* log,
             Options options, Hooks hooks);
  ~Supervisor();  // request_stop() + join()
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  void start();
  void request_stop();
  void join();

  // From the outputs' threads (their listeners): handed over, handled on the supervisor's.
  void on_link_event(size_t index, const LinkEvent& event);
  // "Reconnect now" for every destination that is waiting (SIGUSR1, the window's button).
  void reconnect_now();
  // The media's planned end on the session clock: media_ended() is called once it has passed.
  void plan_end(int64_t end_us) { end_us_.store(end_us); }
  // A card went up at `now_us`: the rotation waits rotate_s from here.
  void presented(int64_t now_us) { presented_at_us_.store(now_us); }

  // The destination's own encode failed (the session sends it the shared pictures again):
  // none is started again this session. Thread-safe.
  void own_encode_failed() { own_encode_failed_.store(true); }

  [[nodiscard]] std::vector<DestinationStats> destinations() const;
  // How long no destination has been taking the stream (since start() or since the last one
  // stopped taking it); 0 while one does, and without destinations.
  [[nodiscard]] int64_t off_air_us() const;

 private:
  struct Destination {
    explicit Destination(ReconnectPolicy::Random random, int target_kbps)
        : policy(std::move(random)), abr(target_kbps) {}
    ReconnectPolicy policy;
    BitrateController abr;
    OutputState state = OutputState::connecting;
    OutputFailure last_failure = OutputFailure::none;
    bool key_was_rejected = false;
    bool proven = false;
    bool attempting = false;  // connect() called, its outcome not reported yet
    int64_t connected_at_us = 0;
    int64_t live_us = 0;  // time live before the current connection
    int attempts = 0;
    int failures = 0;
    int64_t progressed_at_us = 0;  // when it last sent anything (connected_at_us at first)
    int64_t bytes_seen = 0;
    bool in_decision = false;      // its link counts in the encoder's bitrate (once connected)
    int64_t window_start_us = 0;
    int64_t window_bytes = 0;
    int64_t window_frames = 0;
    int kbps = 0;
    double fps = 0;
    // What it sustained: abr's bitrate over the time it was live and measured.
    int64_t kbps_us = 0;
    int64_t measured_us = 0;
    bool limited = false;
    bool own_encode = false;        // fed by its own encode, at abr's rate
    // Its bitrate decisions over the last kOwnEncodeAfterUs (a congested link saws up and
    // down: what it sustains is the mean).
    std::deque<std::pair<int64_t, int>> recent_kbps;
    int64_t even_since_us = -1;     // own encode: carrying the shared rate (or off air) since
    int own_kbps_told = 0;
    int own_share_told = kFrameShares;
    int64_t drops_logged = 0;
    int64_t skips_logged = 0;
  };
  struct Pending {
    size_t index = 0;
    LinkEvent event;
  };

  void run();
  void begin_attempt(size_t i, int64_t now_us);
  void handle(const Pending& pending);
  void tick(int64_t now_us);
  // Which destinations count in the encoder's bitrate (see kStuckAfterUs).
  void update_decision(int64_t now_us);
  // Who gets their own encode, who goes back to the shared one (see kOwnEncodeAfterUs).
  void update_own_encode(int64_t now_us);
  void log_own_encode(size_t i, const char* state, int kbps);
  void set_state(size_t i, OutputState state, int64_t now_us, OutputFailure reason = OutputFailure::none);
  [[nodiscard]] int64_t next_deadline_us(int64_t next_tick_us) const;
  void publish();

  const SessionClock& clock_;
  std::vector<StreamOutput*> outputs_;
  VideoEncoder& encoder_;
  EventLog* log_;
  Options options_;
  Hooks hooks_;
  std::mt19937 random_;
  std::vector<Destination> dests_;  // supervisor thread only (after start)
  bool end_told_ = false;
  std::atomic<int64_t> end_us_{-1};
  std::atomic<int64_t> on_air_at_us_{0};   // session clock: when a destination last took the stream
  std::atomic<bool> on_air_{false};        // one does now
  std::atomic<int64_t> presented_at_us_{0};
  std::atomic<bool> own_encode_failed_{false};

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> pending_;       // guarded by mutex_
  bool reconnect_requested_ = false;  // guarded by mutex_
  bool stopping_ = false;             // guarded by mutex_

  mutable std::mutex published_mutex_;
  std::vector<DestinationStats> published_;  // guarded by published_mutex_; host-level parts

  std::thread thread_;
};

}  // namespace cunbo
