// What viewers see on top of the picture: the product being presented (the card) and a short
// banner for each new order. The session owns it and changes it (the CLI's --showcase, the
// practice rotation, the window's buttons); the overlay painter (ui/) reads views of it and
// redraws when they change.
//
// Banners: each one slides in, stays, slides out, kBannerUs in all; orders arriving while one
// is up wait their turn, and when kBurstOrders or more are waiting as a banner ends they become
// one "刚刚有 8 人下单" banner rather than a queue that lags the sales by minutes.
//
// Time is the session clock (µs), passed in, so the schedule is unit-tested without waiting.
// Thread-safe: the feed's threads add orders, the session's caller presents products, the
// painter's thread reads views and waits for changes.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "client/config/card_placement.h"
#include "client/platform/platform_feed.h"

namespace cunbo {

// The banner line for orders, always in Chinese (viewers read it): "张** 刚刚下单 永顺辣椒酱 ×2".
[[nodiscard]] std::string order_banner_text(const Order& order, const std::string& product_title);
[[nodiscard]] std::string burst_banner_text(int orders);

// One banner's place in time.
struct BannerView {
  std::string text;
  float progress = 0;  // 0: out of sight … 1: fully in (sliding in, then out again)
};

// The banner schedule alone (not thread-safe; Showcase guards it).
class BannerQueue {
 public:
  static constexpr int64_t kBannerUs = 4'000'000;
  static constexpr int64_t kSlideInUs = 150'000;
  static constexpr int64_t kSlideOutUs = 300'000;
  static constexpr int kBurstOrders = 3;
  // While a banner moves the picture changes every frame; the painter need not redraw more
  // often than the video's frame rate.
  static constexpr int64_t kAnimationStepUs = 1'000'000 / 30;

  void add(std::string text, int64_t now_us);
  // The banner up at `now_us` (times must not go backwards), or none.
  [[nodiscard]] std::optional<BannerView> at(int64_t now_us);
  // When the banner picture will next change by itself (animation step, a banner ending); a
  // time far in the future when nothing is up or waiting.
  [[nodiscard]] int64_t next_change_us(int64_t now_us);

 private:
  struct Pending {
    std::string text;
    int64_t arrived_us = 0;
  };
  void advance(int64_t now_us);

  std::deque<Pending> pending_;
  std::optional<Pending> current_;
  int64_t current_start_us_ = 0;
};

struct ShowcaseView {
  uint64_t version = 0;  // changes with every present / hide / order / setting
  std::optional<Product> card;
  std::optional<BannerView> banner;
  std::string watermark;
  CardPlacement placement = CardPlacement::bottom_left;
  int64_t next_change_us = 0;  // see BannerQueue::next_change_us
  // Text the overlay is likely to show soon (the product list's titles and tags, one per
  // line): the painter prepares its glyphs ahead, so a banner does not wait for them.
  std::shared_ptr<const std::string> vocabulary;
};

class Showcase {
 public:
  void present(const Product& product);
  void hide();
  [[nodiscard]] std::optional<Product> presented() const;
  void set_placement(CardPlacement placement);
  void set_watermark(std::string text);
  void set_vocabulary(std::string text);
  void add_order(const Order& order, const std::string& product_title, int64_t now_us);
  // Something a view is drawn with changed outside the showcase (a picture arrived): wakes
  // the waiting painter as a change would.
  void touch();

  [[nodiscard]] ShowcaseView view(int64_t now_us);
  // Waits until the version differs from `seen`, `until` passes or `stop` is requested.
  void wait_for_change(uint64_t seen, std::chrono::steady_clock::time_point until, std::stop_token stop);

 private:
  void changed();  // with mutex_ held

  mutable std::mutex mutex_;
  std::condition_variable_any wake_;
  uint64_t version_ = 1;
  std::optional<Product> card_;
  std::string watermark_;
  std::shared_ptr<const std::string> vocabulary_ = std::make_shared<const std::string>();
  CardPlacement placement_ = CardPlacement::bottom_left;
  BannerQueue banners_;
};

}  // namespace cunbo
