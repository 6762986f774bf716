#include "client/session/session.h"

#include <chrono>
#include <utility>

#include <spdlog/spdlog.h>

#include "client/base/exit_codes.h"
#include "client/base/strings.h"

namespace cunbo {

namespace {

constexpr int kVideoStream = 0;
constexpr int kAudioStream = 1;
constexpr auto kFirstPictureTimeout = std::chrono::seconds(2);
constexpr auto kAudioCatchUp = std::chrono::milliseconds(500);

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

SessionError capture_error(const CaptureError& e, const SourceSpec& spec, MediaKind kind) {
  const bool file = spec.kind == SourceSpec::Kind::file;
  spdlog::error("[session] cannot open {}: {}", spec.text, e.detail);
  using Code = CaptureError::Code;
  switch (e.code) {
    case Code::not_found:
      return {exit_code::kSourceFailed, tr(file ? "err.file_not_found" : "err.device_not_found", e.what)};
    case Code::permission_denied:
      return {exit_code::kSourceFailed, tr(file ? "err.file_no_permission" : "err.device_no_permission", e.what)};
    case Code::busy: return {exit_code::kSourceFailed, tr("err.device_busy", e.what)};
    case Code::unreadable: return {exit_code::kSourceFailed, tr("err.file_unreadable", e.what)};
    case Code::no_stream:
      return {exit_code::kSourceFailed,
              tr(kind == MediaKind::video ? "err.no_video_stream" : "err.no_audio_stream", e.what)};
    case Code::unsupported_device: return {exit_code::kSourceFailed, tr("err.device_unsupported", e.what)};
    case Code::other: break;
  }
  return {exit_code::kSourceFailed, tr("err.source_failed", e.what)};
}

}  // namespace

Session::Session(SessionOptions options) : options_(std::move(options)) {}

Session::~Session() {
  if (started_ && !finished_) finish(elapsed_us());
}

std::variant<std::unique_ptr<Session>, SessionError> Session::create(const SessionOptions& options) {
  std::unique_ptr<Session> s(new Session(options));
  VideoSettings video = video_settings_for(options.quality);
  if (options.bitrate_kbps) video.bitrate_kbps = *options.bitrate_kbps;
  const AudioSettings audio;

  // Sources first: a missing camera is the likeliest problem and must not leave a file behind.
  auto video_spec = parse_source_spec(options.video_spec, MediaKind::video);
  if (std::holds_alternative<SpecError>(video_spec))
    return SessionError{exit_code::kUsage, tr("err.unknown_video_source", options.video_spec)};
  auto audio_spec = parse_source_spec(options.audio_spec, MediaKind::audio);
  if (std::holds_alternative<SpecError>(audio_spec))
    return SessionError{exit_code::kUsage, tr("err.unknown_audio_source", options.audio_spec)};

  CaptureOptions vopt{std::get<SourceSpec>(video_spec), MediaKind::video, video.width, video.height, video.fps,
                      audio.sample_rate};
  auto vsource = CaptureSource::open(vopt, s->clock_);
  if (auto* e = std::get_if<CaptureError>(&vsource)) return capture_error(*e, vopt.spec, MediaKind::video);
  s->video_source_ = std::move(std::get<std::unique_ptr<CaptureSource>>(vsource));

  CaptureOptions aopt{std::get<SourceSpec>(audio_spec), MediaKind::audio, video.width, video.height, video.fps,
                      audio.sample_rate};
  auto asource = CaptureSource::open(aopt, s->clock_);
  if (auto* e = std::get_if<CaptureError>(&asource)) return capture_error(*e, aopt.spec, MediaKind::audio);
  s->audio_source_ = std::move(std::get<std::unique_ptr<CaptureSource>>(asource));

  s->compositor_ = std::make_unique<Compositor>(video.width, video.height, s->video_source_->colorspace());
  s->showcase_.set_placement(options.card_placement);
  if (!options.shop_name.empty()) s->showcase_.set_watermark(options.shop_name);
  if (options.overlay_painter)
    s->overlay_painter_ = options.overlay_painter(OverlayTarget{s->showcase_, s->overlay_slot_, s->clock_, video.width,
                                                                video.height, s->compositor_->colorspace()});
  auto venc = VideoEncoder::open(video, s->compositor_->colorspace(), kVideoStream);
  if (auto* e = std::get_if<std::string>(&venc)) return SessionError{exit_code::kFailure, tr("err.encoder", *e)};
  s->video_encoder_ = std::move(std::get<std::unique_ptr<VideoEncoder>>(venc));
  auto aenc = AudioEncoder::open(audio, kAudioStream);
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
  Session* self = s.get();
  if (!options.event_log.empty())
    s->event_log_ = std::make_unique<EventLog>(options.event_log, [self] { return self->started_ ? self->elapsed_us() : 0; });

  s->fanout_.add(s->stats_);
  if (s->recorder_) s->fanout_.add(*s->recorder_);
  for (size_t i = 0; i < options.destinations.size(); ++i) {
    const Destination& d = options.destinations[i];
    av::register_secret(d.url.substr(d.display_url.size() - 4));  // the part the mask hides
    auto on_state = [self, i, url = d.display_url](const OutputStatus& st) {
      if (!self->event_log_) return;
      nlohmann::json e = {{"event", "state"}, {"dest", i + 1}, {"url", url}, {"state", to_string(st.state)}};
      if (st.last_failure != OutputFailure::none) e["reason"] = to_string(st.last_failure);
      if (st.state == OutputState::reconnecting) {
        e["attempt"] = st.attempt;
        e["retry_in_s"] = std::max<double>(0, static_cast<double>(st.retry_at_us - self->clock_.now_us()) / 1e6);
      }
      self->event_log_->write(std::move(e));
    };
    s->outputs_.push_back(std::make_unique<StreamOutput>(StreamOutput::Options{d.url, d.display_url}, s->clock_,
                                                         [self] { self->video_encoder_->request_keyframe(); },
                                                         std::move(on_state)));
    s->measures_.push_back(Measure{BitrateController(video.bitrate_kbps)});
    s->fanout_.add(*s->outputs_.back());
  }
  if (std::string error = s->fanout_.open({s->video_encoder_->stream(), s->audio_encoder_->stream()}); !error.empty()) {
    spdlog::error("[session] {}", error);
    if (s->recorder_) s->recorder_->discard();
    return SessionError{exit_code::kOutputFailed, tr("err.output_failed", options.recording.string())};
  }
  if (s->event_log_)
    s->event_log_->write({{"event", "encoder"}, {"video_encoders", 1}, {"width", video.width},
                          {"height", video.height}, {"fps", video.fps}, {"kbps", video.bitrate_kbps},
                          {"destinations", options.destinations.size()}, {"recording", !options.recording.empty()}});
  s->audio_encoder_->connect(s->fanout_);
  s->video_pipeline_ = std::make_unique<VideoPipeline>(s->clock_, *s->compositor_, *s->video_encoder_, s->fanout_,
                                                        &s->overlay_slot_);
  return s;
}

void Session::start() {
  started_ = true;
  // The card asked for on the command line is up from the first frame when the product list
  // is already known (the practice catalog, the platform's cached list); else it goes up
  // when the list arrives.
  {
    const std::lock_guard lock(products_mutex_);
    pending_showcase_ = options_.showcase_product;
    if (!pending_showcase_ && options_.showcase_rotate_s > 0) pending_showcase_ = "";  // the first product
  }
  if (options_.feed) update_products(options_.feed->products());
  if (overlay_painter_) overlay_painter_->start();
  video_source_->start(*video_pipeline_);
  audio_source_->start(*audio_encoder_);
  if (!video_pipeline_->wait_first_capture(std::chrono::steady_clock::now() + kFirstPictureTimeout))
    spdlog::warn("[session] no picture from {} yet; starting on black", options_.video_spec);
  origin_us_ = clock_.now_us();
  for (auto& output : outputs_) output->set_media_origin(origin_us_);
  audio_encoder_->set_origin(origin_us_);
  video_pipeline_->start(origin_us_);
  // On the feed's threads: count, and log what the session report will read.
  if (options_.feed && options_.feed_owned_by_session)
    options_.feed->start([this](const FeedEvent& event) { on_feed_event(event); });
}

void Session::on_feed_event(const FeedEvent& event) {
  // Buyers and viewers are masked by the platform; the log keeps ids and amounts, not names.
  if (const auto* o = std::get_if<NewOrder>(&event)) {
    showcase_.add_order(o->order, product_title(o->order.product_id), clock_.now_us());
    orders_.fetch_add(1);
    order_cents_.fetch_add(o->order.amount_cents);
    if (event_log_)
      event_log_->write({{"event", "order"}, {"id", o->order.id}, {"product_id", o->order.product_id},
                         {"quantity", o->order.quantity}, {"amount_cents", o->order.amount_cents},
                         {"currency", o->order.currency}});
  } else if (const auto* c = std::get_if<NewComment>(&event)) {
    if (event_log_) event_log_->write({{"event", "comment"}, {"id", c->comment.id}, {"text", c->comment.text}});
  } else if (const auto* p = std::get_if<ProductsUpdated>(&event)) {
    update_products(p->products);
  } else if (const auto* st = std::get_if<FeedStateChanged>(&event)) {
    if (event_log_) event_log_->write({{"event", "feed"}, {"state", feed_state_name(st->status.state)}});
  }
}

int64_t Session::elapsed_us() const { return clock_.now_us() - origin_us_; }

void Session::end_at(int64_t end_us) {
  if (!started_) return;
  video_pipeline_->set_end(origin_us_ + end_us);
  audio_encoder_->set_end(origin_us_ + end_us);
}

void Session::finish(int64_t end_us) {
  if (finished_ || !started_) return;
  finished_ = true;
  // Shutdown order:
  // 0. The feed stops first: orders after the end belong to no recording.
  //    A feed the session does not own keeps running for its owner (who stops handing over
  //    its events before calling this).
  if (options_.feed) {
    options_.feed->end_session();  // a platform's live room closes with the stream
    if (options_.feed_owned_by_session) {
      options_.feed->request_stop();
      options_.feed->join();
    }
  }
  // 1. Both encoders learn where the media ends; the video thread encodes its last tick,
  //    flushes and exits.
  end_at(end_us);
  video_pipeline_->join();
  if (overlay_painter_) {
    overlay_painter_->request_stop();
    overlay_painter_->join();
  }
  // 2. The audio source normally reaches the end within a buffer; if not (a device lagging or
  //    gone) the rest is silence, so audio and video end together.
  if (!audio_encoder_->wait_finished(std::chrono::steady_clock::now() + kAudioCatchUp)) audio_encoder_->finish();
  // 3. Sources stop (nothing downstream wants their frames any more).
  video_source_->request_stop();
  audio_source_->request_stop();
  video_source_->join();
  audio_source_->join();
  // 4. Sinks drain and finalise: each destination gets a second to send what it holds, the
  //    recording's trailer is written.
  fanout_.close();
  if (event_log_) {
    for (size_t i = 0; i < outputs_.size(); ++i) {
      const OutputStatus st = outputs_[i]->status();
      const StreamOutput::Latency latency = outputs_[i]->latency();
      event_log_->write({{"event", "summary"}, {"dest", i + 1}, {"connections", st.connections},
                         {"drops", st.drops}, {"bytes", st.bytes_sent}, {"latency_p50_ms", latency.p50_ms},
                         {"latency_p95_ms", latency.p95_ms}, {"key_rejected", st.key_was_rejected}});
    }
    event_log_->write({{"event", "finished"}, {"end_s", static_cast<double>(end_us) / 1e6},
                       {"frames", video_pipeline_->frames_encoded()}, {"dropped", video_pipeline_->frames_dropped()}});
  }
  spdlog::info("[session] finished at {:.3f} s", static_cast<double>(end_us) / 1e6);
}

void Session::tick() {
  if (!started_ || finished_) return;
  if (options_.showcase_rotate_s > 0) {
    bool due = false;
    {
      const std::lock_guard lock(products_mutex_);
      due = clock_.now_us() - presented_at_us_ >= static_cast<int64_t>(options_.showcase_rotate_s * 1e6);
    }
    if (due) step_product(+1);
  }
  // Half a second: long enough to average out packet bursts, short enough that the bitrate
  // follows a link that just got worse before the queue reaches the drop thresholds.
  constexpr int64_t kWindowUs = 500'000;
  const int64_t now = clock_.now_us();
  bool measured = false;
  for (size_t i = 0; i < outputs_.size(); ++i) {
    Measure& m = measures_[i];
    const OutputStatus st = outputs_[i]->status();
    if (m.window_start_us == 0) {
      m.window_start_us = now;
      m.window_bytes = st.bytes_sent;
      m.window_frames = st.video_frames_sent;
      continue;
    }
    if (now - m.window_start_us < kWindowUs) continue;
    measured = true;
    m.kbps = static_cast<int>((st.bytes_sent - m.window_bytes) * 8 * 1000 / (now - m.window_start_us));
    m.fps = static_cast<double>(st.video_frames_sent - m.window_frames) * 1e6 /
            static_cast<double>(now - m.window_start_us);
    m.window_start_us = now;
    m.window_bytes = st.bytes_sent;
    m.window_frames = st.video_frames_sent;
    const bool connected = st.state == OutputState::live || st.state == OutputState::congested;
    if (options_.adaptive_bitrate && connected)
      (void)m.abr.on_tick(now, st.queue_ms, m.kbps, AudioSettings{}.bitrate_kbps);
    if (event_log_) {
      event_log_->write({{"event", "queue"}, {"dest", i + 1}, {"ms", st.queue_ms}, {"kbps", m.kbps},
                         {"state", to_string(st.state)}});
      if (st.drops != m.drops_logged) event_log_->write({{"event", "drop"}, {"dest", i + 1}, {"count", st.drops}});
    }
    m.drops_logged = st.drops;
  }
  if (!measured || !options_.adaptive_bitrate || outputs_.empty()) return;
  // One encoder feeds every destination: it follows the one with the worst link.
  std::vector<int> rates;
  for (const Measure& m : measures_) rates.push_back(m.abr.bitrate_kbps());
  const int kbps = BitrateController::follow_worst(video_encoder_->settings().bitrate_kbps, rates);
  if (kbps != video_encoder_->bitrate_kbps()) {
    video_encoder_->set_bitrate_kbps(kbps);
    if (event_log_) event_log_->write({{"event", "bitrate"}, {"kbps", kbps}});
  }
}

std::vector<Product> Session::products() const {
  const std::lock_guard lock(products_mutex_);
  return products_;
}

std::string Session::product_title(const std::string& product_id) const {
  const std::lock_guard lock(products_mutex_);
  for (const Product& p : products_)
    if (p.id == product_id) return p.title;
  return product_id;  // a product the list does not have (yet): its id is better than nothing
}

void Session::update_products(const std::vector<Product>& products) {
  if (products.empty()) return;  // not loaded yet
  std::string vocabulary;
  for (const Product& p : products) {
    vocabulary += p.title + '\n';
    for (const std::string& tag : p.tags) vocabulary += tag + '\n';
  }
  showcase_.set_vocabulary(std::move(vocabulary));
  std::optional<std::string> wanted;
  std::optional<Product> refreshed;
  const std::optional<Product> shown = showcase_.presented();
  {
    const std::lock_guard lock(products_mutex_);
    products_ = products;
    wanted = std::exchange(pending_showcase_, std::nullopt);
    if (shown)
      for (const Product& p : products_)
        if (p.id == shown->id) refreshed = p;
  }
  // New price or stock for the product on screen: the card follows, the platform knows it.
  if (refreshed) showcase_.present(*refreshed);
  if (!wanted) return;
  if (wanted->empty()) {
    step_product(+1);
  } else if (!present(*wanted)) {
    spdlog::warn("[session] product {} is not in the product list; no card shown", *wanted);
    if (event_log_) event_log_->write({{"event", "showcase_missing"}, {"product_id", *wanted}});
  }
}

bool Session::present(const std::string& product_id) {
  std::optional<Product> found;
  {
    const std::lock_guard lock(products_mutex_);
    for (const Product& p : products_)
      if (p.id == product_id) found = p;
    if (!found) return false;
    presented_at_us_ = clock_.now_us();
  }
  showcase_.present(*found);
  if (options_.feed) options_.feed->showcase(product_id);
  if (event_log_) event_log_->write({{"event", "showcase"}, {"product_id", product_id}});
  spdlog::info("[session] presenting {}", product_id);
  return true;
}

void Session::hide_product() {
  if (!showcase_.presented()) return;
  showcase_.hide();
  if (event_log_) event_log_->write({{"event", "showcase"}, {"product_id", nullptr}});
}

void Session::step_product(int delta) {
  std::string next;
  {
    const std::lock_guard lock(products_mutex_);
    if (products_.empty()) return;
    const auto n = static_cast<int64_t>(products_.size());
    const std::optional<Product> shown = showcase_.presented();
    int64_t index = delta > 0 ? -1 : n;  // nothing shown: the first (or last) one
    for (int64_t i = 0; shown && i < n; ++i)
      if (products_[static_cast<size_t>(i)].id == shown->id) index = i;
    index = ((index + delta) % n + n) % n;
    next = products_[static_cast<size_t>(index)].id;
  }
  (void)present(next);
}

void Session::reconnect_now() {
  for (auto& output : outputs_) output->reconnect_now();
}

SessionStats Session::stats() const {
  SessionStats st;
  st.elapsed_us = started_ ? elapsed_us() : 0;
  st.frames_encoded = video_pipeline_->frames_encoded();
  st.frames_dropped = video_pipeline_->frames_dropped();
  st.bytes_encoded = stats_.total_bytes();
  st.camera_lost = video_source_->device_lost();
  st.mic_lost = audio_source_->device_lost();
  st.recording_failed = recorder_ && recorder_->failed();
  st.orders = orders_.load();
  st.order_cents = order_cents_.load();
  st.video_kbps = video_encoder_->bitrate_kbps();
  st.target_kbps = video_encoder_->settings().bitrate_kbps;
  st.now_us = clock_.now_us();
  st.mic = audio_encoder_->level().read(st.now_us);
  for (size_t i = 0; i < outputs_.size(); ++i)
    st.destinations.push_back({outputs_[i]->display_url(), outputs_[i]->status(), measures_[i].kbps, measures_[i].fps});
  return st;
}

}  // namespace cunbo
