// The platform API over libcurl (../shared/platform-api.md): products with ETag/304, orders
// and comments by long poll with cursors, live sessions and the showcase.
//
// Threads (each owns its curl handles; all of them only block in HTTP or in a back-off wait,
// and request_stop() wakes every one of them at once):
//   - products: fetches at start, then every products_refresh (If-None-Match → 304);
//   - orders and comments: one long poll each, so neither delays the other;
//   - showcase: sends the latest "now presenting" product, retrying; only the newest queued
//     product is sent.
// start_session() and end_session() run on the caller's thread (off the UI and media threads).
//
// Failures: 5xx, timeouts, resets, oversized bodies and bodies that are not the expected JSON
// back off per Backoff (1 s doubling, capped at 30 s, jittered; a 429's Retry-After wins) and
// show the feed as offline_retrying; 401/403 anywhere → login_required and every poll stops.
// Orders and comments are de-duplicated by id over the last dedup_capacity ids of each.
//
// Listener: events are delivered one at a time (never concurrently), in order, from the
// feed's threads (and from join()). The listener must not block, and must not call join().
//
// Secrets: the token is sent only in the Authorization header; it is never logged, never put
// in a URL or an error message. Buyer and user names are never logged, only ids.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "client/base/backoff.h"
#include "client/platform/platform_feed.h"

namespace cunbo {

class HttpTransfer;
struct HttpResponse;

class HttpPlatform final : public PlatformFeed {
 public:
  using Clock = std::function<int64_t()>;  // µs

  struct Options {
    // "https://api.example.com/" (a path prefix is kept: ".../api/" + "v1/orders"). Plain
    // http:// only to a loopback host (development, tests): see base_url_problem().
    std::string base_url;
    std::string token;  // a secret: sent only as "Authorization: Bearer …"; surrounding whitespace trimmed
    std::string user_agent = "cunbo/dev";  // "cunbo/<version>": the caller passes CUNBO_VERSION
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds request_timeout{15'000};  // products, sessions, showcase
    int long_poll_wait_s = 30;                            // `wait` for orders/comments (0–30)
    std::chrono::milliseconds long_poll_slack{10'000};    // a long poll's total timeout: wait + this
    std::chrono::milliseconds products_refresh{60'000};
    std::size_t max_response_bytes = std::size_t{4} << 20;  // decoded; past it: like a 5xx
    std::size_t dedup_capacity = 10'000;                      // ids kept per stream
    Backoff::Policy backoff{};                                // 1 s doubling, cap 30 s
    int end_session_attempts = 3;
    // Injected for tests; empty = steady_clock, system_clock, a seeded generator.
    Clock monotonic_us;  // schedules back-off
    Clock wall_us;       // µs since the epoch: turns a Retry-After date into a delay
    Backoff::Random random;
  };

  explicit HttpPlatform(Options options);
  ~HttpPlatform() override;  // request_stop() + join()
  HttpPlatform(const HttpPlatform&) = delete;
  HttpPlatform& operator=(const HttpPlatform&) = delete;

  // Why `base_url` is unusable (not a URL; http but not to this computer; not https), as the
  // string-table id of a message that takes the address (tr(id, base_url)); or nullopt. With
  // an unusable URL (or an empty token, or one with spaces or control characters inside)
  // start() goes straight to FeedState::stopped (detail says why) and every call fails
  // without sending anything.
  [[nodiscard]] static std::optional<std::string> base_url_problem(std::string_view base_url);

  void start(Listener listener) override;
  void request_stop() override;
  void join() override;

  [[nodiscard]] std::vector<Product> products() const override;
  [[nodiscard]] FeedStatus status() const override;

  // POST /v1/live/sessions. 401/403 also switch the feed to login_required. Call before
  // request_stop(): a stop abandons it (FeedError::unreachable).
  [[nodiscard]] std::variant<LiveSession, FeedError> start_session(
      const std::string& title, const std::vector<std::string>& product_ids) override;
  // Queues the product for the showcase thread; returns at once. Ignored without a session.
  void showcase(const std::string& product_id) override;
  // POST /v1/live/sessions/{id}/end, retried on failure up to end_session_attempts; 404 means
  // already ended. Call before request_stop(): a stop abandons it.
  void end_session() override;

  // The session start_session() opened and neither end_session() nor a 404 closed ("" if none).
  [[nodiscard]] std::string session_id() const;

 private:
  enum Channel : int { kProducts = 0, kOrders, kComments, kShowcase, kSession, kChannelCount };
  enum class Verdict { ok, not_modified, login_required, retry_after, retry, rejected, session_gone, stopped };

  void run_products();
  void run_stream(Channel channel);
  void run_showcase();

  struct Outcome;
  [[nodiscard]] Outcome classify(Channel channel, const HttpResponse& response) const;
  // How long to wait after a failed answer: its Retry-After, else the next back-off step.
  [[nodiscard]] int64_t retry_wait_us(Backoff& backoff, const Outcome& out) const;
  // The end of one poll (products, orders, comments): false when the poller must stop (stop,
  // login_required). After success the channel counts as online; after a failure it is shown
  // offline_retrying and the wait is waited out (or cut short by a stop).
  [[nodiscard]] bool settle_poll(Channel channel, std::string_view what, const Outcome& out, Backoff& backoff);
  [[nodiscard]] std::string url(std::string_view path) const;
  [[nodiscard]] int64_t now_us() const;
  // Waits `us` or until stop / login_required (false then). `also` (under mutex_) ends the
  // wait early too, returning true.
  bool wait_us(int64_t us, const std::function<bool()>& also = {});
  [[nodiscard]] bool halted() const { return stopping_.load() || login_required_.load(); }

  void mark_ok(Channel channel);
  void mark_failing(Channel channel, int64_t retry_in_us, const std::string& why);
  void enter_login_required(const std::string& why);
  void set_status_and_emit(const FeedStatus& status);
  // Decides the next status from the current one under mutex_ (nullopt: no change) and tells
  // the listener.
  void update_status(const std::function<std::optional<FeedStatus>(const FeedStatus&)>& change);
  void emit(const FeedEvent& event);

  Options options_;
  std::optional<std::string> config_problem_;  // a bad base URL or token: nothing is sent
  std::mutex random_mutex_;
  Backoff::Random random_;  // options_.random behind random_mutex_

  std::atomic<bool> stopping_{false};
  std::atomic<bool> login_required_{false};

  // Guards everything below it and is what back-off waits sleep on.
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  FeedStatus status_;
  std::vector<Product> products_;
  bool failing_[kChannelCount] = {};
  std::string session_id_;
  std::optional<std::string> pending_showcase_;
  bool started_ = false;

  std::mutex listener_mutex_;  // one event at a time; taken before mutex_, never after
  Listener listener_;

  std::mutex session_call_mutex_;  // one start_session/end_session at a time
  std::unique_ptr<HttpTransfer> transfers_[kChannelCount];

  std::thread products_thread_;
  std::thread orders_thread_;
  std::thread comments_thread_;
  std::thread showcase_thread_;
};

}  // namespace cunbo
