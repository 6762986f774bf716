#include "client/session/session.h"

#include <chrono>
#include <utility>

#include <spdlog/spdlog.h>

#include "client/base/exit_codes.h"
#include "client/base/strings.h"
#include "client/session/uplink_memory.h"

namespace cunbo {

namespace {

constexpr int kVideoStream = 0;
constexpr int kAudioStream = 1;
constexpr auto kFirstPictureTimeout = std::chrono::seconds(2);
constexpr auto kAudioCatchUp = std::chrono::milliseconds(500);
constexpr int64_t kUplinkMeasuredAtLeastUs = 10'000'000;

const char* feed_state_name(FeedState state) {
  switch (state) {
    case FeedState::connecting: return "connecting";
    case FeedState::online: return "online";
    case FeedState::offline_retrying: return "offline_retrying";
    case FeedState::login_required: return "login_required";
    case FeedState::stopped: return "stopped";
  }
  return "unknown";
}

SessionError capture_error(const CaptureError& e, const SourceSpec& spec) {
  spdlog::error("[session] cannot open {}: {}", spec.text, e.detail);
  return {exit_code::kSourceFailed, capture_problem_text(e, spec)};
}

}  // namespace

std::string capture_problem_text(const CaptureError& e, const SourceSpec& spec) {
  const bool file = spec.kind == SourceSpec::Kind::file;
  using Code = CaptureError::Code;
  switch (e.code) {
    case Code::not_found: return tr(file ? "err.file_not_found" : "err.device_not_found", e.what);
    case Code::permission_denied: return tr(file ? "err.file_no_permission" : "err.device_no_permission", e.what);
    case Code::busy: return tr("err.device_busy", e.what);
    case Code::unreadable: return tr("err.file_unreadable", e.what);
    case Code::no_stream: return tr(e.stream == MediaKind::video ? "err.no_video_stream" : "err.no_audio_stream", e.what);
    case Code::unsupported_device: return tr("err.device_unsupported", e.what);
    case Code::other: break;
  }
  return tr("err.source_failed", e.what);
}

Session::Session(SessionOptions options, const SessionClock& clock) : options_(std::move(options)), clock_(clock) {}

Session::~Session() {
  bool started = false;
  {
    const std::lock_guard lock(lifecycle_mutex_);
    started = started_;
  }
  if (started) {
    request_stop();
    join();
  } else if (recorder_) {
    recorder_->discard();  // opened, never started: nothing recorded, no file left behind
  }
}

std::variant<CaptureRigOptions, SessionError> capture_rig_options(const SessionOptions& options) {
  auto video_spec = parse_source_spec(options.video_spec, MediaKind::video);
  if (std::holds_alternative<SpecError>(video_spec))
    return SessionError{exit_code::kUsage, tr("err.unknown_video_source", options.video_spec)};
  auto audio_spec = parse_source_spec(options.audio_spec, MediaKind::audio);
  if (std::holds_alternative<SpecError>(audio_spec))
    return SessionError{exit_code::kUsage, tr("err.unknown_audio_source", options.audio_spec)};
  // The camera is asked for its usual shape, long side across (a portrait frame is framed from
  // it, media/framing.h); a camera mounted sideways, for the shape it delivers.
  const VideoSettings camera = video_settings_for(options.quality);
  return CaptureRigOptions{std::get<SourceSpec>(video_spec), std::get<SourceSpec>(audio_spec), camera.width,
                           camera.height, camera.fps, AudioSettings{}.sample_rate, options.wait_for_devices};
}

std::variant<std::unique_ptr<CaptureRig>, SessionError> open_capture_rig(const CaptureRigOptions& options) {
  auto opened = CaptureRig::open(options);
  if (auto* e = std::get_if<CaptureRigError>(&opened)) return capture_error(e->error, *e->source);
  return std::move(std::get<std::unique_ptr<CaptureRig>>(opened));
}

std::variant<std::unique_ptr<Session>, SessionError> Session::create(const SessionOptions& options) {
  VideoSettings video = video_settings_for(options.quality, options.orientation);
  if (options.bitrate_kbps) video.bitrate_kbps = *options.bitrate_kbps;
  const AudioSettings audio;

  // Sources first: a missing camera is the likeliest problem and must not leave a file behind.
  auto wanted = capture_rig_options(options);
  if (auto* e = std::get_if<SessionError>(&wanted)) return std::move(*e);
  std::shared_ptr<CaptureRig> capture = options.capture;
  const bool borrowed = capture && capture->serves(std::get<CaptureRigOptions>(wanted));
  if (!borrowed) {
    auto opened = open_capture_rig(std::get<CaptureRigOptions>(wanted));
    if (auto* e = std::get_if<SessionError>(&opened)) return std::move(*e);
    capture = std::move(std::get<std::unique_ptr<CaptureRig>>(opened));
  }
  std::unique_ptr<Session> s(new Session(options, capture->clock()));
  s->capture_ = std::move(capture);
  s->own_capture_ = !borrowed;

  s->compositor_ =
      std::make_unique<Compositor>(video.width, video.height, s->capture_->colorspace(), options.framing);
  if (options.overlay_painter && options.showcase)
    s->overlay_painter_ = options.overlay_painter(OverlayTarget{options.showcase->overlay(), s->overlay_slot_,
                                                                s->clock_, video.width, video.height,
                                                                s->compositor_->colorspace(), options.images,
                                                                &s->slate_slot_});
  auto venc = VideoEncoder::open(video, s->compositor_->colorspace(), kVideoStream);
  if (auto* e = std::get_if<std::string>(&venc)) return SessionError{exit_code::kFailure, tr("err.encoder", *e)};
  s->video_encoder_ = std::move(std::get<std::unique_ptr<VideoEncoder>>(venc));
  auto aenc = AudioEncoder::open(audio, kAudioStream, options.audio_chain);
  if (auto* e = std::get_if<std::string>(&aenc)) return SessionError{exit_code::kFailure, tr("err.encoder", *e)};
  s->audio_encoder_ = std::move(std::get<std::unique_ptr<AudioEncoder>>(aenc));

  if (!options.recording.empty()) {
    auto recorder = Recorder::create(options.recording.string());
    if (auto* e = std::get_if<RecorderError>(&recorder)) {
      spdlog::error("[session] {}", e->detail);
      return SessionError{exit_code::kOutputFailed, tr("err.output_unwritable", options.recording.string())};
    }
    s->recorder_ = std::move(std::get<std::unique_ptr<Recorder>>(recorder));
  }
  if (!options.event_log.empty()) s->event_log_ = std::make_unique<EventLog>(options.event_log, s->clock_);

  s->fanout_.add(s->stats_);
  if (s->recorder_) s->fanout_.add(*s->recorder_);
  Session* self = s.get();
  std::vector<StreamOutput*> outputs;
  for (size_t i = 0; i < options.destinations.size(); ++i) {
    const Destination& d = options.destinations[i];
    av::register_secret(d.url.substr(d.display_url.size() - 4));  // the part the mask hides
    // The transport reports; the supervisor decides (it exists before any output thread runs).
    s->outputs_.push_back(std::make_unique<StreamOutput>(
        StreamOutput::Options{d.url, d.display_url, static_cast<int>(i + 1), options.ca_file}, s->clock_,
        [self, i] { self->request_keyframe(i); },
        [self, i](const LinkEvent& e) { self->supervisor_->on_link_event(i, e); }));
    outputs.push_back(s->outputs_.back().get());
    s->feeds_.push_back(std::make_unique<OutputFeed>(*s->outputs_.back()));
    s->fanout_.add(*s->feeds_.back());
  }
  if (std::string error = s->fanout_.open({s->video_encoder_->stream(), s->audio_encoder_->stream()}); !error.empty()) {
    spdlog::error("[session] {}", error);
    if (s->recorder_) s->recorder_->discard();
    s->recorder_.reset();
    return SessionError{exit_code::kOutputFailed, tr("err.output_failed", options.recording.string())};
  }
  Supervisor::Options so;
  so.adaptive_bitrate = options.adaptive_bitrate;
  so.audio_kbps = audio.bitrate_kbps;
  so.rotate_s = options.showcase_rotate_s;
  so.second_encode = options.second_encode;
  if (!options.uplink_memory.empty()) {
    const UplinkMemory memory(options.uplink_memory);
    for (const Destination& d : options.destinations)
      so.start_kbps.push_back(UplinkMemory::start_kbps(video.bitrate_kbps, memory.recall(destination_host(d.display_url))));
  }
  Supervisor::Hooks hooks;
  if (options.showcase) hooks.rotate = [showcase = options.showcase] { showcase->step(+1); };
  hooks.media_ended = options.on_media_end;
  hooks.watch = [self] { self->watch_local(); };
  hooks.own_encode = [self](size_t i, int kbps) { return self->start_own_encode(i, kbps); };
  hooks.own_encode_rate = [self](int kbps, int share) { self->set_own_encode_rate(kbps, share); };
  hooks.shared_encode = [self](size_t i) { self->end_own_encode(i); };
  s->supervisor_ = std::make_unique<Supervisor>(s->clock_, std::move(outputs), *s->video_encoder_,
                                                s->event_log_.get(), so, std::move(hooks));
  s->log(event::Encoder{1, video.width, video.height, video.fps, video.bitrate_kbps, options.destinations.size(),
                        !options.recording.empty()});
  s->audio_encoder_->connect(s->fanout_);
  s->video_pipeline_ = std::make_unique<VideoPipeline>(s->clock_, *s->compositor_, *s->video_encoder_, s->fanout_,
                                                        &s->overlay_slot_);
  s->video_pipeline_->set_slate(&s->slate_slot_);
  s->enhance_.set_settings(options.enhance);
  s->video_pipeline_->set_enhance(&s->enhance_);
  s->video_pipeline_->set_preview_mirrored(options.mirror_preview);
  return s;
}

void Session::start() {
  {
    const std::lock_guard lock(lifecycle_mutex_);
    if (started_) return;
    started_ = true;
  }
  if (event_log_) event_log_->start();
  fanout_.start();       // the recorder's and the outputs' threads
  supervisor_->start();  // connects every destination now, while the camera warms up
  if (options_.showcase) {
    Showcase& overlay = options_.showcase->overlay();
    overlay.set_placement(options_.card_placement);
    overlay.set_watermark(options_.shop_name);
  }
  if (overlay_painter_) overlay_painter_->start();
  video_pipeline_->start();  // its thread is up before tick 0, which it then never misses for starting late
  // The next captured picture and sound are the session's; a borrowed rig is running already.
  capture_->attach(video_pipeline_.get(), audio_encoder_.get());
  capture_->start();
  // A camera waited for (not open yet) has no picture to wait for: the session starts on the slate.
  if (!capture_->camera_lost() &&
      !video_pipeline_->wait_first_capture(std::chrono::steady_clock::now() + kFirstPictureTimeout))
    spdlog::warn("[session] no picture from {} yet; starting on black", options_.video_spec);
  // Time 0 is the first picture's capture: the one handed over from a running camera (at most
  // a frame period old), or the one just waited for.
  int64_t origin = clock_.now_us();
  const int64_t frame_us = 1'000'000 / video_encoder_->settings().fps;
  if (const auto first = video_pipeline_->newest_capture_us(); first && *first <= origin && origin - *first < frame_us)
    origin = *first;
  origin_us_.store(origin);
  if (event_log_) event_log_->set_origin(origin);
  std::optional<double> since_request_ms;
  if (options_.requested_at) since_request_ms = static_cast<double>(origin - clock_.to_us(*options_.requested_at)) / 1e3;
  log(event::Sources{!own_capture_, since_request_ms});
  for (auto& output : outputs_) output->set_media_origin(origin);
  audio_encoder_->set_origin(origin);
  video_pipeline_->begin(origin);
  if (options_.duration_s) {
    const auto end_us = static_cast<int64_t>(*options_.duration_s * 1e6);
    {
      const std::lock_guard lock(lifecycle_mutex_);
      planned_end_us_ = end_us;
    }
    video_pipeline_->set_end(origin + end_us);  // exact to the frame, whatever the caller
    audio_encoder_->set_end(origin + end_us);
    supervisor_->plan_end(origin + end_us);
  }
  {
    const std::lock_guard lock(story_mutex_);
    if (options_.orders) orders_at_start_ = options_.orders->tally();
  }
  // The card chosen before going live is the session's first; the one asked for on the command
  // line (or the rotation's first) goes up now, or when the product list arrives.
  if (ProductShowcase* showcase = options_.showcase) {
    showcase->set_observer(this);
    const std::optional<Product> shown = showcase->presented();
    if (shown) on_presented(shown);
    if (options_.showcase_product) showcase->present_when_listed(*options_.showcase_product);
    else if (options_.showcase_rotate_s > 0 && !shown) showcase->present_when_listed("");
  }
}

int64_t Session::elapsed_us() const {
  const int64_t origin = origin_us_.load();
  return origin < 0 ? 0 : clock_.now_us() - origin;
}

void Session::request_stop() {
  int64_t end_us = 0;
  {
    const std::lock_guard lock(lifecycle_mutex_);
    if (!started_ || stopping_) return;
    stopping_ = true;
    end_us = elapsed_us();
    if (planned_end_us_ >= 0) end_us = std::min(end_us, planned_end_us_);
    planned_end_us_ = end_us;
  }
  const int64_t origin = origin_us_.load();
  video_pipeline_->set_end(origin + end_us);
  audio_encoder_->set_end(origin + end_us);
}

void Session::join() {
  {
    const std::lock_guard lock(lifecycle_mutex_);
    if (joined_ || !started_) return;
  }
  request_stop();
  int64_t end_us = 0;
  {
    const std::lock_guard lock(lifecycle_mutex_);
    if (joined_) return;
    joined_ = true;
    end_us = planned_end_us_;
  }
  // Shutdown order:
  // 0. The showcase stops reporting to this session: a card changed after the end belongs to
  //    no recording.
  if (options_.showcase) options_.showcase->set_observer(nullptr);
  // 1. The video thread encodes its last tick, flushes and exits; the overlay stops drawing.
  video_pipeline_->join();
  if (overlay_painter_) {
    overlay_painter_->request_stop();
    overlay_painter_->join();
  }
  // 2. The audio source normally reaches the end within a buffer; if not (a device lagging or
  //    gone) the rest is silence, so audio and video end together.
  if (!audio_encoder_->wait_finished(std::chrono::steady_clock::now() + kAudioCatchUp)) audio_encoder_->finish();
  // 3. The sources' frames stop coming here (nothing downstream wants them any more); sources
  //    of the session's own stop, a borrowed rig runs on for its owner.
  capture_->detach(video_pipeline_.get(), audio_encoder_.get());
  if (own_capture_) capture_->stop();
  // 4. The supervisor stops: no reconnect or bitrate change for media that has ended.
  supervisor_->request_stop();
  supervisor_->join();
  //    A slow destination's own encode sends its last pictures.
  {
    const std::lock_guard lock(own_mutex_);
    if (own_encode_) own_encode_->stop();
  }
  // 5. Sinks drain and finalise: each destination gets a second to send what it holds, the
  //    recording's trailer is written.
  fanout_.close();
  // 6. The event log's last lines, written before its thread ends.
  const std::vector<DestinationStats> destinations = supervisor_->destinations();
  for (size_t i = 0; i < outputs_.size(); ++i) {
    const StreamOutput::Latency latency = outputs_[i]->latency();
    const OutputStatus& st = destinations[i].status;
    log(event::DestinationSummary{i + 1, st.connections, st.drops, st.bytes_sent, latency.p50_ms, latency.p95_ms,
                                  st.key_was_rejected});
  }
  log(event::Finished{static_cast<double>(end_us) / 1e6, video_pipeline_->frames_encoded(),
                      video_pipeline_->frames_dropped()});
  if (event_log_) {
    event_log_->request_stop();
    event_log_->join();
  }
  // 7. The summary, beside the recording; what each uplink sustained, for the next stream.
  write_summary(end_us);
  remember_uplinks();
  spdlog::info("[session] finished at {:.3f} s", static_cast<double>(end_us) / 1e6);
}

void Session::write_summary(int64_t end_us) {
  SessionSummary& s = summary_;
  s.recording = options_.recording;
  s.practice = options_.practice;
  s.duration_s = static_cast<double>(end_us) / 1e6;
  s.frames_dropped = video_pipeline_->frames_dropped();
  s.recording_failed = recorder_ && recorder_->failed();
  s.recording_until_s = recorder_ ? (s.recording_failed ? static_cast<double>(recorder_->written_until_us()) / 1e6
                                                        : s.duration_s)
                                  : 0;
  s.camera_losses = camera_losses_.load();
  s.encoder_restarts = video_encoder_->restarts();
  s.encoder_failed = video_encoder_->failed();
  s.mic_losses = mic_losses_.load();
  s.event_lines_lost = event_log_ ? event_log_->lost_lines() : 0;
  const std::vector<DestinationStats> destinations = supervisor_->destinations();
  for (size_t i = 0; i < destinations.size(); ++i) {
    const DestinationStats& d = destinations[i];
    const StreamOutput::Latency latency = outputs_[i]->latency();
    s.network_drops += d.status.drops;
    s.reconnects += std::max<int64_t>(0, d.status.connections - 1);
    s.destinations.push_back({d.display_url, d.attempts, d.failures, d.status.connections,
                              static_cast<double>(d.live_us) / 1e6, d.status.bytes_sent, d.status.drops,
                              d.status.key_was_rejected,
                              d.status.last_failure == OutputFailure::none ? "" : to_string(d.status.last_failure),
                              latency.p50_ms, latency.p95_ms});
  }
  {
    const std::lock_guard lock(story_mutex_);
    const Tally sold = options_.orders ? orders_at_start_.gained_by(options_.orders->tally()) : Tally{};
    ProductShowcase* showcase = options_.showcase;
    story_.fill(s, end_us, sold, [showcase](const std::string& id) { return showcase ? showcase->title_of(id) : id; });
  }
  if (options_.recording.empty() && options_.event_log.empty()) return;
  const std::filesystem::path path = summary_path(options_.recording, options_.event_log);
  if (save_summary(path, s)) {
    summary_file_ = path;
    spdlog::info("[session] summary saved as {}", path.string());
  }
}

void Session::remember_uplinks() {
  if (options_.uplink_memory.empty()) return;
  UplinkMemory memory(options_.uplink_memory);
  for (const DestinationStats& d : supervisor_->destinations()) {
    // A few seconds live are too few to know a link by (a stream cut short, a key refused).
    if (d.measured_us < kUplinkMeasuredAtLeastUs || d.sustained_kbps <= 0) continue;
    memory.remember(destination_host(d.display_url), UplinkRecord{d.sustained_kbps, d.limited});
  }
}

void Session::on_feed_event(const FeedEvent& event) {
  // Buyers and viewers are masked by the platform; the log keeps ids and amounts, not names.
  if (const auto* o = std::get_if<NewOrder>(&event)) {
    if (options_.showcase)
      options_.showcase->overlay().add_order(o->order, options_.showcase->title_of(o->order.product_id),
                                             clock_.now_us());
    log(event::Order{o->order.id, o->order.product_id, o->order.quantity, o->order.amount_cents,
                     o->order.currency});
  } else if (const auto* c = std::get_if<NewComment>(&event)) {
    log(event::Comment{c->comment.id, c->comment.text});
  } else if (const auto* st = std::get_if<FeedStateChanged>(&event)) {
    log(event::Feed{feed_state_name(st->status.state)});
  }
}

void Session::on_presented(const std::optional<Product>& product) {
  {
    const std::lock_guard lock(story_mutex_);
    story_.presented(product ? std::optional<std::string>(product->id) : std::nullopt, elapsed_us());
  }
  log(event::Showcase{product ? std::optional<std::string>(product->id) : std::nullopt});
  if (product && options_.platform) options_.platform->showcase(product->id);
  supervisor_->presented(clock_.now_us());
}

void Session::on_missing(const std::string& product_id) { log(event::ShowcaseMissing{product_id}); }

bool Session::start_own_encode(size_t i, int kbps) {
  auto opened = SecondEncode::open(*video_encoder_, *feeds_[i], kbps);
  if (auto* error = std::get_if<std::string>(&opened)) {
    spdlog::error("[session] no second encode: {}", *error);
    return false;
  }
  std::shared_ptr<SecondEncode> own = std::move(std::get<std::unique_ptr<SecondEncode>>(opened));
  own->start();
  {
    const std::lock_guard lock(own_mutex_);
    own_encode_ = own;
    own_dest_ = i;
  }
  own_failure_told_ = false;
  video_pipeline_->set_second(std::move(own));  // from the next tick, on its first keyframe
  return true;
}

void Session::set_own_encode_rate(int kbps, int frame_share) {
  const std::lock_guard lock(own_mutex_);
  if (!own_encode_) return;
  own_encode_->set_bitrate_kbps(kbps);
  own_encode_->set_frame_share(frame_share);
}

void Session::end_own_encode(size_t) {
  // The video thread hands the destination back at its next tick; watch_own_encode() then ends
  // the second encode.
  const std::lock_guard lock(own_mutex_);
  if (own_encode_) own_encode_->end();
}

void Session::watch_own_encode() {
  std::shared_ptr<SecondEncode> done;
  {
    const std::lock_guard lock(own_mutex_);
    if (!own_encode_) return;
    if (own_encode_->failed() && !own_failure_told_) {
      own_failure_told_ = true;  // the video thread hands the destination back to the shared encoder
      supervisor_->own_encode_failed();
    }
    if (!feeds_[own_dest_]->on_second()) done = std::move(own_encode_);
  }
  if (!done) return;
  video_pipeline_->set_second(nullptr);
  done->stop();
  spdlog::info("[session] second encode ended ({} frames)", done->frames_encoded());
}

void Session::request_keyframe(size_t i) {
  {
    const std::lock_guard lock(own_mutex_);
    if (own_encode_ && own_dest_ == i && feeds_[i]->on_second()) {
      own_encode_->request_keyframe();
      return;
    }
  }
  video_encoder_->request_keyframe();
}

void Session::watch_local() {
  watch_own_encode();
  auto changed = [this](bool now, bool& seen, const char* what, std::atomic<int>* losses) {
    if (now == seen) return;
    seen = now;
    if (now && losses) losses->fetch_add(1);
    log(event::Local{what, now ? "lost" : "back", std::nullopt});
  };
  changed(capture_->camera_lost(), local_seen_.camera_lost, "camera", &camera_losses_);
  if (capture_->separate_microphone()) changed(capture_->mic_lost(), local_seen_.mic_lost, "mic", &mic_losses_);
  if (const int restarts = video_encoder_->restarts(); restarts != local_seen_.encoder_restarts) {
    local_seen_.encoder_restarts = restarts;
    encoder_restarted_us_.store(clock_.now_us());
    log(event::Local{"encoder", "restarted", std::nullopt});
  }
  if (video_encoder_->failed() && !local_seen_.encoder_failed) {
    // No picture can be made any more: the session ends here, as if its time were up, and the
    // host is told why.
    local_seen_.encoder_failed = true;
    log(event::Local{"encoder", "failed", std::nullopt});
    if (options_.on_media_end) options_.on_media_end();
  }
  if (recorder_ && recorder_->failed() && !local_seen_.recording_failed) {
    local_seen_.recording_failed = true;
    log(event::Local{"recording", "failed", static_cast<double>(recorder_->written_until_us()) / 1e6});
  }
}

SessionStats Session::stats() const {
  SessionStats st;
  st.practice = options_.practice;
  st.elapsed_us = elapsed_us();
  st.frames_encoded = video_pipeline_->frames_encoded();
  st.frames_dropped = video_pipeline_->frames_dropped();
  st.bytes_encoded = stats_.total_bytes();
  st.camera_lost = capture_->camera_lost();
  st.mic_lost = capture_->mic_lost();
  st.recording_failed = recorder_ && recorder_->failed();
  if (st.recording_failed) st.recording_until_us = recorder_->written_until_us();
  st.encoder_restarts = video_encoder_->restarts();
  st.encoder_restarted_us = encoder_restarted_us_.load();
  st.encoder_failed = video_encoder_->failed();
  if (options_.orders) {
    const Tally now = options_.orders->tally();
    const std::lock_guard lock(story_mutex_);
    const Tally gained = orders_at_start_.gained_by(now);
    st.orders = gained.total.orders;
    st.order_cents = gained.total.cents;
  }
  st.video_kbps = video_encoder_->bitrate_kbps();
  st.video_fps = video_encoder_->fps_now();
  st.preset_fps = video_encoder_->settings().fps;
  st.target_kbps = video_encoder_->settings().bitrate_kbps;
  st.now_us = clock_.now_us();
  st.mic = audio_encoder_->level().read(st.now_us);
  st.destinations = supervisor_->destinations();
  st.off_air_us = supervisor_->off_air_us();
  return st;
}

Tally Session::orders_at_start() const {
  const std::lock_guard lock(story_mutex_);
  return orders_at_start_;
}

}  // namespace cunbo
