// HttpPlatform against a real in-process platform server (tests/support/platform_server):
// the contract's basics (headers, products with their ETag, orders and comments exactly
// once), logging in, the API address, and the server's image bytes.
#include "client/platform/http_platform.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "client/platform/http_transfer.h"
#include "client/platform/recent_ids.h"
#include "tests/client/http_platform_fixture.h"

namespace cunbo::test {
namespace {

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
  // Comments are held by the server for 30 s; an order must not wait for them: each arrives
  // within kEventWait (5 s), long before the comments poll would end.
  auto o = options();
  o.long_poll_wait_s = 30;
  start_and_settle(o);
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(both_polls_held());
    server_.post_order(PlatformServer::order_json("o-" + std::to_string(i)));
    ASSERT_TRUE(events_.wait_for_orders(static_cast<std::size_t>(i))) << "order " << i << " waited for the comments";
  }
  EXPECT_EQ(server_.count("/v1/comments"), 1U) << "the comments poll was not held throughout";
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

}  // namespace
}  // namespace cunbo::test
