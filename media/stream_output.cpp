#include "media/stream_output.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "media/tcp_probe.h"
#include "media/thread_name.h"

namespace cunbo {

const char* to_string(OutputFailure failure) {
  switch (failure) {
    case OutputFailure::none: return "none";
    case OutputFailure::dns: return "dns";
    case OutputFailure::refused: return "refused";
    case OutputFailure::timeout: return "timeout";
    case OutputFailure::tls: return "tls";
    case OutputFailure::untrusted: return "untrusted";
    case OutputFailure::server_closed: return "server_closed";
    case OutputFailure::publish_refused: return "publish_refused";
    case OutputFailure::connection_lost: return "connection_lost";
  }
  return "unknown";
}

namespace {

constexpr int kProbeTimeoutMs = 3000;

struct Endpoint {
  std::string protocol;
  std::string host;
  int port = -1;
};

Endpoint split_url(const std::string& url) {
  char proto[16] = {}, auth[256] = {}, host[256] = {}, path[1024] = {};
  int port = -1;
  av_url_split(proto, sizeof proto, auth, sizeof auth, host, sizeof host, &port, path, sizeof path, url.c_str());
  Endpoint e{proto, host, port};
  if (e.port < 0) e.port = e.protocol == "rtmps" ? 443 : 1935;
  return e;
}

// Can the server be reached at all? FFmpeg reports DNS failures, refused ports and timeouts
// all as I/O errors; this tells the host which one it is, and tells a wrong key apart from a
// server that is down (a refused publish happens only after a connection succeeded).
OutputFailure probe_server(const Endpoint& e) {
  switch (probe_tcp(e.host, e.port, kProbeTimeoutMs)) {
    case TcpReach::reached: return OutputFailure::none;
    case TcpReach::no_such_host: return OutputFailure::dns;
    case TcpReach::refused: return OutputFailure::refused;
    case TcpReach::timeout: return OutputFailure::timeout;
  }
  return OutputFailure::timeout;
}

bool mentions(const std::string& text, const char* word) { return text.find(word) != std::string::npos; }

}  // namespace

StreamOutput::StreamOutput(Options options, const SessionClock& clock, std::function<void()> request_keyframe,
                           Listener listener)
    : options_(std::move(options)),
      clock_(clock),
      request_keyframe_(std::move(request_keyframe)),
      listener_(std::move(listener)) {}

StreamOutput::~StreamOutput() { close(); }

std::string StreamOutput::open(const std::vector<EncodedStream>& streams) {
  for (const EncodedStream& s : streams) {
    std::unique_ptr<AVCodecParameters, ParamsDeleter> p(avcodec_parameters_alloc());
    if (!p || avcodec_parameters_copy(p.get(), s.params) < 0) return "out of memory";
    params_.push_back(std::move(p));
    time_bases_.push_back(s.time_base);
  }
  return {};
}

void StreamOutput::start() {
  if (thread_.joinable() || params_.empty()) return;
  thread_ = std::thread([this] {
    name_this_thread("output #" + std::to_string(options_.index));
    run();
  });
}

int StreamOutput::interrupt(void* opaque) {
  auto* self = static_cast<StreamOutput*>(opaque);
  const int64_t deadline = self->io_deadline_us_.load();
  return deadline != 0 && self->clock_.now_us() > deadline ? 1 : 0;
}

OutputFailure StreamOutput::open_connection() {
  const Endpoint endpoint = split_url(options_.url);
  const bool srt = endpoint.protocol == "srt";
  if (!srt) {
    if (OutputFailure f = probe_server(endpoint); f != OutputFailure::none) return f;
  }
  AVFormatContext* raw = nullptr;
  if (avformat_alloc_output_context2(&raw, nullptr, srt ? "mpegts" : "flv", nullptr) < 0) return OutputFailure::refused;
  format_.reset(raw);
  format_->interrupt_callback = {&StreamOutput::interrupt, this};
  format_->flags |= AVFMT_FLAG_FLUSH_PACKETS;  // every packet to the socket now: latency
  for (size_t i = 0; i < params_.size(); ++i) {
    AVStream* st = avformat_new_stream(format_.get(), nullptr);
    if (!st || avcodec_parameters_copy(st->codecpar, params_[i].get()) < 0) return OutputFailure::refused;
    st->time_base = time_bases_[i];
  }
  av::Dictionary opts;
  opts.set("rw_timeout", std::to_string(kWriteTimeoutUs));
  opts.set("send_buffer_size", std::to_string(kSocketSendBuffer));
  if (!srt) opts.set("rtmp_live", "live");
  if (endpoint.protocol == "rtmps") {
    // Nobody on the path may take the key: the key goes only to a server that proves its name.
    opts.set("tls_verify", "1");
    if (!options_.ca_file.empty()) opts.set("ca_file", options_.ca_file);
  }
  io_deadline_us_.store(clock_.now_us() + kConnectTimeoutUs);
  (void)av::take_last_error();
  // How far the attempt got: the TLS layer (RTMPS) was up once the RTMP handshake starts; the
  // key is only ever judged once the publish command was sent.
  constexpr size_t kHandshaking = 0;
  constexpr size_t kPublishSent = 1;
  constexpr size_t kUnverified = 2;  // GnuTLS (FFmpeg's tls_gnutls.c) refused the certificate
  constexpr size_t kOtherName = 3;
  constexpr size_t kCannotVerify = 4;
  const av::MessageWatch reached({"Handshaking...", "Sending publish command", "Peer certificate failed verification",
                                  "The certificate's owner does not match hostname",
                                  "Unable to verify peer certificate"});
  int err = avio_open2(&format_->pb, options_.url.c_str(), AVIO_FLAG_WRITE, &format_->interrupt_callback,
                       opts.address());
  if (err >= 0) err = avformat_write_header(format_.get(), nullptr);
  io_deadline_us_.store(0);
  if (err >= 0) return OutputFailure::none;

  const std::string why = av::take_last_error();
  spdlog::warn("[output] {}: connect failed: {} {}", options_.display_url, av::error_string(err), why);
  format_.reset();
  if (err == AVERROR_EXIT) return OutputFailure::timeout;
  if (srt) return OutputFailure::refused;
  // The TCP connection worked. Only the server's own refusal counts against the key: its words
  // (an onStatus error: NetStream.Publish.BadName, Unauthorized), or the connection closed once
  // the publish was sent (nginx's on_publish refusal does that). A reset or close before it
  // (an overloaded edge, a middlebox) is the network's, retried like any other outage.
  if (mentions(why, "Server error") || mentions(why, "BadName") || mentions(why, "Unauthorized") ||
      reached.seen(kPublishSent))
    return OutputFailure::publish_refused;
  if (endpoint.protocol == "rtmps" && !reached.seen(kHandshaking)) {
    if (reached.seen(kUnverified) || reached.seen(kOtherName) || reached.seen(kCannotVerify))
      return OutputFailure::untrusted;
    return OutputFailure::tls;
  }
  return OutputFailure::server_closed;
}

void StreamOutput::disconnect(bool write_trailer) {
  if (!format_) return;
  if (write_trailer) av_write_trailer(format_.get());
  format_.reset();
}

bool StreamOutput::send(Queued& item) {
  AVPacket& pkt = *item.packet;
  const auto index = static_cast<size_t>(pkt.stream_index);
  av_packet_rescale_ts(&pkt, time_bases_[index], format_->streams[index]->time_base);
  const int size = pkt.size;
  const bool video = params_[index]->codec_type == AVMEDIA_TYPE_VIDEO;
  const int err = av_write_frame(format_.get(), &pkt);
  if (err < 0) {
    spdlog::warn("[output] {}: send failed: {}", options_.display_url, av::error_string(err));
    return false;
  }
  bytes_sent_.fetch_add(size);
  if (video) video_frames_sent_.fetch_add(1);
  if (const int64_t origin = media_origin_us_.load(); video && origin >= 0) {
    const int64_t latency_ms = (clock_.now_us() - origin - item.ts_us) / 1000;
    std::lock_guard lock(mutex_);
    if (latencies_ms_.size() < kMaxLatencySamples) latencies_ms_.push_back(static_cast<int32_t>(latency_ms));
  }
  return true;
}

int64_t StreamOutput::queue_ms_locked() const {
  return queue_.empty() ? 0 : (queue_.back().ts_us - queue_.front().ts_us) / 1000;
}

void StreamOutput::push(const AVPacket& packet) {
  const auto index = static_cast<size_t>(packet.stream_index);
  if (index >= params_.size()) return;
  const bool audio = params_[index]->codec_type == AVMEDIA_TYPE_AUDIO;
  const bool key = packet.flags & AV_PKT_FLAG_KEY;
  const bool disposable = packet.flags & AV_PKT_FLAG_DISPOSABLE;
  const int64_t ts_us = av_rescale_q(packet.dts, time_bases_[index], AVRational{1, 1'000'000});

  std::unique_lock lock(mutex_);
  if (!accepting_ || closing_) return;  // not connected: the outage loses this, not the recording
  if (waiting_for_keyframe_) {          // a viewer can only start on a keyframe
    if (audio || !key) return;
    waiting_for_keyframe_ = false;
    start_ts_us_ = ts_us;
  }
  if (ts_us < start_ts_us_) return;     // audio encoded just before that keyframe
  const int64_t queued_ms = queue_.empty() ? 0 : (std::max(ts_us, queue_.back().ts_us) - queue_.front().ts_us) / 1000;
  if (queued_ms > kMaxQueueMs) {
    // The link carries less than the sound alone and is this far behind: what is queued would
    // reach viewers too late to be live. The rule at the cap: everything queued goes, and the
    // stream resumes, sound and picture together, at a keyframe asked for now; the gap is
    // counted (status().skips, skipped_ms: the "skip" event). Nothing is torn: no audio or
    // keyframe is dropped on its own.
    ++status_.skips;
    status_.skipped_ms += queued_ms;
    for (const Queued& q : queue_) status_.drops += q.droppable_video ? 1 : 0;
    queue_.clear();
    waiting_for_keyframe_ = true;
    lock.unlock();
    spdlog::warn("[output] {}: {} s of media waiting, too late to be live: dropped, resuming at the next keyframe",
                 options_.display_url, queued_ms / 1000);
    request_keyframe_();
    return;
  }
  const bool was_waiting = drop_policy_.waiting_for_keyframe();
  const DropPolicy::Decision decision = drop_policy_.decide(audio, key, disposable, queued_ms);
  if (!was_waiting && drop_policy_.waiting_for_keyframe()) {
    // The link is far behind: the video still queued would reach viewers late and only until
    // the next keyframe anyway. Drop it now so the sound behind it gets through.
    const auto before = queue_.size();
    std::erase_if(queue_, [](const Queued& q) { return q.droppable_video; });
    status_.drops += static_cast<int64_t>(before - queue_.size());
  }
  if (decision != DropPolicy::Decision::kSend) {
    ++status_.drops;
    return;
  }
  av::Packet ref = av::ref_packet(&packet);
  if (!ref) return;
  queue_.push_back({std::move(ref), ts_us, !audio && !key});
  cv_.notify_one();
}

void StreamOutput::report(LinkEvent::Kind kind, OutputFailure why) {
  static constexpr const char* kWords[] = {"connecting", "connected", "failed", "lost"};
  spdlog::info("[output] {}: {}{}", options_.display_url, kWords[static_cast<int>(kind)],
               why == OutputFailure::none ? "" : std::string(" (") + to_string(why) + ")");
  if (listener_) listener_(LinkEvent{kind, why, clock_.now_us()});
}

void StreamOutput::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return closing_ || connect_requested_; });
      if (closing_) break;
      connect_requested_ = false;
      status_.state = LinkState::connecting;
    }
    attempt();
  }
  const std::lock_guard lock(mutex_);
  status_.state = LinkState::stopped;
}

void StreamOutput::attempt() {
  report(LinkEvent::Kind::connecting);
  if (const OutputFailure failure = open_connection(); failure != OutputFailure::none) {
    bool closing = false;
    {
      const std::lock_guard lock(mutex_);
      status_.state = LinkState::idle;
      closing = closing_;
    }
    if (!closing) report(LinkEvent::Kind::failed, failure);  // an attempt cut short by close() is no failure
    return;
  }
  {
    const std::lock_guard lock(mutex_);
    accepting_ = true;
    waiting_for_keyframe_ = true;
    queue_.clear();
    ++status_.connections;
    status_.state = LinkState::live;
    status_.connected_at_us = clock_.now_us();
  }
  request_keyframe_();  // the new connection starts on a fresh IDR, not up to 2 s later
  report(LinkEvent::Kind::connected);

  bool lost = false;
  for (;;) {
    Queued item;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) break;  // closing, and everything sent
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    if (!send(item)) {
      lost = true;
      break;
    }
  }
  {
    const std::lock_guard lock(mutex_);
    accepting_ = false;
    queue_.clear();
    status_.state = LinkState::idle;
    if (closing_) lost = false;  // a send cut short by the close deadline is not an outage
  }
  if (!lost) {
    disconnect(true);
    return;
  }
  // Said at once, and the dead link is not asked to carry the goodbye (FFmpeg's RTMP close
  // writes to it, each write waiting up to the write timeout): any I/O on it is cut short.
  report(LinkEvent::Kind::lost, OutputFailure::connection_lost);
  int64_t cut = clock_.now_us();
  io_deadline_us_.store(cut);
  disconnect(false);
  io_deadline_us_.compare_exchange_strong(cut, 0);  // unless close() set its own deadline meanwhile
}

void StreamOutput::close() {
  {
    const std::lock_guard lock(mutex_);
    if (closing_) return;
    closing_ = true;
    accepting_ = false;
  }
  // What is queued gets a second to go out; then any blocking I/O is interrupted.
  io_deadline_us_.store(clock_.now_us() + kCloseFlushUs);
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StreamOutput::connect() {
  const std::lock_guard lock(mutex_);
  if (closing_ || status_.state != LinkState::idle) return;
  connect_requested_ = true;
  cv_.notify_all();
}

LinkStatus StreamOutput::status() const {
  const std::lock_guard lock(mutex_);
  LinkStatus copy = status_;
  copy.queue_ms = queue_ms_locked();
  copy.bytes_sent = bytes_sent_.load();
  copy.video_frames_sent = video_frames_sent_.load();
  return copy;
}

StreamOutput::Latency StreamOutput::latency() const {
  std::vector<int32_t> sorted;
  {
    std::lock_guard lock(mutex_);
    sorted = latencies_ms_;
  }
  if (sorted.empty()) return {};
  auto at = [&sorted](size_t permille) {
    const size_t i = std::min(sorted.size() - 1, sorted.size() * permille / 1000);
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(i), sorted.end());
    return int64_t{sorted[i]};
  };
  return {at(500), at(950)};
}

}  // namespace cunbo
