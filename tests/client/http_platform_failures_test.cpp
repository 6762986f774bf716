// HttpPlatform when the platform misbehaves: every fault the in-process server can throw at
// it, the client neither crashes nor hangs, delivers every valid order exactly once, backs
// off as the contract says and recovers; and it stops at once whatever it is waiting for.
#include "client/platform/http_platform.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/client/http_platform_fixture.h"

namespace cunbo::test {
namespace {

// ---- Failures and back-off ---------------------------------------------------------------------

TEST_F(HttpPlatform, BacksOffExponentiallyThroughA500BurstAndRecovers) {
  start_and_settle();
  // Armed before o-1 wakes the held poll: the client's next poll may reach the server before
  // this thread hears of o-1, and would then be held instead of failing.
  const std::size_t before = server_.count("/v1/orders");
  server_.inject("/v1/orders", PlatformFault::http_status(500), 5);
  server_.inject("/v1/orders", PlatformFault::http_status(503), 1);
  server_.post_order(PlatformServer::order_json("o-1"));  // wakes the held poll; the six after it fail
  ASSERT_TRUE(events_.wait_for_orders(1));
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
  // Orders are not held up meanwhile: o-1 arrives while the client still waits on the stalled
  // comments poll (it gives up only 1.5 s after sending it).
  server_.post_order(PlatformServer::order_json("o-1"));
  ASSERT_TRUE(events_.wait_for_orders(1));
  EXPECT_TRUE(events_.retry_waits().empty()) << "o-1 came only after the comments poll had timed out";

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
  // The held poll answers o-1; the next two polls are dropped halfway through their bodies.
  ASSERT_TRUE(deliver_orders_across(PlatformFault::drop(), 2));
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
  ASSERT_TRUE(deliver_orders_across(PlatformFault::malformed(), 2));
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
  ASSERT_TRUE(deliver_orders_across(PlatformFault::huge(), 1));  // the poll after o-1 gets 50 MiB
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

// ---- Stopping ----------------------------------------------------------------------------------------

TEST_F(HttpPlatform, StopsAtOnceWhileLongPollingForThirtySeconds) {
  auto o = options();
  o.long_poll_wait_s = 30;
  start_and_settle(o);
  EXPECT_EQ(server_.requests_to("/v1/orders").back().params.at("wait"), "30");
  stop_and_expect_prompt();  // well before the server would answer the held polls
  EXPECT_EQ(events_.states().back().state, FeedState::stopped);
}

TEST_F(HttpPlatform, StopsAtOnceDuringALongBackOff) {
  server_.inject("", PlatformFault::http_status(500), 1000);
  auto o = options();
  o.backoff = Backoff::Policy{60'000'000, 120'000'000};
  start(o);
  ASSERT_TRUE(events_.wait_for_state(FeedState::offline_retrying));
  EXPECT_EQ(feed_->status().retry_in_ms, 60'000);
  stop_and_expect_prompt();  // well before the minute's wait is over
}

TEST_F(HttpPlatform, AnUnreachablePlatformIsRetriedNotFatal) {
  auto o = options();
  o.base_url = "http://127.0.0.1:1/";  // nothing listens on port 1
  start(o);
  ASSERT_TRUE(events_.wait([&] { return events_.retry_waits().size() >= 4; }));
  EXPECT_EQ(feed_->status().state, FeedState::offline_retrying);
}

}  // namespace
}  // namespace cunbo::test
