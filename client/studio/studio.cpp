#include "client/studio/studio.h"

#include <algorithm>
#include <system_error>
#include <utility>

#include <spdlog/spdlog.h>

#include "client/config/settings.h"
#include "client/studio/session_setup.h"
#include "client/studio/studio_impl.h"
#include "media/thread_name.h"

namespace cunbo {

namespace {

// The one place the settings reach the disk (0600, atomic, other keys kept). A file that could
// not be used was kept aside: `kept` then says where, for the host.
std::optional<std::string> store_config(const std::filesystem::path& path, const Config& config,
                                        std::optional<KeptAside>& kept) {
  if (auto error = save_config_file(path, config, &kept)) {
    spdlog::error("[studio] settings not saved: {} ({})", error->id, error->detail);
    return config_error_text(*error);
  }
  return std::nullopt;
}

}  // namespace

Studio::Impl::Impl(StudioOptions opts)
    : options(std::move(opts)),
      devices(options.list_devices),
      probe(options.probe),
      uplink(options.uplink),
      feed_per_session(options.feed_source == StudioOptions::FeedSource::per_session) {
  config = options.config;
  practice = options.practice;
  message = options.startup_message;
  std::error_code ec;
  needs_setup = options.config_path.empty() || !std::filesystem::exists(options.config_path, ec);
}

void Studio::Impl::post(std::function<void()> job) {
  {
    const std::lock_guard lock(jobs_mutex);
    jobs.push_back(std::move(job));
  }
  jobs_cv.notify_one();
}

void Studio::Impl::run_worker() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(jobs_mutex);
      jobs_cv.wait(lock, [this] { return stopping || !jobs.empty(); });
      if (jobs.empty()) return;  // stopping, and every job done
      job = std::move(jobs.front());
      jobs.pop_front();
    }
    job();
  }
}

std::shared_ptr<Session> Studio::Impl::live_session() const {
  const std::lock_guard lock(mutex);
  return state == StudioState::live ? session : nullptr;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

Studio::Studio(StudioOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Studio::~Studio() {
  request_stop();
  join();
}

void Studio::start() {
  Impl& m = *impl_;
  if (m.worker.joinable()) return;
  m.images.start();
  if (m.feed_per_session) {
    // The caller's feed: its list (a catalog) is there at once; it runs with each session.
    m.feed = m.options.session_feed;
    {
      const std::lock_guard lock(m.mutex);
      m.feed_is_platform = m.feed && m.options.session_feed_is_platform;
    }
    if (m.feed) m.showcase.set_products(m.feed->products(), false);
  } else {
    m.replace_feed();  // starts at once: the products are there when the window first draws
  }
  m.worker = std::thread([impl = impl_.get()] {
    name_this_thread("studio");
    impl->run_worker();
  });
  m.post([impl = impl_.get()] { impl->open_preview(); });
}

void Studio::request_stop() {
  Impl& m = *impl_;
  {
    const std::lock_guard lock(m.mutex);
    if (m.state == StudioState::starting) m.end_requested = true;
    if (m.state == StudioState::live) {
      m.state = StudioState::ending;
      m.post([impl = impl_.get()] { impl->finish_live(); });
    }
  }
  {
    const std::lock_guard lock(m.jobs_mutex);
    m.stopping = true;
  }
  m.jobs_cv.notify_all();
}

void Studio::join() {
  // Shutdown order: a live (or starting) session ends first, on the worker, its recording
  // finalised; the worker finishes its queue and exits; then the feed stops, then the images.
  Impl& m = *impl_;
  if (m.worker.joinable()) m.worker.join();
  m.close_preview(true);
  if (m.feed) {
    m.feed->request_stop();
    m.feed->join();
  }
  m.images.request_stop();
  m.images.join();
}

// ---------------------------------------------------------------------------------------------
// The snapshot

StudioSnapshot Studio::snapshot() const {
  const Impl& m = *impl_;
  StudioSnapshot s;
  std::shared_ptr<Session> live;
  std::optional<Tally> totals_from;
  {
    const std::lock_guard lock(m.mutex);
    s.state = m.state;
    s.practice = m.practice;
    s.record = m.record;
    s.feed_state = m.feed_state;
    s.message = m.message;
    s.failure = m.failure;
    s.last_summary = m.last_summary;
    s.last_stats = m.last_stats;
    s.needs_setup = m.needs_setup;
    s.configured_destinations = m.config.destinations.size();
    s.platform_configured = m.config.api && m.config.token && !m.config.token->empty();
    s.mirror_preview = preview_mirrored(m.config);
    if (m.state == StudioState::live) live = m.session;
    totals_from = m.totals_from;
    s.camera_on = m.camera_on;
    s.camera_problem = m.camera_problem;
    s.camera_opening = m.options.idle_preview && m.state == StudioState::idle && m.camera_on && !m.camera_problem &&
                       !m.idle;
    if (m.idle && !live) {
      s.previewing = true;
      s.mic = mic_level_of(m.idle->mic());
      s.device_waiting = m.idle->unopened();
    }
  }
  s.products = m.showcase.products();
  s.products_cached = m.showcase.cached();
  s.presented_id = m.showcase.presented_id();
  s.orders = m.orders.orders();
  s.comments = m.orders.comments();
  s.orders_seen = m.orders.orders_seen();
  const Tally all = m.orders.tally();
  const Tally tally = totals_from ? totals_from->gained_by(all) : all;
  s.order_count = tally.total.orders;
  s.item_count = tally.total.items;
  s.gmv_cents = tally.total.cents;
  if (live) {
    SessionStats stats = live->stats();
    s.live_elapsed_us = std::max<int64_t>(0, stats.elapsed_us);
    for (const DestinationStats& d : stats.destinations) s.destinations.push_back(health_of(d, stats.now_us));
    s.mic = mic_level_of(stats.mic);
    s.frames_dropped = stats.frames_dropped;
    s.air = air_state_of(stats, stats.practice);
    s.off_air_us = stats.off_air_us;
    s.off_air_alarm = !stats.practice && stats.off_air_us >= kOffAirAlarmUs;
    s.off_air_reason_id = off_air_reason(stats);
    s.session = std::move(stats);
  }
  return s;
}

av::Frame Studio::latest_preview(int64_t* capture_us) {
  if (std::shared_ptr<Session> s = impl_->live_session()) return s->preview().latest(capture_us);
  std::shared_ptr<IdlePreview> idle;
  {
    const std::lock_guard lock(impl_->mutex);
    if (impl_->state == StudioState::idle || impl_->state == StudioState::starting) idle = impl_->idle;
  }
  return idle ? idle->preview().latest(capture_us) : av::Frame();
}

// ---------------------------------------------------------------------------------------------
// Actions

void Studio::set_practice(bool on) {
  {
    const std::lock_guard lock(impl_->mutex);
    if (impl_->state != StudioState::idle || impl_->practice == on || impl_->feed_per_session) return;
    impl_->practice = on;
    ++impl_->feed_generation;  // the old feed's last events are dropped from now on
  }
  // The lists belong to the feed being replaced: gone at once, the new feed fills them.
  impl_->clear_feed_lists();
  impl_->post([impl = impl_.get()] { impl->replace_feed(); });
}

void Studio::set_record(bool on) {
  const std::lock_guard lock(impl_->mutex);
  if (impl_->state == StudioState::idle) impl_->record = on;
}

void Studio::set_camera(bool on) {
  {
    const std::lock_guard lock(impl_->mutex);
    if (impl_->state != StudioState::idle || impl_->camera_on == on) return;
    impl_->camera_on = on;
  }
  impl_->post([impl = impl_.get()] { impl->open_preview(); });
}

bool Studio::Impl::begin_starting() {
  const std::lock_guard lock(mutex);
  if (state != StudioState::idle) return false;
  go_live_at = std::chrono::steady_clock::now();
  state = StudioState::starting;
  message.reset();
  failure.reset();
  last_summary.reset();
  end_requested = false;
  return true;
}

void Studio::go_live() {
  if (impl_->begin_starting()) impl_->post([impl = impl_.get()] { impl->start_live(std::nullopt); });
}

void Studio::go_live(SessionOptions session) {
  if (!impl_->begin_starting()) return;
  impl_->post([impl = impl_.get(), so = std::move(session)]() mutable { impl->start_live(std::move(so)); });
}

void Studio::end_live() {
  const std::lock_guard lock(impl_->mutex);
  if (impl_->state == StudioState::starting) {
    impl_->end_requested = true;
  } else if (impl_->state == StudioState::live) {
    impl_->state = StudioState::ending;
    impl_->post([impl = impl_.get()] { impl->finish_live(); });
  }
}

void Studio::reconnect_now() {
  if (std::shared_ptr<Session> s = impl_->live_session()) s->reconnect_now();
}

void Studio::dismiss_message() {
  const std::lock_guard lock(impl_->mutex);
  impl_->message.reset();
}

void Studio::present(const std::string& product_id) {
  {
    const std::lock_guard lock(impl_->mutex);
    if (impl_->state == StudioState::ending) return;
  }
  (void)impl_->showcase.present(product_id);
}

void Studio::hide_product() {
  {
    const std::lock_guard lock(impl_->mutex);
    if (impl_->state == StudioState::ending) return;
  }
  impl_->showcase.hide();
}

void Studio::step_product(int delta) {
  {
    const std::lock_guard lock(impl_->mutex);
    if (impl_->state == StudioState::ending) return;
  }
  impl_->showcase.step(delta);
}

Config Studio::config() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->config;
}

std::optional<std::string> Studio::save_config(const Config& config) {
  std::optional<KeptAside> kept;
  if (auto error = store_config(impl_->options.config_path, config, kept)) return error;
  bool replace = false;
  {
    const std::lock_guard lock(impl_->mutex);
    if (kept) impl_->message = config_kept_aside_text(kept->problem, kept->kept);
    const bool platform_changed = impl_->config.api != config.api || impl_->config.token != config.token;
    impl_->config = config;
    impl_->config.readable_by_others = false;  // just written 0600
    impl_->needs_setup = false;
    if (platform_changed && !impl_->practice && !impl_->feed_per_session) {
      if (impl_->state == StudioState::idle) replace = true;
      else impl_->feed_stale = true;
    }
  }
  if (replace) impl_->post([impl = impl_.get()] { impl->replace_feed(); });
  // The idle preview follows the new settings (the camera reopened only when it changed).
  impl_->post([impl = impl_.get()] { impl->open_preview(); });
  // 降噪, the mic gain, 补光, 美颜 and the framing reach a live stream at once; everything else
  // (the orientation too: the resolution never changes mid-stream), the next one.
  if (std::shared_ptr<Session> s = impl_->live_session()) {
    s->set_audio_chain(AudioChainSettings{config.denoise.value_or(true), config.mic_gain.value_or(0)});
    s->set_enhance(enhance_settings(config));
    s->set_framing(configured_framing(config, s->orientation()));
    s->set_preview_mirrored(preview_mirrored(config));
  }
  return std::nullopt;
}

ImageLoader& Studio::images() { return impl_->images; }
DeviceLister& Studio::devices() { return impl_->devices; }
ProbeRunner& Studio::probe() { return impl_->probe; }
UplinkRunner& Studio::uplink() { return impl_->uplink; }

}  // namespace cunbo
