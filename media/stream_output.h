// One live destination (RTMP, RTMPS or SRT): the transport. Its own thread, its own bounded
// send queue measured in milliseconds of media, its own drop policy; it never stalls the
// encoders, the recording or another destination.
//
// Mechanism only (STYLE.md, "Policy apart from mechanism"): the output connects when told to
// (connect()), then sends until the link fails, and reports what happened: "connecting",
// "connected", "failed: why" (the attempt did not get to publish) or "lost: why" (the link went
// down while streaming). Whether and when to try again, what the host is told and how the
// bitrate adapts are the session supervisor's decisions (client/session/supervisor.h).
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
#include "media/session_clock.h"

namespace cunbo {

// Why a connection failed or ended, in terms a host can be told about.
// server_closed: the server ended the connection during the handshake or connect, before the
// publish was sent (an overloaded edge, a middlebox): the network's fault, not the key's.
// untrusted: an RTMPS server whose certificate does not verify (unknown CA, another name,
// expired); the key was never sent.
enum class OutputFailure { none, dns, refused, timeout, tls, untrusted, server_closed, publish_refused, connection_lost };
[[nodiscard]] const char* to_string(OutputFailure failure);

enum class LinkState {
  idle,        // not connected, no attempt under way (before the first, between attempts)
  connecting,  // an attempt is under way
  live,        // publishing: packets are queued and sent
  stopped,     // closed
};

struct LinkEvent {
  enum class Kind {
    connecting,  // an attempt starts
    connected,   // the server accepted the publish: media flows
    failed,      // the attempt ended without publishing (why: dns … publish_refused)
    lost,        // the link went down while live (why: connection_lost)
  };
  Kind kind = Kind::connecting;
  OutputFailure why = OutputFailure::none;
  int64_t at_us = 0;  // session clock
};

// What the transport can tell at any moment. Counters grow over the output's whole life.
struct LinkStatus {
  LinkState state = LinkState::idle;
  int64_t queue_ms = 0;
  int64_t bytes_sent = 0;
  int64_t video_frames_sent = 0;  // for the frame rate viewers get
  int64_t drops = 0;              // video packets the drop policy threw away
  int64_t skips = 0;              // times the queue hit kMaxQueueMs and was emptied
  int64_t skipped_ms = 0;         // the media those skips threw away
  int64_t connections = 0;        // successful publishes so far
  int64_t connected_at_us = 0;    // session clock, of the current (or last) connection
};

class StreamOutput final : public PacketSink {
 public:
  struct Options {
    std::string url;          // with the key: a secret, never logged
    std::string display_url;  // the same with the key masked, for logs and the host
    int index = 1;            // the destination's number, for the thread's name ("output #1")
    // RTMPS: the server's certificate is always verified, host name included, against the
    // system's CA store, or against this CA file (PEM) alone when given.
    std::string ca_file;
  };
  // Called on the output's thread for every LinkEvent. Must not block: it only hands over.
  using Listener = std::function<void(const LinkEvent&)>;

  StreamOutput(Options options, const SessionClock& clock, std::function<void()> request_keyframe,
               Listener listener);
  ~StreamOutput() override;

  // Takes the streams' parameters; no thread yet.
  [[nodiscard]] std::string open(const std::vector<EncodedStream>& streams) override;
  // The output's thread; it waits for connect().
  void start() override;
  void push(const AVPacket& packet) override;
  // Sends what the server takes within a second, then disconnects. Blocks until the thread ended.
  void close() override;

  // Thread-safe: start an attempt now, unless one is under way or the output is live.
  void connect();
  // Session time of PTS 0, so the output can measure capture-to-socket latency. Thread-safe.
  void set_media_origin(int64_t origin_us) { media_origin_us_.store(origin_us); }
  [[nodiscard]] LinkStatus status() const;
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
  // Beyond any drop threshold (the link carries less than the sound): the queue is emptied and
  // the stream resumes at the next keyframe (push()).
  static constexpr int64_t kMaxQueueMs = 10'000;

 private:
  struct Queued {
    av::Packet packet;
    int64_t ts_us;
    bool droppable_video;  // video that is not a keyframe
  };
  struct ParamsDeleter { void operator()(AVCodecParameters* p) const noexcept { avcodec_parameters_free(&p); } };

  void run();
  // One attempt and, if it publishes, the send loop until the link fails or the output closes.
  void attempt();
  [[nodiscard]] OutputFailure open_connection();
  void disconnect(bool write_trailer);
  [[nodiscard]] bool send(Queued& item);
  void report(LinkEvent::Kind kind, OutputFailure why = OutputFailure::none);
  [[nodiscard]] int64_t queue_ms_locked() const;
  static int interrupt(void* opaque);

  Options options_;
  const SessionClock& clock_;
  std::function<void()> request_keyframe_;
  Listener listener_;
  std::vector<std::unique_ptr<AVCodecParameters, ParamsDeleter>> params_;
  std::vector<AVRational> time_bases_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Queued> queue_;
  DropPolicy drop_policy_;            // guarded by mutex_
  LinkStatus status_;                 // guarded by mutex_ (counters below are atomics)
  bool accepting_ = false;            // live: push() queues
  bool waiting_for_keyframe_ = true;  // a (re)connected stream starts on a keyframe ...
  int64_t start_ts_us_ = 0;           // ... and nothing older follows it (FLV refuses that)
  bool closing_ = false;
  bool connect_requested_ = false;

  av::OutputFormat format_;  // output thread only

  std::atomic<int64_t> io_deadline_us_{0};  // blocking I/O is interrupted past it; 0: none
  std::atomic<int64_t> bytes_sent_{0};
  std::atomic<int64_t> video_frames_sent_{0};
  std::atomic<int64_t> media_origin_us_{-1};
  std::vector<int32_t> latencies_ms_;  // guarded by mutex_; bounded (kMaxLatencySamples)
  static constexpr size_t kMaxLatencySamples = 1 << 16;
  std::thread thread_;
};

}  // namespace cunbo
