// The end-of-session summary's arithmetic: time per product presented, orders per product.
#include "client/session/session_summary.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.h"

namespace cunbo {
namespace {

Order order(const std::string& product, int quantity, int64_t cents) {
  Order o;
  o.id = "o-" + product + std::to_string(quantity);
  o.product_id = product;
  o.quantity = quantity;
  o.amount_cents = cents;
  return o;
}

TEST(SessionStory, AddsUpTimeOnScreenPerProductInTheOrderFirstPresented) {
  SessionStory story;
  story.presented("p-2", 0);
  story.presented("p-2", 1'000'000);  // the same card again: no change
  story.presented("p-1", 10'000'000);
  story.presented(std::nullopt, 15'000'000);
  story.presented("p-2", 20'000'000);
  OrderBook book;
  book.add_order(order("p-2", 2, 11800), "", 0);
  book.add_order(order("p-3", 1, 990), "", 0);  // ordered, never presented

  SessionSummary summary;
  story.fill(summary, 30'000'000, book.tally(), [](const std::string& id) { return "title of " + id; });
  EXPECT_EQ(summary.orders, 2);
  EXPECT_EQ(summary.items, 3);
  EXPECT_EQ(summary.gmv_cents, 12790);
  ASSERT_EQ(summary.presented.size(), 2u);
  EXPECT_EQ(summary.presented[0].product_id, "p-2");
  EXPECT_EQ(summary.presented[0].title, "title of p-2");
  EXPECT_DOUBLE_EQ(summary.presented[0].seconds, 20.0);
  EXPECT_EQ(summary.presented[0].orders, 1);
  EXPECT_EQ(summary.presented[1].product_id, "p-1");
  EXPECT_DOUBLE_EQ(summary.presented[1].seconds, 5.0);
  EXPECT_EQ(summary.presented[1].orders, 0);
}

TEST(SessionStory, SavesThePrettyJsonBesideTheRecordingOrTheEventLog) {
  EXPECT_EQ(summary_path("/v/practice-1.mkv", "/v/practice-1.mkv.events.jsonl"), "/v/practice-1.mkv.summary.json");
  EXPECT_EQ(summary_path({}, "/s/live-1.mkv.events.jsonl"), "/s/live-1.mkv.summary.json");

  test::TempDir dir("session-summary");
  SessionSummary s;
  s.recording = dir / "practice-1.mkv";
  s.duration_s = 12.5;
  s.practice = true;
  s.presented.push_back({"p-1", "永顺辣椒酱", 12.5, 3});
  ASSERT_TRUE(save_summary(dir / "practice-1.mkv.summary.json", s));
  const std::string text = test::read_text_file(dir / "practice-1.mkv.summary.json");
  EXPECT_NE(text.find("\n  \"duration_s\""), std::string::npos);  // indented
  const nlohmann::json j = nlohmann::json::parse(text);
  EXPECT_EQ(j.at("presented")[0].at("title").get<std::string>(), "永顺辣椒酱");
  EXPECT_EQ(j.at("presented")[0].at("orders").get<int64_t>(), 3);
  EXPECT_TRUE(j.at("practice").get<bool>());
  EXPECT_FALSE(save_summary(dir / "no-such-folder" / "x.summary.json", s));
}

}  // namespace
}  // namespace cunbo
