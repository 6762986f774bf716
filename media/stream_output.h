// One live destination (RTMP, RTMPS or SRT): its own thread, its own bounded send queue
// measured in milliseconds of media, its own drop policy and reconnect policy. It never
// stalls the encoders, the recording or another destination. It reports what happens
// (state changes, with a reason); the session decides what to show and how to adapt bitrate.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "media/av.h"
#include "media/drop_policy.h"
#include "media/packet_sink.h"
#include "media/reconnect_policy.h"
#include "media/session_clock.h"

namespace cunbo {

enum class OutputState { connecting, live, congested, reconnecting, key_rejected, stopped };
[[nodiscard]] const char* to_string(OutputState state);

// Why a connection failed or ended, in terms a host can be told about.
enum class OutputFailure { none, dns, refused, timeout, tls, publish_refused, connection_lost };
[[nodiscard]] const char* to_string(OutputFailure failure);

struct OutputStatus {
  OutputState state = OutputState::connecting;
  OutputFailure last_failure = OutputFailure::none;
  int attempt = 0;          // the upcoming retry's number while reconnecting
  int64_t retry_at_us = 0;  // session time of the next attempt while reconnecting
  int64_t queue_ms = 0;
  int64_t bytes_sent = 0;
  int64_t video_frames_sent = 0;  // for the frame rate viewers get
  int64_t drops = 0;
  int64_t connections = 0;  // successful publishes so far
  bool key_was_rejected = false;  // sticky: reached key_rejected at some point
};

class StreamOutput final : public PacketSink {
 public:
  struct Options {
    std::string url;          // with the key: a secret, never logged
    std::string display_url;  // the same with the key masked, for logs and the host
  };
  // Called on the output's thread whenever the state changes.
  using StateListener = std::function<void(const OutputStatus&)>;

  StreamOutput(Options options, const SessionClock& clock, std::function<void()> request_keyframe,
               StateListener on_state);
  ~StreamOutput() override;

  [[nodiscard]] std::string open(const std::vector<EncodedStream>& streams) override;
  void push(const AVPacket& packet) override;
  // Sends what the server takes within a second, then disconnects.
  void close() override;

  void reconnect_now();  // thread-safe: skip the back-off wait (also after a rejected key)
  // Session time of PTS 0, so the output can measure capture-to-socket latency. Thread-safe.
  void set_media_origin(int64_t origin_us) { media_origin_us_.store(origin_us); }
  [[nodiscard]] OutputStatus status() const;
  // Capture tick → handed to the socket, video packets, in ms (-1: none yet). Sorts the
  // samples: for the end-of-session summary, not for every tick.
  struct Latency {
    int64_t p50_ms = -1;
    int64_t p95_ms = -1;
  };
  [[nodiscard]] Latency latency() const;
  [[nodiscard]] const std::string& display_url() const { return options_.display_url; }

  // A TCP + TLS + RTMP handshake takes a handful of round trips even on a poor link; a server
  // that says nothing for this long (a TLS client talking to a plain RTMP port) is not coming.
  static constexpr int64_t kConnectTimeoutUs = 5'000'000;
  // The kernel's send buffer hides congestion from our queue (Linux grows it to megabytes):
  // keep it to a fraction of a second so the queue, the drop policy and the bitrate see it.
  static constexpr int kSocketSendBuffer = 32 * 1024;
  static constexpr int64_t kWriteTimeoutUs = 8'000'000;  // no progress this long: the link is dead
  static constexpr int64_t kCloseFlushUs = 1'000'000;
  static constexpr int64_t kMaxQueueMs = 10'000;          // beyond any drop threshold: a safety cap
  static constexpr int64_t kCongestedMs = 200;  // above: congested ...
  static constexpr int64_t kRelievedMs = 100;    // ... until the queue is back below this
  static constexpr int64_t kProvenAfterUs = 2'000'000;    // up this long: the key and server work

 private:
  struct Queued {
    av::Packet packet;
    int64_t ts_us;
    bool droppable_video;  // video that is not a keyframe
  };
  struct ParamsDeleter { void operator()(AVCodecParameters* p) const noexcept { avcodec_parameters_free(&p); } };

  void run();
  [[nodiscard]] OutputFailure connect();
  void disconnect(bool write_trailer);
  [[nodiscard]] bool send(Queued& item);
  void set_state(OutputState state, OutputFailure failure = OutputFailure::none);
  [[nodiscard]] int64_t queue_ms_locked() const;
  static int interrupt(void* opaque);

  Options options_;
  const SessionClock& clock_;
  std::function<void()> request_keyframe_;
  StateListener on_state_;
  std::vector<std::unique_ptr<AVCodecParameters, ParamsDeleter>> params_;
  std::vector<AVRational> time_bases_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Queued> queue_;
  DropPolicy drop_policy_;          // guarded by mutex_
  bool accepting_ = false;          // connected and publishing: push() queues
  bool waiting_for_keyframe_ = true;  // a (re)connected stream starts on a keyframe ...
  int64_t start_ts_us_ = 0;           // ... and nothing older follows it (FLV refuses that)
  bool closing_ = false;
  bool reconnect_requested_ = false;
  OutputStatus status_;

  // Output thread only.
  ReconnectPolicy reconnect_policy_;
  av::OutputFormat format_;
  int64_t connected_at_us_ = 0;
  bool proven_ = false;

  std::atomic<int64_t> io_deadline_us_{0};    // blocking I/O is interrupted past it; 0: none
  std::atomic<int64_t> bytes_sent_{0};
  std::atomic<int64_t> video_frames_sent_{0};
  std::atomic<int64_t> media_origin_us_{-1};
  std::vector<int32_t> latencies_ms_;  // guarded by mutex_; bounded (kMaxLatencySamples)
  static constexpr size_t kMaxLatencySamples = 1 << 16;
  std::thread thread_;
};

}  // namespace cunbo
