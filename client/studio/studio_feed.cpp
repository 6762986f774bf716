// The studio's feed: the platform (its products, orders, comments; the product list kept on
// disk for when it is unreachable) or the practice simulator over the sample catalog. Its events
// go to their one owner (products and the card: the ProductShowcase; orders and comments: the
// OrderBook) and, while live, to the session (banners and log lines).
#include <random>

#include <spdlog/spdlog.h>

#include "client/base/strings.h"
#include "client/platform/feed_factory.h"
#include "client/platform/http_platform.h"
#include "client/platform/product_cache.h"
#include "client/studio/studio_impl.h"
#include "media/session_clock.h"

namespace cunbo {

void Studio::Impl::clear_feed_lists() {
  orders.clear();
  showcase.forget_products();
  const std::lock_guard lock(mutex);
  fresh_products = false;
  cache_tried = false;
  feed_state = FeedState::connecting;
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
  }
  clear_feed_lists();
  const bool platform = !practice_on && cfg.api && cfg.token && !cfg.token->empty() &&
                        !HttpPlatform::base_url_problem(*cfg.api);
  std::shared_ptr<PlatformFeed> made;
  if (platform) {
    made = make_http_feed(HttpFeedSettings{*cfg.api, *cfg.token, options.version});
  } else {
    // The sample catalog, for the list and the cards: never an order nobody placed. Practice's
    // made-up buyers come only while a practice session runs (practice_session_feed()).
    PracticeFeedSettings settings;
    settings.orders_per_minute = 0;
    settings.comments_per_minute = 0;
    auto catalog = make_practice_feed(settings);
    if (auto* error = std::get_if<std::string>(&catalog)) {
      spdlog::warn("[studio] no sample catalog: {}", *error);
      const std::lock_guard lock(mutex);
      feed_is_platform = false;
      feed_state = FeedState::stopped;
      message = tr("studio.catalog_missing");
      return;
    }
    made = std::move(std::get<std::unique_ptr<PlatformFeed>>(catalog));
  }
  {
    const std::lock_guard lock(mutex);
    feed_is_platform = platform;
  }
  spdlog::info("[studio] feed: {}", platform ? "platform" : practice_on ? "practice" : "sample catalog");
  feed = std::move(made);
  feed->start([this, generation](const FeedEvent& event) { on_feed_event(generation, event); });
}

std::shared_ptr<PlatformFeed> Studio::Impl::practice_session_feed() {
  PracticeFeedSettings settings;
  settings.seed = options.practice_seed.value_or(static_cast<uint64_t>(std::random_device{}()));
  if (options.practice_orders_per_minute) settings.orders_per_minute = *options.practice_orders_per_minute;
  auto made = make_practice_feed(settings);
  if (auto* error = std::get_if<std::string>(&made)) {
    spdlog::warn("[studio] no simulated buyers: {}", *error);
    return nullptr;
  }
  return std::move(std::get<std::unique_ptr<PlatformFeed>>(made));
}

void Studio::Impl::on_feed_event(uint64_t generation, const FeedEvent& event) {
  bool load_cache = false;
  bool save_list = false;
  {
    const std::lock_guard lock(mutex);
    if (generation != feed_generation) return;  // a replaced feed's last words
    if (const auto* p = std::get_if<ProductsUpdated>(&event)) {
      if (p->cached && fresh_products) return;  // an older list than the one shown
      fresh_products = fresh_products || !p->cached;
      save_list = !p->cached && feed_is_platform;
    } else if (const auto* st = std::get_if<FeedStateChanged>(&event)) {
      feed_state = st->status.state;
      // Unreachable before any list came: the one kept from last time, marked as such.
      if (feed_state == FeedState::offline_retrying && feed_is_platform && !fresh_products && !cache_tried) {
        cache_tried = true;
        load_cache = true;
      }
    }
  }
  if (const auto* p = std::get_if<ProductsUpdated>(&event)) {
    showcase.set_products(p->products, p->cached);
    if (save_list) post([list = p->products] { (void)save_products(product_cache_path(), list); });
  } else if (const auto* o = std::get_if<NewOrder>(&event)) {
    orders.add_order(o->order, showcase.title_of(o->order.product_id), steady_now_us());
  } else if (const auto* c = std::get_if<NewComment>(&event)) {
    orders.add_comment(c->comment, steady_now_us());
  }
  if (load_cache) {
    if (auto cached = load_products(product_cache_path())) {
      bool still_wanted = false;
      {
        const std::lock_guard lock(mutex);
        still_wanted = generation == feed_generation && !fresh_products;
      }
      if (still_wanted) showcase.set_products(std::move(cached->products), true);
    }
  }
  const std::lock_guard lock(forward_mutex);
  if (forward_to) forward_to->on_feed_event(event);
}

}  // namespace cunbo
