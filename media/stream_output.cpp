#include "media/stream_output.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <random>

#include <spdlog/spdlog.h>

namespace cunbo {

const char* to_string(OutputState state) {
  switch (state) {
    case OutputState::connecting: return "connecting";
    case OutputState::live: return "live";
    case OutputState::congested: return "congested";
    case OutputState::reconnecting: return "reconnecting";
    case OutputState::key_rejected: return "key_rejected";
    case OutputState::stopped: return "stopped";
  }
  return "unknown";
}

const char* to_string(OutputFailure failure) {
  switch (failure) {
    case OutputFailure::none: return "none";
    case OutputFailure::dns: return "dns";
    case OutputFailure::refused: return "refused";
    case OutputFailure::timeout: return "timeout";
    case OutputFailure::tls: return "tls";
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
OutputFailure probe_tcp(const Endpoint& e) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(e.host.c_str(), std::to_string(e.port).c_str(), &hints, &found) != 0 || !found)
    return OutputFailure::dns;
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  OutputFailure result = OutputFailure::refused;
  for (const addrinfo* a = found; a; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int err = ::connect(fd, a->ai_addr, a->ai_addrlen) == 0 ? 0 : errno;
    if (err == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, kProbeTimeoutMs) == 1) {
        socklen_t len = sizeof err;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      } else {
        err = ETIMEDOUT;
      }
    }
    ::close(fd);
    if (err == 0) return OutputFailure::none;
    result = err == ECONNREFUSED ? OutputFailure::refused : OutputFailure::timeout;
  }
  return result;
}

bool mentions(const std::string& text, const char* word) { return text.find(word) != std::string::npos; }

}  // namespace

StreamOutput::StreamOutput(Options options, const SessionClock& clock, std::function<void()> request_keyframe,
                           StateListener on_state)
    : options_(std::move(options)),
      clock_(clock),
      request_keyframe_(std::move(request_keyframe)),
      on_state_(std::move(on_state)),
      reconnect_policy_([rng = std::mt19937(std::random_device{}())]() mutable {
        return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
      }) {
  status_.state = OutputState::stopped;  // until the thread announces "connecting"
}

StreamOutput::~StreamOutput() { close(); }

std::string StreamOutput::open(const std::vector<EncodedStream>& streams) {
  for (const EncodedStream& s : streams) {
    std::unique_ptr<AVCodecParameters, ParamsDeleter> p(avcodec_parameters_alloc());
    if (!p || avcodec_parameters_copy(p.get(), s.params) < 0) return "out of memory";
    params_.push_back(std::move(p));
    time_bases_.push_back(s.time_base);
  }
  thread_ = std::thread([this] { run(); });
  return {};
}

int StreamOutput::interrupt(void* opaque) {
  auto* self = static_cast<StreamOutput*>(opaque);
  const int64_t deadline = self->io_deadline_us_.load();
  return deadline != 0 && self->clock_.now_us() > deadline ? 1 : 0;
}

OutputFailure StreamOutput::connect() {
  const Endpoint endpoint = split_url(options_.url);
  const bool srt = endpoint.protocol == "srt";
  if (!srt) {
    if (OutputFailure f = probe_tcp(endpoint); f != OutputFailure::none) return f;
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
  io_deadline_us_.store(clock_.now_us() + kConnectTimeoutUs);
  (void)av::take_last_error();
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
  // The TCP connection worked. A server that closes it during publish, or says BadName /
  // Unauthorized, is refusing the key; a TLS failure is not the key's fault.
  const bool refusal = why.empty() || mentions(why, "Server error") || mentions(why, "BadName") ||
                       mentions(why, "Unauthorized") || mentions(why, "non-properly terminated") ||
                       err == AVERROR_EOF;
  if (!refusal && endpoint.protocol == "rtmps") return OutputFailure::tls;
  return OutputFailure::publish_refused;
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

  std::lock_guard lock(mutex_);
  if (!accepting_ || closing_) return;  // not connected: the outage loses this, not the recording
  if (waiting_for_keyframe_) {          // a viewer can only start on a keyframe
    if (audio || !key) return;
    waiting_for_keyframe_ = false;
    start_ts_us_ = ts_us;
  }
  if (ts_us < start_ts_us_) return;     // audio encoded just before that keyframe
  const int64_t queued_ms = queue_.empty() ? 0 : (std::max(ts_us, queue_.back().ts_us) - queue_.front().ts_us) / 1000;
  const bool was_waiting = drop_policy_.waiting_for_keyframe();
  const DropPolicy::Decision decision = drop_policy_.decide(audio, key, disposable, queued_ms);
  if (!was_waiting && drop_policy_.waiting_for_keyframe()) {
    // The link is far behind: the video still queued would reach viewers late and only until
    // the next keyframe anyway. Drop it now so the sound behind it gets through.
    const auto before = queue_.size();
    std::erase_if(queue_, [](const Queued& q) { return q.droppable_video; });
    status_.drops += static_cast<int64_t>(before - queue_.size());
  }
  if (decision != DropPolicy::Decision::kSend || queued_ms > kMaxQueueMs) {
    ++status_.drops;
    return;
  }
  av::Packet ref = av::ref_packet(&packet);
  if (!ref) return;
  queue_.push_back({std::move(ref), ts_us, !audio && !key});
  cv_.notify_one();
}

void StreamOutput::set_state(OutputState state, OutputFailure failure) {
  OutputStatus copy;
  {
    std::lock_guard lock(mutex_);
    if (status_.state == state && status_.last_failure == failure && state != OutputState::reconnecting) return;
    status_.state = state;
    if (state != OutputState::stopped) status_.last_failure = failure;
    if (state == OutputState::key_rejected) status_.key_was_rejected = true;
    status_.attempt = reconnect_policy_.attempt();
    status_.retry_at_us = reconnect_policy_.next_attempt_us();
    copy = status_;
    copy.queue_ms = queue_ms_locked();
  }
  copy.bytes_sent = bytes_sent_.load();
  copy.video_frames_sent = video_frames_sent_.load();
  spdlog::info("[output] {}: {}{}", options_.display_url, to_string(state),
               failure == OutputFailure::none ? "" : std::string(" (") + to_string(failure) + ")");
  if (on_state_) on_state_(copy);
}

void StreamOutput::run() {
  for (;;) {
    {  // Wait for the next attempt, a "reconnect now", or the end.
      std::unique_lock lock(mutex_);
      for (;;) {
        if (closing_) break;
        if (reconnect_requested_) {
          reconnect_requested_ = false;
          reconnect_policy_.reconnect_now(clock_.now_us());
        }
        if (!reconnect_policy_.should_retry()) {
          cv_.wait(lock);
        } else if (clock_.now_us() < reconnect_policy_.next_attempt_us()) {
          cv_.wait_until(lock, clock_.at_us(reconnect_policy_.next_attempt_us()));
        } else {
          break;
        }
      }
      if (closing_) break;
    }
    set_state(status().connections == 0 && reconnect_policy_.attempt() == 0 ? OutputState::connecting
                                                                             : OutputState::reconnecting);
    if (const OutputFailure failure = connect(); failure != OutputFailure::none) {
      reconnect_policy_.on_connect_failed(clock_.now_us(), failure == OutputFailure::publish_refused
                                                               ? ReconnectPolicy::Failure::kPublishRefused
                                                               : ReconnectPolicy::Failure::kNetwork);
      set_state(reconnect_policy_.key_rejected() ? OutputState::key_rejected : OutputState::reconnecting, failure);
      continue;
    }
    {
      std::lock_guard lock(mutex_);
      accepting_ = true;
      waiting_for_keyframe_ = true;
      queue_.clear();
      ++status_.connections;
    }
    request_keyframe_();  // the new connection starts on a fresh IDR, not up to 2 s later
    connected_at_us_ = clock_.now_us();
    proven_ = false;
    set_state(OutputState::live);

    bool lost = false;
    for (;;) {
      Queued item;
      int64_t queued_ms = 0;
      {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return closing_ || !queue_.empty(); });
        if (queue_.empty()) {
          if (closing_) break;
          continue;
        }
        item = std::move(queue_.front());
        queue_.pop_front();
        queued_ms = queue_ms_locked();
      }
      const OutputState state = status().state;
      if (state == OutputState::live && queued_ms > kCongestedMs) set_state(OutputState::congested);
      else if (state == OutputState::congested && queued_ms < kRelievedMs) set_state(OutputState::live);
      if (!send(item)) {
        lost = true;
        break;
      }
      if (!proven_ && clock_.now_us() - connected_at_us_ > kProvenAfterUs) {
        proven_ = true;
        reconnect_policy_.on_media_accepted();
      }
    }
    {
      std::lock_guard lock(mutex_);
      accepting_ = false;
      queue_.clear();
      if (closing_) lost = false;  // a send cut short by the close deadline is not an outage
    }
    if (!lost) {
      disconnect(true);
      break;
    }
    disconnect(false);
    reconnect_policy_.on_connect_failed(clock_.now_us(), ReconnectPolicy::Failure::kNetwork);
    set_state(OutputState::reconnecting, OutputFailure::connection_lost);
  }
  set_state(OutputState::stopped);
}

void StreamOutput::close() {
  {
    std::lock_guard lock(mutex_);
    if (closing_) return;
    closing_ = true;
    accepting_ = false;
  }
  // What is queued gets a second to go out; then any blocking I/O is interrupted.
  io_deadline_us_.store(clock_.now_us() + kCloseFlushUs);
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void StreamOutput::reconnect_now() {
  std::lock_guard lock(mutex_);
  reconnect_requested_ = true;
  cv_.notify_all();
}

OutputStatus StreamOutput::status() const {
  std::lock_guard lock(mutex_);
  OutputStatus copy = status_;
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
