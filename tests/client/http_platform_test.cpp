// HttpPlatform against a real in-process platform server (tests/support/platform_server):
// every fault the server can throw at it, the client neither crashes nor hangs, delivers
// every valid order exactly once, backs off as the contract says and recovers.
#include "client/platform/http_platform.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "client/platform/http_transfer.h"
#include "client/platform/recent_ids.h"
#include "tests/support/platform_server.h"
#include "tests/support/wait.h"

namespace cunbo::test {
namespace {

using Feed = ::cunbo::HttpPlatform;
using std::chrono::milliseconds;

// Compared, never printed (a failing EXPECT_EQ on it would put it in the test log).
constexpr char kToken[] = "tok-7f3a-SECRET-c91e";

constexpr auto kEventWait = std::chrono::seconds(5);

std::string products_json(const std::string& title = "永顺番薯粉 500g") {
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

std::vector<std::string> ids(const std::vector<Order>& orders) {
  std::vector<std::string> out;
  for (const auto& o : orders) out.push_back(o.id);
  return out;
}

// Milliseconds between consecutive requests.
std::vector<int64_t> gaps_ms(const std::vector<PlatformRequest>& requests) {
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

  void stop_and_expect_prompt() {
    if (!feed_) return;
    const auto t0 = Clock::now();
    feed_->request_stop();
    feed_->join();
    const auto ms = std::chrono::duration_cast<milliseconds>(Clock::now() - t0).count();
    EXPECT_LT(ms, 500) << "request_stop + join took " << ms << " ms";
    feed_.reset();
  }

  PlatformServer server_;
  Recorder events_;
  std::unique_ptr<Feed> feed_;
};

// ---- The contract's basics -------------------------------------------------------------------

TEST_F(HttpPlatform, SendsTheContractsHeadersAndNeverPutsTheTokenInAUrl) {
  start_and_settle();
  server_.post_order(PlatformServer::order_json("o-1"));
  ASSERT_TRUE(events_.wait_for_orders(1));
  ASSERT_TRUE(server_.wait_for_requests("/v1/orders", 2, deadline_after(kEventWait)));

  const auto all = server_.requests();
  ASSERT_FALSE(all.empty());
  for (const auto& r : all) {
    EXPECT_TRUE(r.has_authorization) << r.path;
    EXPECT_TRUE(r.authorized) << r.path << ": the Authorization header is not \"Bearer <token>\"";
    EXPECT_EQ(r.accept, "application/json") << r.path;
    EXPECT_NE(r.accept_encoding.find("gzip"), std::string::npos) << r.path;
    EXPECT_EQ(r.user_agent, "cunbo/test") << r.path;
    EXPECT_EQ(r.raw_target.find(kToken), std::string::npos) << "the token is in a URL";
  }
  // The first poll of each stream is "from now" (no `after`), with the configured wait.
  const auto orders = server_.requests_to("/v1/orders");
  EXPECT_FALSE(orders[0].params.contains("after"));
  EXPECT_EQ(orders[0].params.at("wait"), "1");
  EXPECT_FALSE(server_.requests_to("/v1/comments")[0].params.contains("after"));
  // After the order, the cursor the server gave.
  EXPECT_EQ(orders.back().params.at("after"), "c-1");

  const auto order = events_.orders().at(0);
  EXPECT_EQ(order.id, "o-1");
  EXPECT_EQ(order.product_id, "p-1");
  EXPECT_EQ(order.buyer, "张**");
  EXPECT_EQ(order.amount_cents, 3990);
  EXPECT_EQ(feed_->status().state, FeedState::online);
}

TEST_F(HttpPlatform, ProductsArriveOnceAndAreRevalidatedWithTheirEtag) {
  auto o = options();
  o.products_refresh = milliseconds(100);
  start(o);
  ASSERT_TRUE(events_.wait([&] { return events_.product_updates().size() == 1; }));
  ASSERT_TRUE(server_.wait_for_requests("/v1/products", 4, deadline_after(kEventWait)));
  // Unchanged (304) revalidations deliver nothing new.
  EXPECT_EQ(events_.product_updates().size(), 1U);
  const auto first = events_.product_updates()[0];
  ASSERT_EQ(first.size(), 2U);
  EXPECT_EQ(first[0].title, "永顺番薯粉 500g");
  EXPECT_EQ(first[0].original_price_cents, 4990);
  EXPECT_FALSE(first[1].stock.has_value());
  EXPECT_EQ(feed_->products().size(), 2U);

  const auto requests = server_.requests_to("/v1/products");
  EXPECT_TRUE(requests[0].if_none_match.empty());
  EXPECT_EQ(requests[1].if_none_match, "\"v2\"");
  EXPECT_EQ(requests[1].status, 304);

  // A change on the platform: one more update, with the new title.
  server_.set_products_json(products_json("永顺番薯粉 1kg 🍠"));
  ASSERT_TRUE(events_.wait([&] { return events_.product_updates().size() == 2; }));
  EXPECT_EQ(events_.product_updates()[1][0].title, "永顺番薯粉 1kg 🍠");
  EXPECT_EQ(feed_->products()[0].title, "永顺番薯粉 1kg 🍠");
}

TEST_F(HttpPlatform, OrdersAndCommentsArriveExactlyOnceWhenThePlatformRepeatsThem) {
  start_and_settle();
  server_.redeliver_orders(3);
  std::vector<std::string> expected;
  for (int i = 1; i <= 20; ++i) {
    expected.push_back("o-" + std::to_string(i));
    server_.post_order(PlatformServer::order_json(expected.back()));
    if (i % 5 == 0) server_.post_order(PlatformServer::order_json(expected.back()));  // the same id again
  }
  for (int i = 1; i <= 5; ++i) server_.post_comment(PlatformServer::comment_json("m-" + std::to_string(i)));

  ASSERT_TRUE(events_.wait_for_orders(20));
  ASSERT_TRUE(events_.wait([&] { return events_.comments().size() >= 5; }));
  // The repeats have been served (the redelivered pages are behind us) ...
  ASSERT_TRUE(server_.wait_for_requests("/v1/orders", 6, deadline_after(kEventWait)));
  server_.post_order(PlatformServer::order_json("o-last"));
  expected.push_back("o-last");
  ASSERT_TRUE(events_.wait_for_orders(21));
  // ... and each order came exactly once, in order.
  EXPECT_EQ(ids(events_.orders()), expected);
  EXPECT_TRUE(events_.repeated_order_ids().empty());
  EXPECT_EQ(events_.comments().size(), 5U);
  EXPECT_EQ(events_.comments()[0].user, "李**");
}

TEST_F(HttpPlatform, OrdersKeepFlowingWhileCommentsAreLongPolling) {
  start_and_settle();
  // Comments are held by the server right now; an order must not wait for them.
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(both_polls_held());
    const auto posted = Clock::now();
    server_.post_order(PlatformServer::order_json("o-" + std::to_string(i)));
    ASSERT_TRUE(events_.wait_for_orders(static_cast<std::size_t>(i)));
    EXPECT_LT(*events_.arrival("o-" + std::to_string(i)) - posted, milliseconds(200));
  }
}

// ---- Failures and back-off ---------------------------------------------------------------------

TEST_F(HttpPlatform, BacksOffExponentiallyThroughA500BurstAndRecovers) {
  start_and_settle();
  server_.post_order(PlatformServer::order_json("o-1"));
  ASSERT_TRUE(events_.wait_for_orders(1));
  const std::size_t before = server_.count("/v1/orders");
  server_.inject("/v1/orders", PlatformFault::http_status(500), 5);
  server_.inject("/v1/orders", PlatformFault::http_status(503), 1);
  // Orders placed during the outage are not lost: the cursor is kept.
  server_.post_order(PlatformServer::order_json("o-2"));
  ASSERT_TRUE(events_.wait_for_orders(2));
  ASSERT_TRUE(events_.wait_for_state(FeedState::online));

  // 1 s doubling capped at 30 s, scaled to the test policy (50 ms doubling, cap 400 ms).
  EXPECT_EQ(events_.retry_waits(), (std::vector<int64_t>{50, 100, 200, 400, 400, 400}));
  auto requests = server_.requests_to("/v1/orders");
  requests.erase(requests.begin(), requests.begin() + static_cast<std::ptrdiff_t>(before));
  ASSERT_GE(requests.size(), 7U);
  const auto gaps = gaps_ms(requests);
  const std::vector<int64_t> expected{50, 100, 200, 400, 400, 400};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(requests[i].status, i < 5 ? 500 : 503);
    EXPECT_GE(gaps[i], expected[i]) << "retry " << i + 1 << " came too early";
    EXPECT_LT(gaps[i], expected[i] + 250) << "retry " << i + 1 << " came too late";
  }
  // The first attempt after the outage is a quick probe (wait=0); then long polls again.
  EXPECT_EQ(requests[6].params.at("wait"), "0");
  EXPECT_EQ(ids(events_.orders()), (std::vector<std::string>{"o-1", "o-2"}));
}

TEST_F(HttpPlatform, ShowsOfflineRetryingWithTheWaitWhileFailing) {
  server_.inject("", PlatformFault::http_status(502), 100);
  auto o = options();
  o.backoff = Backoff::Policy{200'000, 200'000};
  start(o);
  ASSERT_TRUE(events_.wait_for_state(FeedState::offline_retrying));
  const auto s = feed_->status();
  EXPECT_EQ(s.state, FeedState::offline_retrying);
  EXPECT_EQ(s.retry_in_ms, 200);
  EXPECT_NE(s.detail.find("502"), std::string::npos) << s.detail;
}

TEST_F(HttpPlatform, HonoursRetryAfterInSeconds) {
  start_and_settle();
  const std::size_t before = server_.count("/v1/orders");
  server_.inject("/v1/orders", PlatformFault::too_many("1"));
  server_.post_order(PlatformServer::order_json("o-1"));  // wakes the held poll; the next one gets 429
  ASSERT_TRUE(events_.wait_for_orders(1));
  server_.post_order(PlatformServer::order_json("o-2"));
  ASSERT_TRUE(events_.wait_for_orders(2));

  EXPECT_EQ(events_.retry_waits(), (std::vector<int64_t>{1000}));
  auto requests = server_.requests_to("/v1/orders");
  const auto it = std::find_if(requests.begin() + static_cast<std::ptrdiff_t>(before), requests.end(),
                               [](const auto& r) { return r.status == 429; });
  ASSERT_NE(it, requests.end());
  ASSERT_NE(it + 1, requests.end());
  const auto gap = std::chrono::duration_cast<milliseconds>((it + 1)->at - it->at).count();
  // The server's word (1 s), not our first back-off step (50 ms).
  EXPECT_GE(gap, 1000);
  EXPECT_LT(gap, 1400);
  EXPECT_TRUE(events_.repeated_order_ids().empty());
}

TEST_F(HttpPlatform, HonoursRetryAfterAsAnHttpDate) {
  // The wall clock is injected: the date is 700 ms in its future.
  const int64_t date_us = int64_t{1'445'412'480} * 1'000'000;  // Wed, 21 Oct 2015 07:28:00 GMT
  auto o = options();
  o.wall_us = [date_us] { return date_us - 700'000; };
  server_.inject("/v1/comments", PlatformFault::too_many("Wed, 21 Oct 2015 07:28:00 GMT"));
  start(o);
  ASSERT_TRUE(server_.wait_for_requests("/v1/comments", 2, deadline_after(kEventWait)));
  const auto requests = server_.requests_to("/v1/comments");
  EXPECT_EQ(requests[0].status, 429);
  const auto gap = std::chrono::duration_cast<milliseconds>(requests[1].at - requests[0].at).count();
  EXPECT_GE(gap, 700);
  EXPECT_LT(gap, 1100);
  EXPECT_EQ(events_.retry_waits(), (std::vector<int64_t>{700}));
}

TEST_F(HttpPlatform, BacksOffOnA429WithoutRetryAfter) {
  server_.inject("/v1/comments", PlatformFault::too_many(""));
  server_.inject("/v1/comments", PlatformFault::too_many("next tuesday"));
  start(options());
  ASSERT_TRUE(server_.wait_for_requests("/v1/comments", 3, deadline_after(kEventWait)));
  EXPECT_EQ(events_.retry_waits(), (std::vector<int64_t>{50, 100}));
}

TEST_F(HttpPlatform, GivesUpOnAnAnswerSlowerThanItsTimeoutAndRecovers) {
  start_and_settle();
  // The next comments poll stalls 3 s: past its total timeout (wait 1 s + 0.5 s).
  server_.inject("/v1/comments", PlatformFault::slow(milliseconds(3000)));
  server_.post_comment(PlatformServer::comment_json("m-1"));  // the held poll answers; the next stalls
  ASSERT_TRUE(events_.wait([&] { return events_.comments().size() == 1; }));
  // Orders are not held up meanwhile.
  const auto posted = Clock::now();
  server_.post_order(PlatformServer::order_json("o-1"));
  ASSERT_TRUE(events_.wait_for_orders(1));
  EXPECT_LT(*events_.arrival("o-1") - posted, milliseconds(200));

  ASSERT_TRUE(events_.wait_for_state(FeedState::offline_retrying));
  EXPECT_NE(feed_->status().detail.find("imed out"), std::string::npos) << feed_->status().detail;
  server_.post_comment(PlatformServer::comment_json("m-2"));
  ASSERT_TRUE(events_.wait([&] { return events_.comments().size() == 2; }));
  ASSERT_TRUE(events_.wait_for_state(FeedState::online));
}

TEST_F(HttpPlatform, GivesUpOnSlowProductsAndFetchesThemLater) {
  server_.inject("/v1/products", PlatformFault::slow(milliseconds(2500)));
  start(options());
  ASSERT_TRUE(events_.wait([&] { return events_.product_updates().size() == 1; }));
  EXPECT_EQ(events_.retry_waits(), (std::vector<int64_t>{50}));
  EXPECT_GE(server_.count("/v1/products"), 2U);
}

TEST_F(HttpPlatform, RecoversFromAConnectionDroppedMidBody) {
  start_and_settle();
  server_.inject("/v1/orders", PlatformFault::drop(), 2);
  // The held poll answers o-1; the next two polls are dropped halfway through their bodies.
  server_.post_order(PlatformServer::order_json("o-1"));
  ASSERT_TRUE(events_.wait_for_orders(1));
  ASSERT_TRUE(events_.wait([&] { return events_.retry_waits().size() >= 2; }));
  server_.post_order(PlatformServer::order_json("o-2"));
  ASSERT_TRUE(events_.wait_for_orders(2));
  EXPECT_EQ(events_.retry_waits(), (std::vector<int64_t>{50, 100}));
  ASSERT_TRUE(events_.wait_for_state(FeedState::online));
  EXPECT_EQ(ids(events_.orders()), (std::vector<std::string>{"o-1", "o-2"}));
}

TEST_F(HttpPlatform, DecodesGzipBodies) {
  server_.set_gzip(true);
  start_and_settle();
  server_.post_order(PlatformServer::order_json("o-1"));
  server_.post_comment(PlatformServer::comment_json("m-1", "红薯粉怎么吃？"));
  ASSERT_TRUE(events_.wait_for_orders(1));
  ASSERT_TRUE(events_.wait([&] { return events_.comments().size() == 1; }));
  EXPECT_EQ(events_.comments()[0].text, "红薯粉怎么吃？");
  EXPECT_EQ(events_.product_updates().at(0).at(0).title, "永顺番薯粉 500g");
  EXPECT_GE(server_.gzipped_responses(), 3U);
}

TEST_F(HttpPlatform, TreatsMalformedJsonLikeA5xx) {
  start_and_settle();
  server_.inject("/v1/orders", PlatformFault::malformed(), 2);
  server_.post_order(PlatformServer::order_json("o-1"));
  ASSERT_TRUE(events_.wait_for_orders(1));
  ASSERT_TRUE(events_.wait([&] { return events_.retry_waits().size() >= 2; }));
  server_.post_order(PlatformServer::order_json("o-2"));
  ASSERT_TRUE(events_.wait_for_orders(2));
  EXPECT_EQ(events_.retry_waits(), (std::vector<int64_t>{50, 100}));
  ASSERT_TRUE(events_.wait_for_state(FeedState::online));
  EXPECT_TRUE(events_.repeated_order_ids().empty());
}

TEST_F(HttpPlatform, TreatsTheWrongShapeLikeA5xx) {
  server_.inject("/v1/products", PlatformFault::wrong_shape());
  start_and_settle();
  server_.inject("/v1/orders", PlatformFault::wrong_shape());
  server_.post_order(PlatformServer::order_json("o-1"));
  ASSERT_TRUE(events_.wait_for_orders(1));
  ASSERT_TRUE(events_.wait([&] { return events_.retry_waits().size() >= 2; }));
  server_.post_order(PlatformServer::order_json("o-2"));
  ASSERT_TRUE(events_.wait_for_orders(2));
  EXPECT_EQ(events_.retry_waits(), (std::vector<int64_t>{50, 50}));  // products, then orders
  EXPECT_EQ(events_.product_updates().size(), 1U);
}

TEST_F(HttpPlatform, SkipsOrdersWithWrongTypesAndKeepsTheRest) {
  start_and_settle();
  server_.post_order(PlatformServer::order_json("o-1"));
  server_.post_order(R"({"id":"o-bad","product_id":"p-1","buyer":"张**","quantity":"two","amount_cents":1,)"
                     R"("currency":"CNY","created_at":"2026-11-29T08:01:02+08:00"})");
  server_.post_order(R"({"id":42})");
  server_.post_order(R"("not an object")");
  server_.post_order(R"({"id":"o-huge","product_id":"p-1","buyer":"张**","quantity":1,)"
                     R"("amount_cents":1e300,"currency":"CNY","created_at":"2026-11-29T08:01:02+08:00"})");
  server_.post_order(PlatformServer::order_json("o-2"));
  ASSERT_TRUE(events_.wait_for_orders(2));
  server_.post_order(PlatformServer::order_json("o-3"));
  ASSERT_TRUE(events_.wait_for_orders(3));
  EXPECT_EQ(ids(events_.orders()), (std::vector<std::string>{"o-1", "o-2", "o-3"}));
  EXPECT_TRUE(events_.retry_waits().empty()) << "a page with bad items is still a good page";
}

TEST_F(HttpPlatform, AbandonsA50MiBBodyAndBacksOff) {
  start_and_settle();
  server_.inject("/v1/orders", PlatformFault::huge());
  server_.post_order(PlatformServer::order_json("o-1"));  // the held poll answers; the next gets 50 MiB
  ASSERT_TRUE(events_.wait_for_orders(1));
  ASSERT_TRUE(events_.wait([&] { return !events_.retry_waits().empty(); }));
  server_.post_order(PlatformServer::order_json("o-2"));
  ASSERT_TRUE(events_.wait_for_orders(2));
  EXPECT_EQ(events_.retry_waits(), (std::vector<int64_t>{50}));
  EXPECT_EQ(ids(events_.orders()), (std::vector<std::string>{"o-1", "o-2"}));
  const auto states = events_.states();
  const bool said_too_large = std::any_of(states.begin(), states.end(), [](const auto& s) {
    return s.detail.find("larger than") != std::string::npos;
  });
  EXPECT_TRUE(said_too_large);
  ASSERT_TRUE(events_.wait_for_state(FeedState::online));
}

TEST_F(HttpPlatform, AnOversizedProductListIsRefusedToo) {
  server_.inject("/v1/products", PlatformFault::huge(std::size_t{50} << 20));
  start(options());
  ASSERT_TRUE(events_.wait([&] { return events_.product_updates().size() == 1; }));
  EXPECT_EQ(events_.retry_waits(), (std::vector<int64_t>{50}));
}

// ---- Login ---------------------------------------------------------------------------------------

TEST_F(HttpPlatform, A401MidSessionAsksToLogInAgainAndStopsAllPolling) {
  start_and_settle();
  auto session = feed_->start_session("永顺秋收直播", {"p-1001"});
  ASSERT_TRUE(std::holds_alternative<LiveSession>(session));
  server_.post_order(PlatformServer::order_json("o-1"));
  ASSERT_TRUE(events_.wait_for_orders(1));

  server_.revoke_token(401);
  ASSERT_TRUE(events_.wait_for_state(FeedState::login_required));
  EXPECT_EQ(feed_->status().state, FeedState::login_required);
  EXPECT_NE(feed_->status().detail.find("token_expired"), std::string::npos);
  // Every poll in flight has been answered or abandoned by now ...
  ASSERT_TRUE(wait_until(deadline_after(kEventWait), [&] {
    return server_.held_polls("/v1/orders") == 0 && server_.held_polls("/v1/comments") == 0;
  }));
  // A request another thread had already put on the wire when the 401 came may still land:
  // wait until the server has heard nothing new for a moment before counting.
  std::size_t seen = server_.requests().size();
  auto quiet_since = std::chrono::steady_clock::now();
  ASSERT_TRUE(wait_until(deadline_after(kEventWait), [&] {
    const std::size_t now = server_.requests().size();
    if (now != seen) {
      seen = now;
      quiet_since = std::chrono::steady_clock::now();
    }
    return std::chrono::steady_clock::now() - quiet_since > milliseconds(300);
  }));
  // ... and nothing more comes: no poll, no products, no showcase.
  feed_->showcase("p-1001");
  EXPECT_FALSE(wait_until(deadline_after(milliseconds(1500)), [&] { return server_.requests().size() > seen; }));
  EXPECT_TRUE(server_.showcased().empty());
  // The state stays "log in again" through the stop.
  stop_and_expect_prompt();
  EXPECT_EQ(events_.states().back().state, FeedState::login_required);
}

TEST_F(HttpPlatform, A403AtStartAsksToLogInAgain) {
  server_.revoke_token(403);
  start(options());
  ASSERT_TRUE(events_.wait_for_state(FeedState::login_required));
  EXPECT_NE(feed_->status().detail.find("forbidden"), std::string::npos);
  EXPECT_LE(server_.requests().size(), 3U);  // one per stream at most
}

TEST_F(HttpPlatform, AWrongTokenNeverAppearsInTheStatus) {
  auto o = options();
  o.token = "wrong-token-Zq81";
  start(o);
  ASSERT_TRUE(events_.wait_for_state(FeedState::login_required));
  EXPECT_EQ(feed_->status().detail.find("wrong-token-Zq81"), std::string::npos);
  EXPECT_NE(feed_->status().detail.find("401"), std::string::npos);
}

TEST_F(HttpPlatform, ATokenReadFromAFileWithItsNewlineStillWorks) {
  auto o = options();
  o.token = std::string(kToken) + "\n";
  start_and_settle(o);
  for (const auto& r : server_.requests()) EXPECT_TRUE(r.authorized) << r.path;
}

TEST(HttpPlatformToken, ATokenWithControlCharactersInsideIsRefusedBeforeSendingIt) {
  Feed::Options o;
  o.base_url = "http://127.0.0.1:1/";
  o.token = "abc\r\nX-Injected: 1";
  Feed feed(o);
  std::vector<FeedStatus> states;
  feed.start([&](const FeedEvent& e) {
    if (const auto* s = std::get_if<FeedStateChanged>(&e)) states.push_back(s->status);
  });
  ASSERT_EQ(states.size(), 1U);
  EXPECT_EQ(states[0].state, FeedState::stopped);
  EXPECT_EQ(states[0].detail.find("Injected"), std::string::npos);
}

// ---- Sessions and the showcase ---------------------------------------------------------------------

TEST_F(HttpPlatform, StartsShowcasesAndEndsALiveSession) {
  start_and_settle();
  auto result = feed_->start_session("永顺秋收直播", {"p-1001", "p-1002"});
  ASSERT_TRUE(std::holds_alternative<LiveSession>(result));
  const auto& session = std::get<LiveSession>(result);
  EXPECT_EQ(session.session_id, "s-1");
  EXPECT_EQ(session.push_url, "rtmp://127.0.0.1/live");
  EXPECT_EQ(session.stream_key, "sk_test_s-1");
  EXPECT_EQ(feed_->session_id(), "s-1");
  const auto posted = server_.requests_to("/v1/live/sessions").at(0);
  EXPECT_NE(posted.body.find("永顺秋收直播"), std::string::npos);
  EXPECT_NE(posted.body.find("p-1002"), std::string::npos);

  server_.inject("/v1/live/sessions/s-1/showcase", PlatformFault::http_status(500));
  feed_->showcase("p-1001");
  ASSERT_TRUE(wait_until(deadline_after(kEventWait), [&] { return server_.showcased().size() == 1; }));
  EXPECT_EQ(server_.showcased(), (std::vector<std::string>{"p-1001"}));

  feed_->end_session();
  EXPECT_EQ(server_.ended_sessions(), (std::vector<std::string>{"s-1"}));
  EXPECT_EQ(feed_->session_id(), "");
  // A second end sends nothing.
  const auto n = server_.requests().size();
  feed_->end_session();
  EXPECT_EQ(server_.requests().size(), n);
}

TEST_F(HttpPlatform, ShowcaseNeverBlocksAndOnlyTheLatestQueuedProductIsSent) {
  start_and_settle();
  ASSERT_TRUE(std::holds_alternative<LiveSession>(feed_->start_session("直播", {"p-1", "p-2"})));
  server_.inject("/v1/live/sessions/s-1/showcase", PlatformFault::slow(milliseconds(600)));
  const auto t0 = Clock::now();
  feed_->showcase("p-1");
  ASSERT_TRUE(server_.wait_for_requests("/v1/live/sessions/s-1/showcase", 1, deadline_after(kEventWait)));
  for (const char* p : {"p-2", "p-3", "p-4"}) feed_->showcase(p);
  EXPECT_LT(Clock::now() - t0, milliseconds(300)) << "showcase() waited for the network";
  ASSERT_TRUE(wait_until(deadline_after(kEventWait), [&] {
    const auto s = server_.showcased();
    return !s.empty() && s.back() == "p-4";
  }));
  const auto sent = server_.showcased();
  EXPECT_EQ(std::count(sent.begin(), sent.end(), "p-2") + std::count(sent.begin(), sent.end(), "p-3"), 0);
}

TEST_F(HttpPlatform, AShowcaseForASessionThePlatformEndedForgetsTheSession) {
  start_and_settle();
  ASSERT_TRUE(std::holds_alternative<LiveSession>(feed_->start_session("直播", {"p-1"})));
  server_.end_session_on_platform("s-1");
  feed_->showcase("p-1");
  ASSERT_TRUE(wait_until(deadline_after(kEventWait), [&] { return feed_->session_id().empty(); }));
  EXPECT_EQ(server_.count("/v1/live/sessions/s-1/showcase"), 1U) << "a 404 is not retried";
  // Ending it now is a no-op, not an error.
  feed_->end_session();
  EXPECT_EQ(server_.count("/v1/live/sessions/s-1/end"), 0U);
}

TEST_F(HttpPlatform, EndingASessionAlreadyEndedOnThePlatformIsSuccess) {
  start_and_settle();
  ASSERT_TRUE(std::holds_alternative<LiveSession>(feed_->start_session("直播", {"p-1"})));
  server_.end_session_on_platform("s-1");
  feed_->end_session();
  const auto ends = server_.requests_to("/v1/live/sessions/s-1/end");
  ASSERT_EQ(ends.size(), 1U);
  EXPECT_EQ(ends[0].status, 404);
  EXPECT_EQ(feed_->session_id(), "");
}

TEST_F(HttpPlatform, EndingASessionRetriesAFailingPlatform) {
  start_and_settle();
  ASSERT_TRUE(std::holds_alternative<LiveSession>(feed_->start_session("直播", {"p-1"})));
  server_.inject("/v1/live/sessions/s-1/end", PlatformFault::http_status(503), 2);
  feed_->end_session();
  EXPECT_EQ(server_.count("/v1/live/sessions/s-1/end"), 3U);
  EXPECT_EQ(server_.ended_sessions(), (std::vector<std::string>{"s-1"}));
}

TEST_F(HttpPlatform, StartingASessionReportsWhyItFailed) {
  start_and_settle();
  server_.inject("/v1/live/sessions", PlatformFault::http_status(500));
  auto r = feed_->start_session("直播", {"p-1"});
  ASSERT_TRUE(std::holds_alternative<FeedError>(r));
  EXPECT_EQ(std::get<FeedError>(r).code, FeedError::Code::unreachable);

  server_.inject("/v1/live/sessions", PlatformFault::http_status(422));
  r = feed_->start_session("直播", {"p-1"});
  ASSERT_TRUE(std::holds_alternative<FeedError>(r));
  EXPECT_EQ(std::get<FeedError>(r).code, FeedError::Code::rejected);

  server_.inject("/v1/live/sessions", PlatformFault::malformed());
  r = feed_->start_session("直播", {"p-1"});
  ASSERT_TRUE(std::holds_alternative<FeedError>(r));
  EXPECT_EQ(std::get<FeedError>(r).code, FeedError::Code::bad_response);
  EXPECT_EQ(feed_->status().state, FeedState::online);
}

// ---- Stopping ----------------------------------------------------------------------------------------

TEST_F(HttpPlatform, StopsAtOnceWhileLongPollingForThirtySeconds) {
  auto o = options();
  o.long_poll_wait_s = 30;
  start_and_settle(o);
  EXPECT_EQ(server_.requests_to("/v1/orders").back().params.at("wait"), "30");
  stop_and_expect_prompt();  // < 500 ms
  EXPECT_EQ(events_.states().back().state, FeedState::stopped);
}

TEST_F(HttpPlatform, StopsAtOnceDuringALongBackOff) {
  server_.inject("", PlatformFault::http_status(500), 1000);
  auto o = options();
  o.backoff = Backoff::Policy{20'000'000, 30'000'000};
  start(o);
  ASSERT_TRUE(events_.wait_for_state(FeedState::offline_retrying));
  EXPECT_EQ(feed_->status().retry_in_ms, 20'000);
  stop_and_expect_prompt();
}

TEST_F(HttpPlatform, AnUnreachablePlatformIsRetriedNotFatal) {
  auto o = options();
  o.base_url = "http://127.0.0.1:1/";  // nothing listens on port 1
  start(o);
  ASSERT_TRUE(events_.wait([&] { return events_.retry_waits().size() >= 4; }));
  EXPECT_EQ(feed_->status().state, FeedState::offline_retrying);
}

TEST(HttpPlatformUrl, PlainHttpIsOnlyForThisComputer) {
  EXPECT_FALSE(Feed::base_url_problem("https://api.example.com/"));
  EXPECT_FALSE(Feed::base_url_problem("https://api.example.com/shop/api"));
  EXPECT_FALSE(Feed::base_url_problem("http://127.0.0.1:8080/"));
  EXPECT_FALSE(Feed::base_url_problem("http://localhost:8080/"));
  EXPECT_FALSE(Feed::base_url_problem("http://[::1]:8080/"));
  EXPECT_TRUE(Feed::base_url_problem("http://api.example.com/"));
  EXPECT_TRUE(Feed::base_url_problem("ftp://api.example.com/"));
  EXPECT_TRUE(Feed::base_url_problem(""));
  EXPECT_TRUE(Feed::base_url_problem("not a url at all"));
}

TEST(HttpPlatformUrl, AnUnusableAddressStopsAtOnceWithoutSendingAnything) {
  Feed::Options o;
  o.base_url = "http://api.example.com/";
  o.token = kToken;
  Feed feed(o);
  std::vector<FeedStatus> states;
  feed.start([&](const FeedEvent& e) {
    if (const auto* s = std::get_if<FeedStateChanged>(&e)) states.push_back(s->status);
  });
  ASSERT_EQ(states.size(), 1U);
  EXPECT_EQ(states[0].state, FeedState::stopped);
  EXPECT_NE(states[0].detail.find("https"), std::string::npos);
  auto r = feed.start_session("直播", {});
  EXPECT_TRUE(std::holds_alternative<FeedError>(r));
  feed.request_stop();
  feed.join();
}

TEST(HttpPlatformDedup, RemembersTheLastNIdsOnly) {
  RecentIds seen(3);
  EXPECT_TRUE(seen.insert("a"));
  EXPECT_FALSE(seen.insert("a"));
  EXPECT_TRUE(seen.insert("b"));
  EXPECT_TRUE(seen.insert("c"));
  EXPECT_TRUE(seen.insert("d"));  // forgets "a"
  EXPECT_EQ(seen.size(), 3U);
  EXPECT_FALSE(seen.contains("a"));
  EXPECT_FALSE(seen.insert("d"));
  EXPECT_TRUE(seen.insert("a"));
  // Long ids (past the small-string buffer) stay findable as the window moves.
  RecentIds long_ids(100);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(long_ids.insert("order-with-a-long-id-" + std::to_string(i)));
  }
  EXPECT_TRUE(long_ids.contains("order-with-a-long-id-999"));
  EXPECT_TRUE(long_ids.contains("order-with-a-long-id-900"));
  EXPECT_FALSE(long_ids.contains("order-with-a-long-id-899"));
}

// ---- The server's images (what the image loader tests fetch) ---------------------------------------

TEST_F(HttpPlatform, ServesWhateverImageBytesATestHandsIt) {
  const std::string webp = std::string("RIFF\x24\0\0\0WEBPVP8 ", 16) + std::string(20, '\x01');
  server_.set_image("p-1.webp", webp, "image/webp");
  server_.set_image("broken.jpg", "\xFF\xD8\xFF\xE0 not really a jpeg", "image/jpeg");
  HttpTransfer transfer({"Authorization: Bearer unused", "cunbo/test", milliseconds(1000), 1 << 20},
                        [] { return false; });
  auto r = transfer.perform({HttpRequest::Method::get, server_.base_url() + "img/p-1.webp", {}, {}, milliseconds(2000)});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, webp);
  r = transfer.perform({HttpRequest::Method::get, server_.base_url() + "img/broken.jpg", {}, {}, milliseconds(2000)});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.substr(0, 3), "\xFF\xD8\xFF");
  r = transfer.perform({HttpRequest::Method::get, server_.base_url() + "img/missing.png", {}, {}, milliseconds(2000)});
  EXPECT_EQ(r.status, 404);
}

// ---- Figures for the closing note (printed, loosely bounded) -----------------------------------------

TEST_F(HttpPlatform, AnOrderReachesTheListenerWithin200msWhileCommentsLongPoll) {
  auto o = options();
  o.long_poll_wait_s = 5;
  start_and_settle(o);
  std::vector<double> latencies_ms;
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(both_polls_held());
    const std::string id = "o-lat-" + std::to_string(i);
    const auto posted = Clock::now();
    server_.post_order(PlatformServer::order_json(id));
    ASSERT_TRUE(events_.wait_for_orders(static_cast<std::size_t>(i + 1)));
    latencies_ms.push_back(std::chrono::duration<double, std::milli>(*events_.arrival(id) - posted).count());
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const double p50 = latencies_ms[latencies_ms.size() / 2];
  const double p95 = latencies_ms[latencies_ms.size() * 95 / 100];
  std::printf("[figures] server order -> listener over %zu orders: p50 %.2f ms, p95 %.2f ms, max %.2f ms\n",
              latencies_ms.size(), p50, p95, latencies_ms.back());
  EXPECT_LT(p95, 200.0);
  EXPECT_TRUE(events_.repeated_order_ids().empty());
}

class HttpPlatformIdle : public HttpPlatform {
 protected:
  HttpPlatformIdle() : HttpPlatform(/*keep_alive=*/false) {}
};

TEST_F(HttpPlatformIdle, AnIdleLongPollLoopUsesAlmostNoCpu) {
  auto o = options();
  o.long_poll_wait_s = 1;  // a poll a second per stream: busier than the real 30 s
  start_and_settle(o);
  auto cpu_us = [] {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return (int64_t{ru.ru_utime.tv_sec} + ru.ru_stime.tv_sec) * 1'000'000 + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
  };
  const std::size_t polls = server_.count("/v1/orders");
  const auto wall0 = Clock::now();
  const int64_t cpu0 = cpu_us();
  // Three more idle polls of orders (comments poll alongside): about 3 s.
  ASSERT_TRUE(server_.wait_for_requests("/v1/orders", polls + 3, deadline_after(std::chrono::seconds(10))));
  const int64_t cpu = cpu_us() - cpu0;
  const double wall_s = std::chrono::duration<double>(Clock::now() - wall0).count();
  const double percent = 100.0 * static_cast<double>(cpu) / (wall_s * 1e6);
  std::printf("[figures] idle long polling (wait=1 s, two streams, server in-process, ASan build as built): "
              "%.1f ms CPU over %.2f s = %.2f%% of one core\n",
              static_cast<double>(cpu) / 1000.0, wall_s, percent);
  EXPECT_LT(percent, 10.0) << "the idle loop is spinning";
}

TEST_F(HttpPlatform, MemoryPerThousandOrders) {
  start_and_settle();
  for (int i = 0; i < 1000; ++i) {
    server_.post_order(PlatformServer::order_json("o-2026112908-" + std::to_string(100000 + i), "p-1001", 2, 7980));
  }
  ASSERT_TRUE(events_.wait_for_orders(1000));
  const auto orders = events_.orders();
  EXPECT_TRUE(events_.repeated_order_ids().empty());

  auto heap = [](const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : std::size_t{0}; };
  std::size_t bytes = 0;
  for (const auto& o : orders) {
    bytes += sizeof(Order) + heap(o.id) + heap(o.product_id) + heap(o.buyer) + heap(o.currency) + heap(o.created_at);
  }
  RecentIds seen;
  for (const auto& o : orders) seen.insert(o.id);
  std::printf("[figures] 1,000 orders: %zu bytes as Order objects (sizeof(Order) = %zu) + %zu bytes of "
              "de-duplication ids = %.1f KiB per 1,000 cached orders\n",
              bytes, sizeof(Order), seen.approx_bytes(), static_cast<double>(bytes + seen.approx_bytes()) / 1024.0);
  EXPECT_EQ(orders.size(), 1000U);
}

}  // namespace
}  // namespace cunbo::test
