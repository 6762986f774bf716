#include "client/session/showcase.h"

#include <gtest/gtest.h>

#include <thread>

#include "client/base/strings.h"

namespace cunbo {
namespace {

constexpr int64_t kMs = 1000;
constexpr int64_t kS = 1'000'000;

Order order(std::string buyer, int quantity = 1) {
  Order o;
  o.id = "o-" + buyer;
  o.product_id = "p-1";
  o.buyer = std::move(buyer);
  o.quantity = quantity;
  return o;
}

TEST(BannerText, NamesTheMaskedBuyerTheProductAndTheQuantityInChinese) {
  set_language(Language::en);  // the host reads English; viewers still read Chinese
  EXPECT_EQ(order_banner_text(order("张**", 2), "永顺辣椒酱"), "张** 刚刚下单 永顺辣椒酱 ×2");
  EXPECT_EQ(burst_banner_text(8), "刚刚有 8 人下单");
  set_language(Language::zh_CN);
}

TEST(BannerQueue, ABannerIsUpFromTheFirstFrameAfterTheOrderAndGoneAfterFourSeconds) {
  BannerQueue q;
  EXPECT_FALSE(q.at(0));
  q.add("a", 10 * kS);
  EXPECT_FALSE(q.at(10 * kS - 1));
  auto first = q.at(10 * kS);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->text, "a");
  EXPECT_GT(first->progress, 0.3f);  // visible in the very first picture drawn
  auto next_frame = q.at(10 * kS + 33 * kMs);
  ASSERT_TRUE(next_frame);
  EXPECT_GT(next_frame->progress, first->progress);
  EXPECT_FLOAT_EQ(q.at(12 * kS)->progress, 1.0f);
  EXPECT_LT(q.at(14 * kS - 100 * kMs)->progress, 1.0f);  // sliding out
  EXPECT_FALSE(q.at(14 * kS));
}

TEST(BannerQueue, OrdersArrivingWhileOneIsUpWaitTheirTurn) {
  BannerQueue q;
  q.add("a", 0);
  q.add("b", 1 * kS);
  EXPECT_EQ(q.at(3 * kS)->text, "a");
  EXPECT_EQ(q.at(4 * kS)->text, "b");  // back to back
  EXPECT_EQ(q.at(7 * kS)->text, "b");
  EXPECT_FALSE(q.at(8 * kS));
}

TEST(BannerQueue, ABurstOfOrdersBecomesOneCountingBanner) {
  BannerQueue q;
  q.add("first", 0);
  for (int i = 0; i < 7; ++i) q.add("x", 1 * kS + i * 100 * kMs);
  EXPECT_EQ(q.at(1 * kS)->text, "first");
  EXPECT_EQ(q.at(4 * kS)->text, burst_banner_text(7));
  EXPECT_FALSE(q.at(8 * kS));  // all seven shown at once, no queue lagging behind the sales
}

TEST(BannerQueue, APainterThatSleptSkipsBannersThatAreOver) {
  BannerQueue q;
  q.add("a", 0);
  q.add("b", 0);
  EXPECT_EQ(q.at(5 * kS)->text, "b");  // a ran 0–4 s, b runs 4–8 s
  EXPECT_FALSE(q.at(9 * kS));
}

TEST(BannerQueue, SaysWhenThePictureChangesNext) {
  BannerQueue q;
  EXPECT_GT(q.next_change_us(0), 1000 * kS);  // nothing to draw: sleep
  q.add("a", 1 * kS);
  EXPECT_EQ(q.next_change_us(0), 1 * kS);
  EXPECT_EQ(q.next_change_us(1 * kS), 1 * kS + BannerQueue::kAnimationStepUs);  // sliding in
  EXPECT_EQ(q.next_change_us(2 * kS), 1 * kS + BannerQueue::kBannerUs - BannerQueue::kSlideOutUs);  // holding
  EXPECT_EQ(q.next_change_us(5 * kS - 100 * kMs), 5 * kS - 100 * kMs + BannerQueue::kAnimationStepUs);
}

TEST(Showcase, PresentingAndHidingChangesTheViewAndWakesThePainter) {
  Showcase s;
  const ShowcaseView before = s.view(0);
  EXPECT_FALSE(before.card);
  Product p;
  p.id = "p-1";
  p.title = "永顺辣椒酱";
  std::thread presenter([&] { s.present(p); });
  s.wait_for_change(before.version, std::chrono::steady_clock::now() + std::chrono::seconds(10), {});
  presenter.join();
  const ShowcaseView shown = s.view(0);
  EXPECT_NE(shown.version, before.version);
  ASSERT_TRUE(shown.card);
  EXPECT_EQ(shown.card->id, "p-1");
  s.hide();
  EXPECT_FALSE(s.view(0).card);
}

TEST(Showcase, AnOrderPutsItsBannerInTheView) {
  Showcase s;
  s.add_order(order("李**", 3), "红枣", 5 * kS);
  const ShowcaseView v = s.view(5 * kS);
  ASSERT_TRUE(v.banner);
  EXPECT_EQ(v.banner->text, "李** 刚刚下单 红枣 ×3");
}

TEST(CardPlacement, ParsesThePresetsAndRejectsOthers) {
  EXPECT_EQ(parse_card_placement("bottom-left"), CardPlacement::bottom_left);
  EXPECT_EQ(parse_card_placement("bottom-right"), CardPlacement::bottom_right);
  EXPECT_EQ(parse_card_placement("top-right"), CardPlacement::top_right);
  EXPECT_FALSE(parse_card_placement("middle"));
}

}  // namespace
}  // namespace cunbo
