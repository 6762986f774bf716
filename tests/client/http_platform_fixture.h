// The HttpPlatform test fixture shared by http_platform*_test.cpp: a real in-process
// platform server (tests/support/platform_server), a feed with everything short, and a
// recorder of what the feed told its listener.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/platform/http_platform.h"
#include "tests/support/platform_server.h"
#include "tests/support/wait.h"

// Not in an anonymous namespace: gtest insists that every TEST_F of a suite, in whichever
// file, uses the one same fixture class.
namespace cunbo::test {

using Feed = ::cunbo::HttpPlatform;
using std::chrono::milliseconds;

// Compared, never printed (a failing EXPECT_EQ on it would put it in the test log).
constexpr char kToken[] = "tok-7f3a-SECRET-c91e";

constexpr auto kEventWait = std::chrono::seconds(5);
constexpr auto kStopDeadline = std::chrono::seconds(5);

inline std::string products_json(const std::string& title = "永顺番薯粉 500g") {
  return R"([{"id":"p-1001","title":")" + title +
         R"(","subtitle":"农家手工","price_cents":3990,"original_price_cents":4990,"currency":"CNY",)"
         R"("stock":120,"image_url":"https://img.example.com/p-1001.jpg","tags":["包邮"]},)"
         R"({"id":"p-1002","title":"冬枣","price_cents":2590,"currency":"CNY","stock":null,"image_url":""}])";
}

// Everything the feed told its listener, with arrival times; waits on it with deadlines.
class Recorder {
 public:
  void on_event(const FeedEvent& event) {
    {
      const std::lock_guard lock(mutex_);
      const auto now = Clock::now();
      if (const auto* o = std::get_if<NewOrder>(&event)) {
        orders_.push_back(o->order);
        order_arrival_.emplace(o->order.id, now);
      } else if (const auto* c = std::get_if<NewComment>(&event)) {
        comments_.push_back(c->comment);
      } else if (const auto* p = std::get_if<ProductsUpdated>(&event)) {
        product_updates_.push_back(p->products);
      } else if (const auto* s = std::get_if<FeedStateChanged>(&event)) {
        states_.push_back(s->status);
      }
    }
    changed_.notify_all();
  }

  bool wait(const std::function<bool()>& condition, Clock::duration timeout = kEventWait) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, condition);
  }
  bool wait_for_orders(std::size_t n) {
    return wait([&] { return orders_.size() >= n; });
  }
  bool wait_for_state(FeedState state) {
    return wait([&] { return !states_.empty() && states_.back().state == state; });
  }

  std::vector<Order> orders() {
    const std::lock_guard lock(mutex_);
    return orders_;
  }
  std::vector<Comment> comments() {
    const std::lock_guard lock(mutex_);
    return comments_;
  }
  std::vector<FeedStatus> states() {
    const std::lock_guard lock(mutex_);
    return states_;
  }
  std::vector<std::vector<Product>> product_updates() {
    const std::lock_guard lock(mutex_);
    return product_updates_;
  }
  std::optional<Clock::time_point> arrival(const std::string& id) {
    const std::lock_guard lock(mutex_);
    const auto it = order_arrival_.find(id);
    return it == order_arrival_.end() ? std::nullopt : std::optional(it->second);
  }
  // Order ids delivered more than once.
  std::vector<std::string> repeated_order_ids() {
    const std::lock_guard lock(mutex_);
    std::map<std::string, int> n;
    for (const auto& o : orders_) ++n[o.id];
    std::vector<std::string> out;
    for (const auto& [id, count] : n) {
      if (count > 1) out.push_back(id);
    }
    return out;
  }
  // retry_in_ms of every offline_retrying state, in order.
  std::vector<int64_t> retry_waits() {
    const std::lock_guard lock(mutex_);
    std::vector<int64_t> out;
    for (const auto& s : states_) {
      if (s.state == FeedState::offline_retrying) out.push_back(s.retry_in_ms);
    }
    return out;
  }

 private:
  // Recursive: wait() predicates call the getters below with the lock held.
  std::recursive_mutex mutex_;
  std::condition_variable_any changed_;
  std::vector<Order> orders_;
  std::map<std::string, Clock::time_point> order_arrival_;
  std::vector<Comment> comments_;
  std::vector<std::vector<Product>> product_updates_;
  std::vector<FeedStatus> states_;
};

inline std::vector<std::string> ids(const std::vector<Order>& orders) {
  std::vector<std::string> out;
  for (const auto& o : orders) out.push_back(o.id);
  return out;
}

// Milliseconds between consecutive requests.
inline std::vector<int64_t> gaps_ms(const std::vector<PlatformRequest>& requests) {
  std::vector<int64_t> out;
  for (std::size_t i = 1; i < requests.size(); ++i) {
    out.push_back(std::chrono::duration_cast<milliseconds>(requests[i].at - requests[i - 1].at).count());
  }
  return out;
}

class HttpPlatform : public ::testing::Test {
 protected:
  explicit HttpPlatform(bool keep_alive = true) : server_(kToken, keep_alive) {
    server_.set_products_json(products_json());
  }

  void TearDown() override { stop_and_expect_prompt(); }

  // Short everything: the contract's shape, at test speed. No jitter (random = 0), so the
  // waits are exact: 50, 100, 200, 400, 400 ms.
  Feed::Options options() {
    Feed::Options o;
    o.base_url = server_.base_url();
    o.token = kToken;
    o.user_agent = "cunbo/test";
    o.connect_timeout = milliseconds(1000);
    o.request_timeout = milliseconds(1000);
    o.long_poll_wait_s = 1;
    o.long_poll_slack = milliseconds(500);
    o.products_refresh = std::chrono::seconds(60);
    o.backoff = Backoff::Policy{50'000, 400'000};
    o.random = [] { return 0.0; };
    return o;
  }

  void start(Feed::Options o) {
    feed_ = std::make_unique<Feed>(std::move(o));
    feed_->start([this](const FeedEvent& e) { events_.on_event(e); });
  }
  void start() { start(options()); }

  // Started, products in, and both long polls held by the server.
  void start_and_settle(Feed::Options o) {
    start(std::move(o));
    ASSERT_TRUE(events_.wait_for_state(FeedState::online));
    ASSERT_TRUE(both_polls_held());
  }
  void start_and_settle() { start_and_settle(options()); }

  bool both_polls_held() {
    return wait_until(deadline_after(kEventWait), [&] {
      return server_.held_polls("/v1/orders") > 0 && server_.held_polls("/v1/comments") > 0;
    });
  }

  // Orders o-1 and o-2 across `times` order polls that meet `fault`: the held poll answers
  // o-1, the failing ones follow it, then o-2 is posted. True when both arrived.
  [[nodiscard]] bool deliver_orders_across(PlatformFault fault, int times) {
    server_.inject("/v1/orders", std::move(fault), times);
    server_.post_order(PlatformServer::order_json("o-1"));
    if (!events_.wait_for_orders(1)) return false;
    if (!events_.wait([&] { return events_.retry_waits().size() >= static_cast<std::size_t>(times); })) return false;
    server_.post_order(PlatformServer::order_json("o-2"));
    return events_.wait_for_orders(2);
  }

  // Stopping wakes every wait (a held long poll, a back-off) instead of sitting it out. The
  // deadline is generous for a loaded machine; the tests that mean it hold a 30 s long poll
  // or a 60 s back-off, so a stop that waited would take far longer.
  void stop_and_expect_prompt() {
    if (!feed_) return;
    const auto t0 = Clock::now();
    feed_->request_stop();
    feed_->join();
    const auto ms = std::chrono::duration_cast<milliseconds>(Clock::now() - t0).count();
    EXPECT_LT(Clock::now() - t0, kStopDeadline) << "request_stop + join took " << ms << " ms";
    feed_.reset();
  }

  PlatformServer server_;
  Recorder events_;
  std::unique_ptr<Feed> feed_;
};

}  // namespace cunbo::test
