#include "client/session/supervisor.h"

#include <algorithm>
#include <limits>

#include <spdlog/spdlog.h>

#include "media/thread_name.h"

namespace cunbo {

namespace {

bool connected(OutputState state) { return state == OutputState::live || state == OutputState::congested; }

}  // namespace

Supervisor::Supervisor(const SessionClock& clock, std::vector<StreamOutput*> outputs, VideoEncoder& encoder,
                       EventLog* log, Options options, Hooks hooks)
    : clock_(clock),
      outputs_(std::move(outputs)),
      encoder_(encoder),
      log_(log),
      options_(options),
      hooks_(std::move(hooks)),
      random_(options.seed ? static_cast<std::mt19937::result_type>(options.seed) : std::random_device{}()) {
  // One random source for every destination's jitter, drawn on the supervisor's thread only.
  auto random = [this] { return std::uniform_real_distribution<double>(0.0, 1.0)(random_); };
  const int target = encoder_.settings().bitrate_kbps;
  std::vector<int> starts;
  int share = kFrameShares;
  for (size_t i = 0; i < outputs_.size(); ++i) {
    dests_.emplace_back(random, target);
    const int start = i < options_.start_kbps.size() ? options_.start_kbps[i] : 0;
    if (start > 0 && start < target) dests_.back().abr = BitrateController(target, start);
    starts.push_back(dests_.back().abr.bitrate_kbps());
    share = std::min(share, dests_.back().abr.frame_share());
  }
  // The stream starts where the weakest remembered uplink can carry it, and climbs from there.
  if (!starts.empty() && options_.adaptive_bitrate) {
    const int kbps = BitrateController::follow_worst(target, starts);
    if (kbps < target || share < kFrameShares) {
      encoder_.set_bitrate_kbps(kbps);
      encoder_.set_frame_share(share);
      spdlog::info("[supervisor] starting at {} kbit/s, {} fps: what the uplink sustained last time", kbps,
                   encoder_.fps_now());
      if (log_) {
        log_->post(event::Bitrate{kbps});
        if (share < kFrameShares) log_->post(event::FrameRate{encoder_.fps_now()});
      }
    }
  }
  published_.resize(outputs_.size());
  publish();
}

Supervisor::~Supervisor() {
  request_stop();
  join();
}

void Supervisor::start() {
  if (thread_.joinable()) return;
  presented_at_us_.store(clock_.now_us());
  on_air_at_us_.store(clock_.now_us());
  thread_ = std::thread([this] {
    name_this_thread("supervisor");
    run();
  });
}

void Supervisor::request_stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void Supervisor::join() {
  if (thread_.joinable()) thread_.join();
}

void Supervisor::on_link_event(size_t index, const LinkEvent& event) {
  {
    const std::lock_guard lock(mutex_);
    pending_.push_back({index, event});
  }
  wake_.notify_all();
}

void Supervisor::reconnect_now() {
  {
    const std::lock_guard lock(mutex_);
    reconnect_requested_ = true;
  }
  wake_.notify_all();
}

int64_t Supervisor::next_deadline_us(int64_t next_tick_us) const {
  int64_t deadline = next_tick_us;
  for (const Destination& d : dests_)
    if (d.state == OutputState::reconnecting && !d.attempting && d.policy.should_retry())
      deadline = std::min(deadline, d.policy.next_attempt_us());
  return deadline;
}

void Supervisor::run() {
  const int64_t started = clock_.now_us();
  for (size_t i = 0; i < dests_.size(); ++i) begin_attempt(i, started);
  publish();
  int64_t next_tick_us = started + kTickUs;
  for (;;) {
    std::deque<Pending> events;
    bool reconnect = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, clock_.at_us(next_deadline_us(next_tick_us)),
                       [this] { return stopping_ || reconnect_requested_ || !pending_.empty(); });
      if (stopping_) break;
      events.swap(pending_);
      reconnect = std::exchange(reconnect_requested_, false);
    }
    for (const Pending& p : events) handle(p);
    const int64_t now = clock_.now_us();
    if (reconnect) {
      spdlog::info("[supervisor] reconnect now");
      for (Destination& d : dests_)
        if (d.state == OutputState::reconnecting || d.state == OutputState::key_rejected) d.policy.reconnect_now(now);
    }
    for (size_t i = 0; i < dests_.size(); ++i) {
      Destination& d = dests_[i];
      const bool waiting = d.state == OutputState::reconnecting || d.state == OutputState::key_rejected;
      if (waiting && !d.attempting && d.policy.should_retry() && now >= d.policy.next_attempt_us())
        begin_attempt(i, now);
    }
    if (now >= next_tick_us) {
      tick(now);
      next_tick_us = now + kTickUs;
    }
    publish();
  }
}

void Supervisor::set_state(size_t i, OutputState state, int64_t now_us, OutputFailure reason) {
  Destination& d = dests_[i];
  d.state = state;
  if (state == OutputState::key_rejected) d.key_was_rejected = true;
  if (!log_) return;
  event::DestinationState e{i + 1, outputs_[i]->display_url(), to_string(state), std::nullopt, std::nullopt,
                            std::nullopt};
  if (reason != OutputFailure::none) e.reason = to_string(reason);
  if (state == OutputState::reconnecting) {
    e.attempt = d.policy.attempt();
    e.retry_in_s = std::max<double>(0, static_cast<double>(d.policy.next_attempt_us() - now_us) / 1e6);
  }
  log_->post(std::move(e));
}

void Supervisor::begin_attempt(size_t i, int64_t now_us) {
  Destination& d = dests_[i];
  ++d.attempts;
  d.attempting = true;
  const bool first = outputs_[i]->status().connections == 0 && d.policy.attempt() == 0;
  set_state(i, first ? OutputState::connecting : OutputState::reconnecting, now_us);
  outputs_[i]->connect();
}

void Supervisor::handle(const Pending& p) {
  Destination& d = dests_[p.index];
  const int64_t at = p.event.at_us;
  switch (p.event.kind) {
    case LinkEvent::Kind::connecting:
      break;  // announced by begin_attempt()
    case LinkEvent::Kind::connected:
      d.attempting = false;
      d.connected_at_us = at;
      d.progressed_at_us = at;
      d.proven = false;
      d.last_failure = OutputFailure::none;
      d.window_start_us = 0;  // measure this connection afresh
      set_state(p.index, OutputState::live, at);
      break;
    case LinkEvent::Kind::failed:
    case LinkEvent::Kind::lost: {
      d.attempting = false;
      if (p.event.kind == LinkEvent::Kind::lost) d.live_us += at - d.connected_at_us;
      ++d.failures;
      d.last_failure = p.event.why;
      const ReconnectPolicy::Failure failure = p.event.why == OutputFailure::publish_refused
                                                   ? ReconnectPolicy::Failure::kPublishRefused
                                               : p.event.why == OutputFailure::untrusted ? ReconnectPolicy::Failure::kUntrusted
                                                                                         : ReconnectPolicy::Failure::kNetwork;
      d.policy.on_connect_failed(at, failure);
      d.kbps = 0;
      d.fps = 0;
      set_state(p.index, d.policy.key_rejected() ? OutputState::key_rejected : OutputState::reconnecting, at,
                p.event.why);
      break;
    }
  }
}

void Supervisor::tick(int64_t now_us) {
  if (options_.rotate_s > 0 && hooks_.rotate &&
      now_us - presented_at_us_.load() >= static_cast<int64_t>(options_.rotate_s * 1e6)) {
    presented_at_us_.store(now_us);
    hooks_.rotate();
  }
  if (const int64_t end = end_us_.load(); end >= 0 && now_us >= end && !end_told_) {
    end_told_ = true;
    if (hooks_.media_ended) hooks_.media_ended();
  }
  if (hooks_.watch) hooks_.watch();

  bool measured = false;
  std::vector<LinkStatus> links;
  for (size_t i = 0; i < dests_.size(); ++i) {
    links.push_back(outputs_[i]->status());
    Destination& d = dests_[i];
    if (links[i].bytes_sent != d.bytes_seen) {
      d.bytes_seen = links[i].bytes_sent;
      d.progressed_at_us = now_us;
    }
  }
  update_decision(now_us);
  for (size_t i = 0; i < dests_.size(); ++i) {
    Destination& d = dests_[i];
    const LinkStatus& link = links[i];
    if (connected(d.state) && !d.proven && now_us - d.connected_at_us > kProvenAfterUs) {
      d.proven = true;
      d.policy.on_media_accepted();
    }
    // Congested from the queue: above the bitrate controller's threshold, until it drains.
    if (d.state == OutputState::live && link.queue_ms > BitrateController::kCongestedQueueMs)
      set_state(i, OutputState::congested, now_us);
    else if (d.state == OutputState::congested && link.queue_ms < BitrateController::kHealthyQueueMs)
      set_state(i, OutputState::live, now_us);

    if (d.window_start_us == 0) {
      d.window_start_us = now_us;
      d.window_bytes = link.bytes_sent;
      d.window_frames = link.video_frames_sent;
      continue;
    }
    if (now_us - d.window_start_us < kMeasureWindowUs) continue;
    measured = true;
    const int64_t span = now_us - d.window_start_us;
    d.kbps = static_cast<int>((link.bytes_sent - d.window_bytes) * 8 * 1000 / span);
    d.fps = static_cast<double>(link.video_frames_sent - d.window_frames) * 1e6 / static_cast<double>(span);
    d.window_start_us = now_us;
    d.window_bytes = link.bytes_sent;
    d.window_frames = link.video_frames_sent;
    if (options_.adaptive_bitrate && connected(d.state)) {
      (void)d.abr.on_tick(now_us, link.queue_ms, d.kbps, options_.audio_kbps);
      d.recent_kbps.emplace_back(now_us, d.abr.bitrate_kbps());
      d.kbps_us += int64_t{d.abr.bitrate_kbps()} * span;
      d.measured_us += span;
      d.limited = d.limited || d.abr.reduced();
    } else {
      d.recent_kbps.clear();  // not measured meanwhile: it sustains nothing we know of
    }
    while (!d.recent_kbps.empty() && now_us - d.recent_kbps.front().first > kOwnEncodeAfterUs)
      d.recent_kbps.pop_front();
    if (log_) {
      log_->post(event::Queue{i + 1, link.queue_ms, d.kbps, to_string(d.state)});
      if (link.drops != d.drops_logged) log_->post(event::Drops{i + 1, link.drops});
      if (link.skips != d.skips_logged)
        log_->post(event::Skip{i + 1, link.skips, static_cast<double>(link.skipped_ms) / 1000.0});
    }
    d.drops_logged = link.drops;
    d.skips_logged = link.skips;
  }
  if (!measured || !options_.adaptive_bitrate || dests_.empty()) return;
  update_own_encode(now_us);
  // One encoder feeds every destination: it follows the worst link among those in the decision
  // (a destination that is reconnecting, or stuck while others flow, does not pin everyone's
  // quality with its last reading; one with its own encode follows its own). None in it (all
  // reconnecting): the rate stays as it is.
  std::vector<int> rates;
  int share = kFrameShares;  // the frame rate follows the worst too
  for (size_t i = 0; i < dests_.size(); ++i) {
    Destination& d = dests_[i];
    if (d.in_decision && !d.own_encode) {
      rates.push_back(d.abr.bitrate_kbps());
      share = std::min(share, d.abr.frame_share());
    }
    if (d.own_encode && (d.abr.bitrate_kbps() != d.own_kbps_told || d.abr.frame_share() != d.own_share_told)) {
      d.own_kbps_told = d.abr.bitrate_kbps();
      d.own_share_told = d.abr.frame_share();
      if (hooks_.own_encode_rate) hooks_.own_encode_rate(d.own_kbps_told, d.own_share_told);
      log_own_encode(i, "rate", d.own_kbps_told);
    }
  }
  if (rates.empty()) return;
  if (share != encoder_.frame_share()) {
    encoder_.set_frame_share(share);
    const int fps = encoder_.settings().fps * share / kFrameShares;
    spdlog::info("[supervisor] video frame rate {} fps", fps);
    if (log_) log_->post(event::FrameRate{fps});
  }
  const int kbps = BitrateController::follow_worst(encoder_.settings().bitrate_kbps, rates);
  if (kbps != encoder_.bitrate_kbps()) {
    encoder_.set_bitrate_kbps(kbps);
    spdlog::info("[supervisor] video bitrate {} kbit/s", kbps);
    if (log_) log_->post(event::Bitrate{kbps});
  }
}

void Supervisor::update_decision(int64_t now_us) {
  const auto flowing = [&](const Destination& d) {
    return connected(d.state) && now_us - d.progressed_at_us < kStuckAfterUs;
  };
  const bool others_flow = std::any_of(dests_.begin(), dests_.end(), flowing);
  for (size_t i = 0; i < dests_.size(); ++i) {
    Destination& d = dests_[i];
    // Alone, a stuck destination keeps the decision: lowering the bitrate is all there is to try.
    const bool in = connected(d.state) && (flowing(d) || !others_flow);
    if (in == d.in_decision) continue;
    d.in_decision = in;
    // It measures itself afresh, from the rate the encoder has now.
    if (in) d.abr = BitrateController(encoder_.settings().bitrate_kbps, encoder_.bitrate_kbps(), encoder_.frame_share());
    spdlog::info("[supervisor] {} {} the bitrate decision", outputs_[i]->display_url(), in ? "rejoins" : "leaves");
  }
}

void Supervisor::update_own_encode(int64_t now_us) {
  if (own_encode_failed_.exchange(false)) {
    options_.second_encode = false;
    for (size_t i = 0; i < dests_.size(); ++i)
      if (dests_[i].own_encode) {
        dests_[i].own_encode = false;
        log_own_encode(i, "failed", encoder_.bitrate_kbps());
      }
  }
  if (!options_.second_encode || !hooks_.own_encode) return;
  const int shared_kbps = encoder_.bitrate_kbps();
  bool any_own = false;
  for (size_t i = 0; i < dests_.size(); ++i) {
    Destination& d = dests_[i];
    if (!d.own_encode) continue;
    const bool even = !connected(d.state) || d.abr.bitrate_kbps() * 100 >= shared_kbps * kSharedAgainAbovePercent;
    if (!even) d.even_since_us = -1;
    else if (d.even_since_us < 0) d.even_since_us = now_us;
    if (d.even_since_us >= 0 && now_us - d.even_since_us >= kSharedAgainAfterUs) {
      d.own_encode = false;
      d.recent_kbps.clear();
      spdlog::info("[supervisor] {} back on the shared encode", outputs_[i]->display_url());
      if (hooks_.shared_encode) hooks_.shared_encode(i);
      log_own_encode(i, "ended", shared_kbps);
      continue;
    }
    any_own = true;
  }
  // Sustaining under half of what each other destination in the decision carries, over the
  // whole of the last kOwnEncodeAfterUs.
  for (size_t i = 0; i < dests_.size(); ++i) {
    Destination& d = dests_[i];
    if (any_own || d.own_encode || !d.in_decision || d.recent_kbps.empty()) continue;
    if (now_us - d.recent_kbps.front().first < kOwnEncodeAfterUs - 2 * kMeasureWindowUs) continue;  // not measured that long
    int others = -1;
    for (size_t j = 0; j < dests_.size(); ++j)
      if (j != i && dests_[j].in_decision && !dests_[j].own_encode)
        others = others < 0 ? dests_[j].abr.bitrate_kbps() : std::min(others, dests_[j].abr.bitrate_kbps());
    int64_t sum = 0;
    for (const auto& [at, kbps] : d.recent_kbps) sum += kbps;
    const auto sustained = static_cast<int>(sum / static_cast<int64_t>(d.recent_kbps.size()));
    if (others <= 0 || sustained * 100 >= others * kOwnEncodeBelowPercent) continue;
    // It starts at what the link sustained, not where its last climb happened to be.
    const int kbps = std::min(d.abr.bitrate_kbps(), sustained);
    d.abr = BitrateController(encoder_.settings().bitrate_kbps, kbps);
    if (!hooks_.own_encode(i, d.abr.bitrate_kbps())) {
      spdlog::warn("[supervisor] no second encode for {}: it could not be opened", outputs_[i]->display_url());
      options_.second_encode = false;  // not tried again this session
      return;
    }
    spdlog::info("[supervisor] {} sustains {} kbit/s, under half of the others' {}: its own encode at {}",
                 outputs_[i]->display_url(), sustained, others, kbps);
    d.own_encode = true;
    d.own_kbps_told = d.abr.bitrate_kbps();
    d.even_since_us = -1;
    any_own = true;
    log_own_encode(i, "started", d.own_kbps_told);
  }
}

void Supervisor::log_own_encode(size_t i, const char* state, int kbps) {
  if (log_) log_->post(event::OwnEncode{i + 1, state, kbps});
}

void Supervisor::publish() {
  std::vector<DestinationStats> out(dests_.size());
  const int64_t now = clock_.now_us();
  const bool on_air = std::any_of(dests_.begin(), dests_.end(), [](const Destination& d) { return connected(d.state); });
  if (on_air) on_air_at_us_.store(now);
  on_air_.store(on_air);
  for (size_t i = 0; i < dests_.size(); ++i) {
    const Destination& d = dests_[i];
    DestinationStats& s = out[i];
    s.display_url = outputs_[i]->display_url();
    s.status.state = d.state;
    s.status.last_failure = d.last_failure;
    s.status.attempt = d.policy.attempt();
    s.status.retry_at_us = d.policy.next_attempt_us();
    s.status.key_was_rejected = d.key_was_rejected;
    s.kbps = d.kbps;
    s.fps = d.fps;
    s.attempts = d.attempts;
    s.failures = d.failures;
    s.live_us = d.live_us + (connected(d.state) ? now - d.connected_at_us : 0);
    s.own_encode = d.own_encode;
    s.sustained_kbps = d.measured_us > 0 ? static_cast<int>(d.kbps_us / d.measured_us) : 0;
    s.measured_us = d.measured_us;
    s.limited = d.limited;
  }
  const std::lock_guard lock(published_mutex_);
  published_ = std::move(out);
}

int64_t Supervisor::off_air_us() const {
  if (dests_.empty() || on_air_.load()) return 0;
  return std::max<int64_t>(0, clock_.now_us() - on_air_at_us_.load());
}

std::vector<DestinationStats> Supervisor::destinations() const {
  std::vector<DestinationStats> out;
  {
    const std::lock_guard lock(published_mutex_);
    out = published_;
  }
  // The transport's counters, fresh.
  for (size_t i = 0; i < out.size(); ++i) {
    const LinkStatus link = outputs_[i]->status();
    OutputStatus& st = out[i].status;
    st.queue_ms = link.queue_ms;
    st.bytes_sent = link.bytes_sent;
    st.video_frames_sent = link.video_frames_sent;
    st.drops = link.drops;
    st.connections = link.connections;
  }
  return out;
}

}  // namespace cunbo
