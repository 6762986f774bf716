#include "client/session/product_showcase.h"

#include <utility>

#include <spdlog/spdlog.h>

namespace cunbo {

namespace {

// The product titles and tags, one per line: the overlay prepares their glyphs ahead.
std::string vocabulary_of(const std::vector<Product>& products) {
  std::string text;
  for (const Product& p : products) {
    text += p.title + '\n';
    for (const std::string& tag : p.tags) text += tag + '\n';
  }
  return text;
}

}  // namespace

std::optional<Product> ProductShowcase::find(const std::string& product_id) const {
  const std::lock_guard lock(mutex_);
  for (const Product& p : products_)
    if (p.id == product_id) return p;
  return std::nullopt;
}

void ProductShowcase::show(const std::optional<Product>& product) {
  ShowcaseObserver* observer = nullptr;
  {
    const std::lock_guard lock(mutex_);
    presented_ = product;
    observer = observer_;
  }
  if (product) overlay_.present(*product);
  else overlay_.hide();
  if (observer) observer->on_presented(product);
}

void ProductShowcase::set_products(std::vector<Product> products, bool cached) {
  if (products.empty()) return;  // not loaded yet
  const std::lock_guard change(change_mutex_);
  overlay_.set_vocabulary(vocabulary_of(products));
  std::optional<Product> refreshed;
  std::optional<std::string> wanted;
  {
    const std::lock_guard lock(mutex_);
    products_ = std::move(products);
    cached_ = cached;
    wanted = std::exchange(wanted_, std::nullopt);
    if (presented_)
      for (const Product& p : products_)
        if (p.id == presented_->id) refreshed = presented_ = p;
  }
  // New price or stock for the product on screen: the card follows (same card: no new event).
  if (refreshed) overlay_.present(*refreshed);
  if (wanted) present_wanted(*wanted);
}

void ProductShowcase::forget_products() {
  const std::lock_guard change(change_mutex_);
  const std::lock_guard lock(mutex_);
  products_.clear();
  cached_ = false;
}

std::vector<Product> ProductShowcase::products() const {
  const std::lock_guard lock(mutex_);
  return products_;
}

bool ProductShowcase::cached() const {
  const std::lock_guard lock(mutex_);
  return cached_;
}

std::string ProductShowcase::title_of(const std::string& product_id) const {
  if (const std::optional<Product> p = find(product_id)) return p->title;
  return product_id;  // a product the list does not have (yet): its id is better than nothing
}

bool ProductShowcase::present(const std::string& product_id) {
  const std::lock_guard change(change_mutex_);
  const std::optional<Product> found = find(product_id);
  if (!found) return false;
  show(found);
  spdlog::info("[showcase] presenting {}", product_id);
  return true;
}

void ProductShowcase::hide() {
  const std::lock_guard change(change_mutex_);
  if (!presented()) return;
  show(std::nullopt);
}

void ProductShowcase::step(int delta) {
  if (delta == 0) return;
  const std::lock_guard change(change_mutex_);
  std::optional<Product> next;
  {
    const std::lock_guard lock(mutex_);
    if (products_.empty()) return;
    const auto n = static_cast<int64_t>(products_.size());
    int64_t index = delta > 0 ? -1 : n;  // nothing shown: the first (or last) one
    for (int64_t i = 0; presented_ && i < n; ++i)
      if (products_[static_cast<size_t>(i)].id == presented_->id) index = i;
    index = ((index + delta) % n + n) % n;
    next = products_[static_cast<size_t>(index)];
  }
  show(next);
  spdlog::info("[showcase] presenting {}", next->id);
}

std::optional<Product> ProductShowcase::presented() const {
  const std::lock_guard lock(mutex_);
  return presented_;
}

std::optional<std::string> ProductShowcase::presented_id() const {
  const std::lock_guard lock(mutex_);
  return presented_ ? std::optional<std::string>(presented_->id) : std::nullopt;
}

void ProductShowcase::present_wanted(const std::string& product_id) {
  std::optional<Product> found;
  ShowcaseObserver* observer = nullptr;
  {
    const std::lock_guard lock(mutex_);
    observer = observer_;
    if (product_id.empty() && !products_.empty()) found = products_.front();
  }
  if (!product_id.empty()) found = find(product_id);
  if (found) {
    show(found);
  } else {
    spdlog::warn("[showcase] product {} is not in the product list; no card shown", product_id);
    if (observer) observer->on_missing(product_id);
  }
}

void ProductShowcase::present_when_listed(const std::string& product_id) {
  const std::lock_guard change(change_mutex_);
  {
    const std::lock_guard lock(mutex_);
    if (products_.empty()) {
      wanted_ = product_id;
      return;
    }
  }
  present_wanted(product_id);
}

void ProductShowcase::set_observer(ShowcaseObserver* observer) {
  const std::lock_guard change(change_mutex_);
  const std::lock_guard lock(mutex_);
  observer_ = observer;
}

}  // namespace cunbo
