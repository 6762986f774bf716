// The orders and comments of the day, counted in one place: the window's order list and its
// totals, the progress line and every session's summary all read this book. A session takes a
// mark when it starts; its own figures are what the book gained since (tally_since()).
//
// Buyers and viewers come masked by the platform ("张**"); the book keeps them for the host's
// lists only (never logged).
// Thread-safe: the feed's threads add, the UI and the session read.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "client/platform/platform_feed.h"

namespace cunbo {

struct OrderLine {
  Order order;
  std::string product_title;
  int64_t at_us = 0;  // steady clock (media/session_clock.h steady_now_us)
};

struct CommentLine {
  Comment comment;
  int64_t at_us = 0;
};

// Orders, items and money (GMV), in all and per product.
struct Tally {
  struct Counts {
    int64_t orders = 0;
    int64_t items = 0;
    int64_t cents = 0;
  };
  Counts total;
  std::map<std::string, Counts> per_product;

  // What `later` holds beyond this (taken earlier from the same book).
  [[nodiscard]] Tally gained_by(const Tally& later) const;
};

class OrderBook {
 public:
  static constexpr size_t kMaxLines = 200;  // per list, newest first; the tally counts them all

  void add_order(const Order& order, std::string product_title, int64_t at_us);
  void add_comment(const Comment& comment, int64_t at_us);
  // A new feed (practice on or off, another platform): its orders are another day's.
  void clear();

  [[nodiscard]] Tally tally() const;
  [[nodiscard]] std::vector<OrderLine> orders() const;      // newest first
  [[nodiscard]] std::vector<CommentLine> comments() const;  // newest first
  // Grows with every order ever added (clear() included): a listener plays its chime when it grows.
  [[nodiscard]] uint64_t orders_seen() const;

 private:
  mutable std::mutex mutex_;
  Tally tally_;
  std::deque<OrderLine> orders_;
  std::deque<CommentLine> comments_;
  uint64_t orders_seen_ = 0;
};

}  // namespace cunbo
