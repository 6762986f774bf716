// The simulated platform for practice mode: the local catalog as the product list, and
// orders and comments made up at a set rate, weighted toward the product being presented.
// Deterministic: the same seed, catalog, rates and showcase() calls at the same simulated
// times give the same events, whatever the step granularity.
//
// Time comes from an injected clock (microseconds, monotonic). start() runs a thread that
// sleeps until the next event is due (woken at once by request_stop()) and calls step();
// tests call start_stepped() and drive step() themselves, so ten simulated minutes take
// milliseconds.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "client/platform/platform_feed.h"

namespace cunbo {

// Reads a catalog: a file shaped like a GET /v1/products response (so the platform parser
// checks it). A relative image_url is relative to the catalog's folder and becomes a file://
// URL. Errors, in the host's words naming the file: missing or unreadable, too large, not a
// product list, no valid product. Invalid items are
// skipped; their reasons go to `skipped` when given.
[[nodiscard]] std::variant<std::vector<Product>, std::string> load_practice_catalog(
    const std::filesystem::path& path, std::vector<std::string>* skipped = nullptr);

struct PracticeSimulatorOptions {
  double orders_per_minute = 6.0;
  double comments_per_minute = 20.0;
  uint64_t seed = 1;
  // Share of orders (and of product comments) about the presented product, when one is.
  double presented_share = 0.6;
  // Monotonic clock in microseconds; default: std::chrono::steady_clock.
  std::function<int64_t()> now_us;
  // Unix time (µs) that simulated time 0 maps to, for created_at; 0: the wall clock at start.
  int64_t wall_epoch_us = 0;
};

class PracticeSimulator final : public PlatformFeed {
 public:
  PracticeSimulator(std::vector<Product> catalog, PracticeSimulatorOptions options);
  ~PracticeSimulator() override;  // stops and joins
  PracticeSimulator(const PracticeSimulator&) = delete;
  PracticeSimulator& operator=(const PracticeSimulator&) = delete;

  // Emits FeedStateChanged(online) and ProductsUpdated(catalog) at once, then orders and
  // comments from its own thread. Call once.
  void start(Listener listener) override;
  void request_stop() override;
  void join() override;

  // Like start() without the thread: the caller moves time on with step().
  void start_stepped(Listener listener);
  // Emits, in time order, every order and comment due by `now_us` (the injected clock's time).
  // Events more than a minute late (the laptop slept) are dropped, not flooded; they still use
  // up their place in the sequence. Not reentrant: a listener must not call step().
  void step(int64_t now_us);

  [[nodiscard]] std::vector<Product> products() const override;
  [[nodiscard]] FeedStatus status() const override;  // online (stopped after request_stop)

  // Practice records locally: a LiveSession with an id and an empty push_url / stream_key.
  [[nodiscard]] std::variant<LiveSession, FeedError> start_session(
      const std::string& title, const std::vector<std::string>& product_ids) override;
  // Weights later orders and comments toward this product; an unknown id clears it.
  void showcase(const std::string& product_id) override;
  void end_session() override {}

 private:
  struct Stream {  // one kind of event on its own schedule and random stream
    double interval_us = 0;  // 0: this kind is off
    uint64_t next_index = 0;
    int64_t next_due_us = 0;
    std::mt19937_64 rng;
  };

  void begin(Listener listener);
  void run();
  void schedule(Stream& s) const;
  [[nodiscard]] int64_t next_due_locked() const;
  [[nodiscard]] size_t pick_product(std::mt19937_64& rng) const;
  [[nodiscard]] Order make_order(int64_t due_us);
  [[nodiscard]] Comment make_comment(int64_t due_us);
  [[nodiscard]] std::string timestamp(int64_t due_us) const;

  const std::vector<Product> catalog_;
  const PracticeSimulatorOptions options_;
  std::function<int64_t()> now_us_;

  std::mutex step_mutex_;  // serialises step(): one emitter at a time keeps events in order
  Listener listener_;      // set once before any step

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable wake_;
  bool started_ = false;
  bool stop_requested_ = false;
  int64_t start_us_ = 0;
  int64_t wall_epoch_us_ = 0;
  Stream orders_;
  Stream comments_;
  size_t presented_ = kNone;
  uint64_t sessions_ = 0;
  static constexpr size_t kNone = static_cast<size_t>(-1);

  std::thread thread_;
};

}  // namespace cunbo
