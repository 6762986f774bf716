#include "client/studio/studio.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <random>
#include <system_error>
#include <utility>

#include <spdlog/spdlog.h>

#include "client/base/console.h"
#include "client/base/exit_codes.h"
#include "client/platform/feed_factory.h"
#include "client/platform/http_platform.h"
#include "client/platform/product_cache.h"
#include "client/studio/session_setup.h"
#include "client/session/session_summary.h"
#include "client/config/settings.h"
#include "client/base/strings.h"

namespace cunbo {

namespace {

// Session housekeeping at most this often, however fast the window draws.
constexpr int64_t kTickIntervalUs = 250'000;
constexpr int64_t kSilentAfterUs = 5'000'000;
constexpr int64_t kClipShownUs = 2'000'000;

int64_t steady_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The one place the settings reach the disk (0600, atomic, other keys kept).
std::optional<std::string> store_config(const std::filesystem::path& path, const Config& config) {
  if (auto error = save_config_file(path, config)) {
    spdlog::error("[studio] settings not saved: {} ({})", error->id, error->detail);
    return config_error_text(*error);
  }
  return std::nullopt;
}

DestinationHealth health_of(const DestinationStats& d, int64_t now_us) {
  DestinationHealth h;
  h.display_url = d.display_url;
  h.kbps = d.kbps;
  h.fps = d.fps;
  h.drops = d.status.drops;
  using Kind = DestinationHealth::Kind;
  switch (d.status.state) {
    case OutputState::connecting: h.kind = Kind::connecting; break;
    case OutputState::live: h.kind = Kind::good; break;
    case OutputState::congested: h.kind = Kind::congested; break;
    case OutputState::reconnecting:
      h.kind = Kind::reconnecting;
      h.attempt = d.status.attempt;
      h.retry_in_s = static_cast<int>((std::max<int64_t>(0, d.status.retry_at_us - now_us) + 999'999) / 1'000'000);
      break;
    case OutputState::key_rejected: h.kind = Kind::key_rejected; break;
    case OutputState::stopped: h.kind = Kind::connecting; break;
  }
  return h;
}

}  // namespace

struct Studio::Impl {
  explicit Impl(StudioOptions opts);

  // ---- Worker thread: jobs run in order; the feed and the session's start and finish live here.
  void post(std::function<void()> job);
  void run_worker();
  void replace_feed();          // worker
  void start_live();            // worker
  void finish_live();           // worker
  void fail_start(std::string message);

  // ---- Feed events (the feed's threads).
  void on_feed_event(uint64_t generation, const FeedEvent& event);
  // With mutex held.
  [[nodiscard]] std::string title_locked(const std::string& product_id) const;
  void note_presented_locked(const std::optional<std::string>& id, int64_t elapsed_us);
  void clear_feed_lists_locked();
  [[nodiscard]] std::shared_ptr<Session> live_session() const;

  const StudioOptions options;
  const int64_t epoch_us = steady_now_us();  // the studio clock's 0 (OrderLine::at_us)

  // ---- The model the snapshot copies. Guarded by mutex.
  mutable std::mutex mutex;
  Config config;
  StudioState state = StudioState::idle;
  bool practice = false;
  bool record = true;
  std::vector<Product> products;
  bool products_cached = false;
  bool fresh_products = false;  // the feed gave its own list (the cache is no longer shown)
  bool cache_tried = false;     // the offline cache was read for this feed
  bool feed_is_platform = false;
  FeedState feed_state = FeedState::connecting;
  std::optional<std::string> presented_id;
  std::deque<OrderLine> orders;
  std::deque<CommentLine> comments;
  int64_t order_count = 0;
  int64_t item_count = 0;
  int64_t gmv_cents = 0;
  uint64_t orders_seen = 0;
  std::vector<DestinationHealth> destinations;
  MicLevel mic;
  int64_t frames_dropped = 0;
  std::optional<std::string> message;
  std::optional<SessionSummary> last_summary;
  bool needs_setup = false;
  uint64_t feed_generation = 0;  // events of a replaced feed are dropped
  bool feed_stale = false;       // the platform settings changed while live: new feed after the session
  bool end_requested = false;    // end_live() (or the destructor) while starting
  std::shared_ptr<Session> session;  // from live until the end of ending
  SessionStory story;  // the live session's, for its summary
  std::filesystem::path live_event_log;

  // ---- The feed: the worker's (and the constructor's, the destructor's after the worker ended).
  std::shared_ptr<PlatformFeed> feed;

  // ---- The live session's share of the feed's events (feed threads vs the worker).
  std::mutex forward_mutex;
  std::shared_ptr<Session> forward_to;

  // ---- Session::tick / stats vs Session::finish: the worker holds it while finishing; tick()
  //      only tries it, so the window never waits for a recording to be finalised.
  std::mutex session_ops_mutex;
  int64_t next_tick_us = 0;  // guarded by session_ops_mutex

  std::mutex jobs_mutex;
  std::condition_variable jobs_cv;
  std::deque<std::function<void()>> jobs;  // guarded by jobs_mutex
  bool stopping = false;                   // guarded by jobs_mutex
  std::thread worker;
};

Studio::Impl::Impl(StudioOptions opts) : options(std::move(opts)) {
  config = options.config;
  practice = options.practice;
  std::error_code ec;
  needs_setup = options.config_path.empty() || !std::filesystem::exists(options.config_path, ec);
}

// ---------------------------------------------------------------------------------------------
// Worker

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

void Studio::Impl::clear_feed_lists_locked() {
  products.clear();
  products_cached = false;
  fresh_products = false;
  cache_tried = false;
  feed_state = FeedState::connecting;
  orders.clear();
  comments.clear();
  order_count = 0;
  item_count = 0;
  gmv_cents = 0;
}

void Studio::Impl::replace_feed() {
  if (feed) {
    feed->request_stop();
    feed->join();
    feed.reset();
  }
  Config cfg;
  bool practice_on = false;
  uint64_t generation = 0;
  {
    const std::lock_guard lock(mutex);
    cfg = config;
    practice_on = practice;
    generation = ++feed_generation;
    feed_stale = false;
    clear_feed_lists_locked();
  }
  const bool platform = !practice_on && cfg.api && cfg.token && !cfg.token->empty() &&
                        !HttpPlatform::base_url_problem(*cfg.api);
  std::shared_ptr<PlatformFeed> made;
  if (platform) {
    made = make_http_feed(HttpFeedSettings{*cfg.api, *cfg.token, options.version});
  } else {
    // The sample catalog: practice makes up buyers; a real stream without a platform shows the
    // products for the cards but never an order nobody placed.
    PracticeFeedSettings settings;
    settings.seed = options.practice_seed.value_or(static_cast<uint64_t>(std::random_device{}()));
    if (practice_on) {
      if (options.practice_orders_per_minute) settings.orders_per_minute = *options.practice_orders_per_minute;
    } else {
      settings.orders_per_minute = 0;
      settings.comments_per_minute = 0;
    }
    auto practice_feed = make_practice_feed(settings);
    if (auto* error = std::get_if<std::string>(&practice_feed)) {
      spdlog::warn("[studio] no sample catalog: {}", *error);
      const std::lock_guard lock(mutex);
      feed_is_platform = false;
      feed_state = FeedState::stopped;
      message = tr("studio.catalog_missing");
      return;
    }
    made = std::move(std::get<std::unique_ptr<PlatformFeed>>(practice_feed));
  }
  {
    const std::lock_guard lock(mutex);
    feed_is_platform = platform;
  }
  spdlog::info("[studio] feed: {}", platform ? "platform" : practice_on ? "practice" : "sample catalog");
  feed = std::move(made);
  feed->start([this, generation](const FeedEvent& event) { on_feed_event(generation, event); });
}

void Studio::Impl::fail_start(std::string text) {
  spdlog::warn("[studio] not live: {}", text);
  const std::lock_guard lock(mutex);
  state = StudioState::idle;
  end_requested = false;
  message = std::move(text);
}

void Studio::Impl::start_live() {
  Config cfg;
  bool practice_on = false;
  bool record_on = true;
  bool platform = false;
  std::optional<std::string> presented;
  {
    const std::lock_guard lock(mutex);
    cfg = config;
    practice_on = practice;
    record_on = record;
    platform = feed_is_platform;
    presented = presented_id;
  }

  SessionOptions so;
  CaptureFlags flags;
  flags.video = options.video_spec;
  flags.audio = options.audio_spec;
  flags.overlay_painter = options.overlay_painter;
  flags.showcase = presented;
  auto resolved = resolve_capture_flags(flags, cfg, so);
  if (auto* err = std::get_if<SessionError>(&resolved)) return fail_start(err->message);
  so.feed = feed;
  so.feed_owned_by_session = false;  // the studio's feed runs before, during and after

  std::optional<std::string> warning;
  if (practice_on) {
    auto path = choose_recording_path(std::nullopt, cfg, "practice");
    if (auto* err = std::get_if<SessionError>(&path)) return fail_start(err->message);
    so.recording = std::get<std::filesystem::path>(path);
  } else {
    auto configured = config_destinations(cfg);
    if (auto* err = std::get_if<SessionError>(&configured)) return fail_start(err->message);
    so.destinations = std::move(std::get<std::vector<Destination>>(configured));
    if (platform && feed) {
      PlatformSessionOutcome outcome = start_platform_session(*feed, so.destinations);
      if (outcome.error) {
        return fail_start(outcome.error->exit_code == exit_code::kLoginRequired ? tr("studio.login_required")
                                                                                : outcome.error->message);
      }
      warning = outcome.warning;
    }
    if (so.destinations.empty()) return fail_start(tr("studio.no_destination"));
    if (record_on) {
      auto path = choose_recording_path(std::nullopt, cfg, "live");
      if (auto* err = std::get_if<SessionError>(&path)) {
        if (platform && feed) feed->end_session();
        return fail_start(err->message);
      }
      so.recording = std::get<std::filesystem::path>(path);
    }
  }
  so.event_log = so.recording.empty() ? unrecorded_event_log("live")
                                      : std::filesystem::path(so.recording.string() + ".events.jsonl");

  auto created = Session::create(so);
  if (auto* err = std::get_if<SessionError>(&created)) {
    if (platform && feed) feed->end_session();  // the platform's live room closes again
    return fail_start(err->message);
  }
  std::shared_ptr<Session> s = std::move(std::get<std::unique_ptr<Session>>(created));
  s->start();
  {
    const std::lock_guard lock(forward_mutex);
    forward_to = s;
  }
  bool card_changed = false;  // a card chosen (or hidden) while starting
  std::optional<std::string> wanted;
  bool end_now = false;
  {
    const std::lock_guard lock(mutex);
    session = s;
    state = StudioState::live;
    live_event_log = so.event_log;
    story = {};
    destinations.clear();
    mic = {};
    frames_dropped = 0;
    if (warning) message = *warning;
    card_changed = presented_id != presented;
    wanted = presented_id;
    end_now = end_requested;
    if (end_now) state = StudioState::ending;
  }
  if (card_changed) {
    if (wanted) (void)s->present(*wanted);
    else s->hide_product();
  }
  {
    const std::optional<Product> shown = s->showcase().presented();
    const std::lock_guard lock(mutex);
    note_presented_locked(shown ? std::optional<std::string>(shown->id) : std::nullopt, 0);
  }
  spdlog::info("[studio] live ({})", practice_on ? "practice" : "stream");
  if (end_now) finish_live();
}

void Studio::Impl::finish_live() {
  std::shared_ptr<Session> s;
  bool practice_on = false;
  {
    const std::lock_guard lock(mutex);
    s = session;
    practice_on = practice;
    state = StudioState::ending;
  }
  if (!s) return;
  // Shutdown order: the session stops getting the feed's events (orders after the end belong
  // to no recording), then finishes (the recording is final when it returns), then the summary
  // is written from what the studio counted while it ran.
  {
    const std::lock_guard lock(forward_mutex);
    forward_to.reset();
  }
  int64_t end_us = 0;
  SessionStats stats;
  {
    const std::lock_guard lock(session_ops_mutex);
    end_us = s->elapsed_us();
    s->finish(end_us);
    stats = s->stats();
  }

  SessionSummary summary;
  summary.recording = s->recording_path();
  summary.practice = practice_on;
  summary.duration_s = static_cast<double>(end_us) / 1e6;
  summary.frames_dropped = stats.frames_dropped;
  for (const DestinationStats& d : stats.destinations) {
    summary.network_drops += d.status.drops;
    summary.reconnects += std::max<int64_t>(0, d.status.connections - 1);
  }
  std::filesystem::path event_log;
  bool refresh_feed = false;
  {
    const std::lock_guard lock(mutex);
    story.fill(summary, end_us, [this](const std::string& id) { return title_locked(id); });
    event_log = live_event_log;
  }
  // Beside the recording; without one, beside the event log in the state folder.
  const std::filesystem::path saved_as = summary_path(summary.recording, event_log);
  if (save_summary(saved_as, summary)) spdlog::info("[studio] summary saved as {}", saved_as.string());
  {
    const std::lock_guard lock(mutex);
    session.reset();
    state = StudioState::idle;
    end_requested = false;
    last_summary = std::move(summary);
    destinations.clear();
    mic = {};
    refresh_feed = feed_stale;
  }
  s.reset();  // the pipeline's last parts go here, on the worker
  spdlog::info("[studio] session ended after {:.1f} s", static_cast<double>(end_us) / 1e6);
  if (refresh_feed) replace_feed();
}

// ---------------------------------------------------------------------------------------------
// Feed events

std::string Studio::Impl::title_locked(const std::string& product_id) const {
  for (const Product& p : products)
    if (p.id == product_id) return p.title;
  return product_id;
}

void Studio::Impl::note_presented_locked(const std::optional<std::string>& id, int64_t elapsed_us) {
  presented_id = id;
  if (state != StudioState::live && state != StudioState::ending) return;
  story.presented(id, elapsed_us);
}

void Studio::Impl::on_feed_event(uint64_t generation, const FeedEvent& event) {
  bool load_cache = false;
  std::optional<std::vector<Product>> to_save;
  {
    const std::lock_guard lock(mutex);
    if (generation != feed_generation) return;  // a replaced feed's last words
    const int64_t now_us = steady_now_us() - epoch_us;
    if (const auto* p = std::get_if<ProductsUpdated>(&event)) {
      if (!p->cached || !fresh_products) {
        products = p->products;
        products_cached = p->cached;
        fresh_products = fresh_products || !p->cached;
        if (!p->cached && feed_is_platform) to_save = p->products;
      }
    } else if (const auto* o = std::get_if<NewOrder>(&event)) {
      orders.push_front(OrderLine{o->order, title_locked(o->order.product_id), now_us});
      if (orders.size() > kMaxLines) orders.pop_back();
      ++order_count;
      item_count += o->order.quantity;
      gmv_cents += o->order.amount_cents;
      ++orders_seen;
      if (state == StudioState::live) story.sold(o->order);
    } else if (const auto* c = std::get_if<NewComment>(&event)) {
      comments.push_front(CommentLine{c->comment, now_us});
      if (comments.size() > kMaxLines) comments.pop_back();
    } else if (const auto* st = std::get_if<FeedStateChanged>(&event)) {
      feed_state = st->status.state;
      // Unreachable before any list came: the one kept from last time, marked as such.
      if (feed_state == FeedState::offline_retrying && feed_is_platform && !fresh_products && !cache_tried) {
        cache_tried = true;
        load_cache = true;
      }
    }
  }
  if (to_save) {
    post([list = std::move(*to_save)] { (void)save_products(product_cache_path(), list); });
  }
  if (load_cache) {
    if (auto cached = load_products(product_cache_path())) {
      const std::lock_guard lock(mutex);
      if (generation == feed_generation && !fresh_products) {
        products = std::move(cached->products);
        products_cached = true;
      }
    }
  }
  const std::lock_guard lock(forward_mutex);
  if (forward_to) forward_to->on_feed_event(event);
}

std::shared_ptr<Session> Studio::Impl::live_session() const {
  const std::lock_guard lock(mutex);
  return state == StudioState::live ? session : nullptr;
}

// ---------------------------------------------------------------------------------------------
// The facade

Studio::Studio(StudioOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->replace_feed();  // starts at once: the products are there when the window first draws
  impl_->worker = std::thread([impl = impl_.get()] { impl->run_worker(); });
}

Studio::~Studio() {
  // Shutdown order: a live (or starting) session ends first, on the worker, recording
  // finalised; the worker finishes its queue and exits; then the feed stops.
  {
    const std::lock_guard lock(impl_->mutex);
    if (impl_->state == StudioState::starting) impl_->end_requested = true;
    if (impl_->state == StudioState::live) {
      impl_->state = StudioState::ending;
      impl_->post([impl = impl_.get()] { impl->finish_live(); });
    }
  }
  {
    const std::lock_guard lock(impl_->jobs_mutex);
    impl_->stopping = true;
  }
  impl_->jobs_cv.notify_all();
  if (impl_->worker.joinable()) impl_->worker.join();
  if (impl_->feed) {
    impl_->feed->request_stop();
    impl_->feed->join();
  }
}

StudioSnapshot Studio::snapshot() const {
  const Impl& m = *impl_;
  StudioSnapshot s;
  std::shared_ptr<Session> live;
  {
    const std::lock_guard lock(m.mutex);
    s.state = m.state;
    s.practice = m.practice;
    s.record = m.record;
    s.products = m.products;
    s.products_cached = m.products_cached;
    s.feed_state = m.feed_state;
    s.presented_id = m.presented_id;
    s.orders.assign(m.orders.begin(), m.orders.end());
    s.order_count = m.order_count;
    s.item_count = m.item_count;
    s.gmv_cents = m.gmv_cents;
    s.orders_seen = m.orders_seen;
    s.comments.assign(m.comments.begin(), m.comments.end());
    s.destinations = m.destinations;
    s.mic = m.mic;
    s.frames_dropped = m.frames_dropped;
    s.message = m.message;
    s.last_summary = m.last_summary;
    s.needs_setup = m.needs_setup;
    if (m.state == StudioState::live) live = m.session;
  }
  if (live) s.live_elapsed_us = std::max<int64_t>(0, live->elapsed_us());
  return s;
}

av::Frame Studio::latest_preview(int64_t* capture_us) {
  std::shared_ptr<Session> s = impl_->live_session();
  if (!s) return {};
  return s->preview().latest(capture_us);
}

void Studio::set_practice(bool on) {
  {
    const std::lock_guard lock(impl_->mutex);
    if (impl_->state != StudioState::idle || impl_->practice == on) return;
    impl_->practice = on;
    // The lists belong to the feed being replaced: gone at once, the new feed fills them.
    impl_->clear_feed_lists_locked();
    ++impl_->feed_generation;
  }
  impl_->post([impl = impl_.get()] { impl->replace_feed(); });
}

void Studio::set_record(bool on) {
  const std::lock_guard lock(impl_->mutex);
  if (impl_->state == StudioState::idle) impl_->record = on;
}

void Studio::go_live() {
  {
    const std::lock_guard lock(impl_->mutex);
    if (impl_->state != StudioState::idle) return;
    impl_->state = StudioState::starting;
    impl_->message.reset();
    impl_->last_summary.reset();
    impl_->end_requested = false;
  }
  impl_->post([impl = impl_.get()] { impl->start_live(); });
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
  if (std::shared_ptr<Session> s = impl_->live_session()) {
    if (!s->present(product_id)) return;
    const std::lock_guard lock(impl_->mutex);
    impl_->note_presented_locked(product_id, s->elapsed_us());
    return;
  }
  const std::lock_guard lock(impl_->mutex);
  if (impl_->state == StudioState::ending) return;
  for (const Product& p : impl_->products)
    if (p.id == product_id) impl_->presented_id = product_id;  // goes up at go-live
}

void Studio::hide_product() {
  if (std::shared_ptr<Session> s = impl_->live_session()) {
    s->hide_product();
    const std::lock_guard lock(impl_->mutex);
    impl_->note_presented_locked(std::nullopt, s->elapsed_us());
    return;
  }
  const std::lock_guard lock(impl_->mutex);
  if (impl_->state != StudioState::ending) impl_->presented_id.reset();
}

void Studio::step_product(int delta) {
  if (delta == 0) return;
  if (std::shared_ptr<Session> s = impl_->live_session()) {
    s->step_product(delta);
    const std::lock_guard lock(impl_->mutex);
    const std::optional<Product> shown = s->showcase().presented();
    impl_->note_presented_locked(shown ? std::optional<std::string>(shown->id) : std::nullopt, s->elapsed_us());
    return;
  }
  // Idle: the same walk as the session's, over the list shown.
  const std::lock_guard lock(impl_->mutex);
  const std::vector<Product>& list = impl_->products;
  if (list.empty() || impl_->state == StudioState::ending) return;
  const auto n = static_cast<int64_t>(list.size());
  int64_t index = delta > 0 ? -1 : n;
  for (int64_t i = 0; impl_->presented_id && i < n; ++i)
    if (list[static_cast<size_t>(i)].id == *impl_->presented_id) index = i;
  index = ((index + delta) % n + n) % n;
  impl_->presented_id = list[static_cast<size_t>(index)].id;
}

Config Studio::config() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->config;
}

std::optional<std::string> Studio::save_config(const Config& config) {
  if (auto error = store_config(impl_->options.config_path, config)) return error;
  bool replace = false;
  {
    const std::lock_guard lock(impl_->mutex);
    const bool platform_changed = impl_->config.api != config.api || impl_->config.token != config.token;
    impl_->config = config;
    impl_->config.readable_by_others = false;  // just written 0600
    impl_->needs_setup = false;
    if (platform_changed && !impl_->practice) {
      if (impl_->state == StudioState::idle) replace = true;
      else impl_->feed_stale = true;
    }
  }
  if (replace) impl_->post([impl = impl_.get()] { impl->replace_feed(); });
  return std::nullopt;
}

void Studio::tick() {
  Impl& m = *impl_;
  std::unique_lock ops(m.session_ops_mutex, std::try_to_lock);
  if (!ops) return;  // the session is being finished
  const int64_t now = steady_now_us();
  if (now < m.next_tick_us) return;
  m.next_tick_us = now + kTickIntervalUs;
  std::shared_ptr<Session> s = m.live_session();
  if (!s) return;
  s->tick();
  const SessionStats stats = s->stats();
  ops.unlock();

  std::vector<DestinationHealth> health;
  for (const DestinationStats& d : stats.destinations) health.push_back(health_of(d, stats.now_us));
  MicLevel mic;
  mic.peak_dbfs = stats.mic.peak_dbfs;
  mic.rms_dbfs = stats.mic.rms_dbfs;
  mic.silent = stats.mic.quiet_us > kSilentAfterUs;
  mic.clipping = stats.mic.since_clip_us >= 0 && stats.mic.since_clip_us <= kClipShownUs;

  const std::lock_guard lock(m.mutex);
  if (m.state != StudioState::live || m.session != s) return;
  m.destinations = std::move(health);
  m.mic = mic;
  m.frames_dropped = stats.frames_dropped;
  // A card the session put up by itself (the product list arrived after go-live). Read under
  // the lock, so a card the host just chose is not overwritten by an older reading.
  const std::optional<Product> shown = s->showcase().presented();
  m.note_presented_locked(shown ? std::optional<std::string>(shown->id) : std::nullopt, s->elapsed_us());
}

}  // namespace cunbo
