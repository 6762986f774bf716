#include "client/session/order_book.h"

#include <utility>

namespace cunbo {

namespace {

Tally::Counts minus(const Tally::Counts& a, const Tally::Counts& b) {
  return {a.orders - b.orders, a.items - b.items, a.cents - b.cents};
}

}  // namespace

Tally Tally::gained_by(const Tally& later) const {
  Tally gained;
  gained.total = minus(later.total, total);
  for (const auto& [id, counts] : later.per_product) {
    const auto before = per_product.find(id);
    const Counts diff = before == per_product.end() ? counts : minus(counts, before->second);
    if (diff.orders != 0) gained.per_product[id] = diff;
  }
  return gained;
}

void OrderBook::add_order(const Order& order, std::string product_title, int64_t at_us) {
  const std::lock_guard lock(mutex_);
  for (Tally::Counts* c : {&tally_.total, &tally_.per_product[order.product_id]}) {
    ++c->orders;
    c->items += order.quantity;
    c->cents += order.amount_cents;
  }
  orders_.push_front(OrderLine{order, std::move(product_title), at_us});
  if (orders_.size() > kMaxLines) orders_.pop_back();
  ++orders_seen_;
}

void OrderBook::add_comment(const Comment& comment, int64_t at_us) {
  const std::lock_guard lock(mutex_);
  comments_.push_front(CommentLine{comment, at_us});
  if (comments_.size() > kMaxLines) comments_.pop_back();
}

void OrderBook::clear() {
  const std::lock_guard lock(mutex_);
  tally_ = {};
  orders_.clear();
  comments_.clear();
}

Tally OrderBook::tally() const {
  const std::lock_guard lock(mutex_);
  return tally_;
}

std::vector<OrderLine> OrderBook::orders() const {
  const std::lock_guard lock(mutex_);
  return {orders_.begin(), orders_.end()};
}

std::vector<CommentLine> OrderBook::comments() const {
  const std::lock_guard lock(mutex_);
  return {comments_.begin(), comments_.end()};
}

uint64_t OrderBook::orders_seen() const {
  const std::lock_guard lock(mutex_);
  return orders_seen_;
}

}  // namespace cunbo
