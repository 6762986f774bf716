#include "client/session/showcase.h"

#include <algorithm>
#include <limits>

#include "client/base/strings.h"

namespace cunbo {

namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max() / 2;

// Fast at first, settling gently: the banner is readable from its first frame.
float ease_out(double x) {
  x = std::clamp(x, 0.0, 1.0);
  const double rest = 1.0 - x;
  return static_cast<float>(1.0 - rest * rest * rest);
}

}  // namespace

std::string order_banner_text(const Order& order, const std::string& product_title) {
  return tr_in(Language::zh_CN, "overlay.banner_order", order.buyer, product_title, order.quantity);
}

std::string burst_banner_text(int orders) { return tr_in(Language::zh_CN, "overlay.banner_burst", orders); }

// ---- BannerQueue ------------------------------------------------------------------------------

void BannerQueue::add(std::string text, int64_t now_us) { pending_.push_back({std::move(text), now_us}); }

void BannerQueue::advance(int64_t now_us) {
  if (current_ && now_us - current_start_us_ < kBannerUs) return;
  const int64_t previous_end = current_ ? current_start_us_ + kBannerUs : std::numeric_limits<int64_t>::min();
  current_.reset();
  // Banners run back to back; one that arrived while nothing was up starts when it arrived.
  // Several banners may have ended between two calls (a painter that slept): skip through.
  int64_t start = previous_end;
  while (!pending_.empty()) {
    start = std::max(start, pending_.front().arrived_us);
    if (start > now_us) return;
    // Only orders already in by this banner's start count (a painter that slept evaluates
    // the past).
    const auto waiting = std::find_if(pending_.begin(), pending_.end(),
                                      [start](const Pending& p) { return p.arrived_us > start; }) -
                         pending_.begin();
    if (waiting >= kBurstOrders) {
      current_ = Pending{burst_banner_text(static_cast<int>(waiting)), start};
      pending_.erase(pending_.begin(), pending_.begin() + waiting);
    } else {
      current_ = std::move(pending_.front());
      pending_.pop_front();
    }
    current_start_us_ = start;
    if (now_us - start < kBannerUs) return;
    start += kBannerUs;
    current_.reset();
  }
}

std::optional<BannerView> BannerQueue::at(int64_t now_us) {
  advance(now_us);
  if (!current_) return std::nullopt;
  const int64_t dt = now_us - current_start_us_;
  float progress = 1.0f;
  // One animation step ahead: the first picture drawn already shows the banner coming in.
  if (dt < kSlideInUs) progress = ease_out(static_cast<double>(dt + kAnimationStepUs) / kSlideInUs);
  else if (dt > kBannerUs - kSlideOutUs)
    progress = ease_out(static_cast<double>(kBannerUs - dt) / kSlideOutUs);
  return BannerView{current_->text, progress};
}

int64_t BannerQueue::next_change_us(int64_t now_us) {
  advance(now_us);
  if (!current_) return pending_.empty() ? kNever : std::max(now_us, pending_.front().arrived_us);
  const int64_t dt = now_us - current_start_us_;
  if (dt < kSlideInUs || dt >= kBannerUs - kSlideOutUs) return now_us + kAnimationStepUs;
  return current_start_us_ + kBannerUs - kSlideOutUs;
}

// ---- Showcase ---------------------------------------------------------------------------------

void Showcase::changed() {
  ++version_;
  wake_.notify_all();
}

void Showcase::present(const Product& product) {
  const std::lock_guard lock(mutex_);
  card_ = product;
  changed();
}

void Showcase::hide() {
  const std::lock_guard lock(mutex_);
  card_.reset();
  changed();
}

std::optional<Product> Showcase::presented() const {
  const std::lock_guard lock(mutex_);
  return card_;
}

void Showcase::set_placement(CardPlacement placement) {
  const std::lock_guard lock(mutex_);
  placement_ = placement;
  changed();
}

void Showcase::set_watermark(std::string text) {
  const std::lock_guard lock(mutex_);
  watermark_ = std::move(text);
  changed();
}

void Showcase::set_vocabulary(std::string text) {
  auto shared = std::make_shared<const std::string>(std::move(text));
  const std::lock_guard lock(mutex_);
  vocabulary_ = std::move(shared);
  changed();
}

void Showcase::add_order(const Order& order, const std::string& product_title, int64_t now_us) {
  std::string text = order_banner_text(order, product_title);
  const std::lock_guard lock(mutex_);
  banners_.add(std::move(text), now_us);
  changed();
}

void Showcase::touch() {
  const std::lock_guard lock(mutex_);
  changed();
}

ShowcaseView Showcase::view(int64_t now_us) {
  const std::lock_guard lock(mutex_);
  ShowcaseView v;
  v.version = version_;
  v.card = card_;
  v.banner = banners_.at(now_us);
  v.watermark = watermark_;
  v.placement = placement_;
  v.vocabulary = vocabulary_;
  v.next_change_us = banners_.next_change_us(now_us);
  return v;
}

void Showcase::wait_for_change(uint64_t seen, std::chrono::steady_clock::time_point until, std::stop_token stop) {
  std::unique_lock lock(mutex_);
  wake_.wait_until(lock, stop, until, [&] { return version_ != seen; });
}

}  // namespace cunbo
