// The strict parsers for the platform API's responses: the contract's examples, and every way a
// server can get an item wrong (that item skipped with a reason, the rest kept) or the whole
// body wrong (nullopt, treated like a 5xx).
#include "client/platform/platform_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cunbo {
namespace {

// The contract's examples, verbatim.
constexpr const char* kProductsExample =
    R"({"products":[{"id":"p-1001","title":"永顺番薯粉 500g","subtitle":"农家手工",
      "price_cents":3990,"original_price_cents":4990,"currency":"CNY","stock":120,
      "image_url":"https://img.example.com/p-1001.jpg","tags":["包邮","现挖"]}],
     "updated_at":"2026-11-29T08:00:00+08:00"})";
constexpr const char* kOrdersExample =
    R"({"orders":[{"id":"o-88231","product_id":"p-1001","buyer":"张**","quantity":2,
      "amount_cents":7980,"currency":"CNY","created_at":"2026-11-29T08:01:02+08:00"}],
     "next":"c-88231"})";
constexpr const char* kCommentsExample =
    R"({"comments":[{"id":"m-1","user":"李**","text":"红薯粉怎么吃？","created_at":"..."}],
     "next":"m-1"})";
constexpr const char* kSessionExample =
    R"({"session_id":"s-42","push_url":"rtmp://push.example.com/live","stream_key":"sk_...",
     "expires_at":"2026-11-29T12:00:00+08:00"})";

std::string product_json(const std::string& id, const std::string& extra = "") {
  return R"({"id":")" + id + R"(","title":"猕猴桃","price_cents":2990)" + extra + "}";
}

std::string products_body(const std::vector<std::string>& items) {
  std::string body = R"({"products":[)";
  for (size_t i = 0; i < items.size(); ++i) body += (i ? "," : "") + items[i];
  return body + "]}";
}

std::string order_json(const std::string& id, const std::string& fields) {
  return R"({"id":")" + id + R"(","product_id":"p-1","buyer":"王**",)" + fields + "}";
}

std::string orders_body(const std::vector<std::string>& items) {
  std::string body = R"({"orders":[)";
  for (size_t i = 0; i < items.size(); ++i) body += (i ? "," : "") + items[i];
  return body + R"(],"next":"c-9"})";
}

// Parses a one-bad-item products list and returns the reasons, checking the good item stayed.
std::vector<std::string> skipped_with_good_neighbour(const std::string& bad_item) {
  std::vector<std::string> skipped;
  auto page = parse_products(products_body({bad_item, product_json("p-good")}), skipped);
  EXPECT_TRUE(page.has_value());
  if (page) {
    EXPECT_EQ(page->products.size(), 1U);
    if (!page->products.empty()) {
      EXPECT_EQ(page->products[0].id, "p-good");
    }
  }
  return skipped;
}

TEST(PlatformJson, ParsesTheContractsProductExample) {
  std::vector<std::string> skipped;
  auto page = parse_products(kProductsExample, skipped);
  ASSERT_TRUE(page);
  EXPECT_TRUE(skipped.empty());
  ASSERT_EQ(page->products.size(), 1U);
  const Product& p = page->products[0];
  EXPECT_EQ(p.id, "p-1001");
  EXPECT_EQ(p.title, "永顺番薯粉 500g");
  EXPECT_EQ(p.subtitle, "农家手工");
  EXPECT_EQ(p.price_cents, 3990);
  EXPECT_EQ(p.original_price_cents, 4990);
  EXPECT_EQ(p.currency, "CNY");
  EXPECT_EQ(p.stock, 120);
  EXPECT_EQ(p.image_url, "https://img.example.com/p-1001.jpg");
  EXPECT_EQ(p.tags, (std::vector<std::string>{"包邮", "现挖"}));
  EXPECT_EQ(page->updated_at, "2026-11-29T08:00:00+08:00");
}

TEST(PlatformJson, ParsesTheContractsOrderExample) {
  std::vector<std::string> skipped;
  auto page = parse_orders(kOrdersExample, skipped);
  ASSERT_TRUE(page);
  EXPECT_TRUE(skipped.empty());
  EXPECT_EQ(page->next, "c-88231");
  ASSERT_EQ(page->orders.size(), 1U);
  const Order& o = page->orders[0];
  EXPECT_EQ(o.id, "o-88231");
  EXPECT_EQ(o.product_id, "p-1001");
  EXPECT_EQ(o.buyer, "张**");
  EXPECT_EQ(o.quantity, 2);
  EXPECT_EQ(o.amount_cents, 7980);
  EXPECT_EQ(o.currency, "CNY");
  EXPECT_EQ(o.created_at, "2026-11-29T08:01:02+08:00");
}

TEST(PlatformJson, ParsesTheContractsCommentExample) {
  std::vector<std::string> skipped;
  auto page = parse_comments(kCommentsExample, skipped);
  ASSERT_TRUE(page);
  EXPECT_TRUE(skipped.empty());
  EXPECT_EQ(page->next, "m-1");
  ASSERT_EQ(page->comments.size(), 1U);
  EXPECT_EQ(page->comments[0].id, "m-1");
  EXPECT_EQ(page->comments[0].user, "李**");
  EXPECT_EQ(page->comments[0].text, "红薯粉怎么吃？");
}

TEST(PlatformJson, ParsesTheContractsLiveSessionExample) {
  auto s = parse_live_session(kSessionExample);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->session_id, "s-42");
  EXPECT_EQ(s->push_url, "rtmp://push.example.com/live");
  EXPECT_EQ(s->stream_key, "sk_...");
  EXPECT_EQ(s->expires_at, "2026-11-29T12:00:00+08:00");
}

TEST(PlatformJson, ParsesTheContractsErrorBody) {
  auto e = parse_error(R"({"error":{"code":"token_expired","message":"登录已过期"}})");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "token_expired");
  EXPECT_EQ(e->message, "登录已过期");
}

TEST(PlatformJson, GivesNothingForABodyThatIsNotJson) {
  std::vector<std::string> skipped;
  for (const char* body : {"", "<html>502 Bad Gateway</html>", "{", R"({"products":[)", "nul", "\xff\xfe{}",
                           R"({"orders":[],"next":"c"} trailing)"}) {
    EXPECT_FALSE(parse_products(body, skipped)) << body;
    EXPECT_FALSE(parse_orders(body, skipped)) << body;
    EXPECT_FALSE(parse_comments(body, skipped)) << body;
    EXPECT_FALSE(parse_live_session(body)) << body;
    EXPECT_FALSE(parse_error(body)) << body;
  }
  EXPECT_TRUE(skipped.empty());
}

TEST(PlatformJson, GivesNothingWhenTheTopLevelShapeIsWrong) {
  std::vector<std::string> skipped;
  EXPECT_FALSE(parse_products("[]", skipped));
  EXPECT_FALSE(parse_products("42", skipped));
  EXPECT_FALSE(parse_products(R"({"products":{}})", skipped));
  EXPECT_FALSE(parse_products(R"({"items":[]})", skipped));
  EXPECT_FALSE(parse_orders(R"({"orders":[]})", skipped)) << "no cursor";
  EXPECT_FALSE(parse_orders(R"({"orders":[],"next":7})", skipped));
  EXPECT_FALSE(parse_orders(R"({"orders":null,"next":"c"})", skipped));
  EXPECT_FALSE(parse_comments(R"({"comments":"m-1","next":"m-1"})", skipped));
  EXPECT_FALSE(parse_error(R"({"error":"token_invalid"})"));
  EXPECT_FALSE(parse_error(R"({"error":{"message":"no code"}})"));
  EXPECT_FALSE(parse_live_session(R"({"session_id":"s-1","push_url":"rtmp://x/live"})")) << "no stream key";
  EXPECT_TRUE(skipped.empty());
}

TEST(PlatformJson, AcceptsAnEmptyPageAndKeepsItsCursor) {
  std::vector<std::string> skipped;
  auto page = parse_orders(R"({"orders":[],"next":"c-88231"})", skipped);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->orders.empty());
  EXPECT_EQ(page->next, "c-88231");
}

TEST(PlatformJson, SkipsAnItemWithAWrongTypeAndKeepsTheRest) {
  for (const std::string& bad : {
           std::string(R"({"id":"p-bad","title":"枣","price_cents":"3990"})"),
           std::string(R"({"id":"p-bad","title":"枣","price_cents":39.9})"),
           std::string(R"({"id":"p-bad","title":"枣","price_cents":3990.0})"),
           std::string(R"({"id":"p-bad","title":"枣","price_cents":true})"),
           std::string(R"({"id":1001,"title":"枣","price_cents":3990})"),
           std::string(R"({"id":"p-bad","title":["枣"],"price_cents":3990})"),
           product_json("p-bad", R"(,"stock":"many")"),
           product_json("p-bad", R"(,"tags":"包邮")"),
           product_json("p-bad", R"(,"tags":["包邮",3])"),
           product_json("p-bad", R"(,"original_price_cents":{})"),
           product_json("p-bad", R"(,"currency":"yuan")"),
           product_json("p-bad", R"(,"image_url":false)"),
           std::string("[1,2]"),
           std::string("\"p-bad\""),
           std::string("null"),
       }) {
    const auto skipped = skipped_with_good_neighbour(bad);
    ASSERT_EQ(skipped.size(), 1U) << bad;
    EXPECT_NE(skipped[0].find("products[0]"), std::string::npos) << skipped[0];
  }
}

TEST(PlatformJson, SkipsAnItemWithAMissingRequiredField) {
  const auto no_price = skipped_with_good_neighbour(R"({"id":"p-bad","title":"枣"})");
  ASSERT_EQ(no_price.size(), 1U);
  EXPECT_NE(no_price[0].find("price_cents is missing"), std::string::npos) << no_price[0];
  EXPECT_NE(no_price[0].find("p-bad"), std::string::npos) << "the reason names a clean id";
  EXPECT_EQ(skipped_with_good_neighbour(R"({"title":"枣","price_cents":1})").size(), 1U);
  EXPECT_EQ(skipped_with_good_neighbour(R"({"id":"p-bad","price_cents":1})").size(), 1U);
  EXPECT_EQ(skipped_with_good_neighbour(R"({"id":"p-bad","title":"","price_cents":1})").size(), 1U);

  std::vector<std::string> skipped;
  auto page = parse_orders(orders_body({order_json("o-1", R"("quantity":1)"),
                                        order_json("o-2", R"("quantity":1,"amount_cents":100)")}),
                           skipped);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->orders.size(), 1U);
  EXPECT_EQ(page->orders[0].id, "o-2");
  ASSERT_EQ(skipped.size(), 1U);
  EXPECT_NE(skipped[0].find("amount_cents is missing"), std::string::npos) << skipped[0];

  skipped.clear();
  auto comments = parse_comments(R"({"comments":[{"id":"m-1","user":"李**"},{"id":"m-2","user":"李**","text":"好"}],
                                     "next":"m-2"})",
                                 skipped);
  ASSERT_TRUE(comments);
  ASSERT_EQ(comments->comments.size(), 1U);
  EXPECT_EQ(comments->comments[0].id, "m-2");
  EXPECT_EQ(skipped.size(), 1U);
}

TEST(PlatformJson, SkipsAbsurdNumbers) {
  EXPECT_EQ(skipped_with_good_neighbour(R"({"id":"p-neg","title":"枣","price_cents":-1})").size(), 1U);
  EXPECT_EQ(skipped_with_good_neighbour(R"({"id":"p-big","title":"枣","price_cents":1000000000001})").size(), 1U);
  EXPECT_EQ(skipped_with_good_neighbour(R"({"id":"p-huge","title":"枣","price_cents":18446744073709551615})").size(),
            1U);
  EXPECT_EQ(skipped_with_good_neighbour(R"({"id":"p-1e99","title":"枣","price_cents":1e99})").size(), 1U);
  EXPECT_EQ(skipped_with_good_neighbour(product_json("p-stock", R"(,"stock":-5)")).size(), 1U);
  EXPECT_EQ(skipped_with_good_neighbour(product_json("p-orig", R"(,"original_price_cents":-100)")).size(), 1U);

  std::vector<std::string> skipped;
  auto page = parse_orders(
      orders_body({order_json("o-zero", R"("quantity":0,"amount_cents":0)"),
                   order_json("o-neg", R"("quantity":-2,"amount_cents":100)"),
                   order_json("o-many", R"("quantity":100001,"amount_cents":100)"),
                   order_json("o-rich", R"("quantity":1,"amount_cents":1000000000001)"),
                   order_json("o-int-overflow", R"("quantity":4294967297,"amount_cents":100)"),
                   order_json("o-max", R"("quantity":100000,"amount_cents":1000000000000)")}),
      skipped);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->orders.size(), 1U);
  EXPECT_EQ(page->orders[0].id, "o-max");
  EXPECT_EQ(page->orders[0].quantity, 100000);
  EXPECT_EQ(skipped.size(), 5U);
}

TEST(PlatformJson, AcceptsTheLimitsThemselves) {
  std::vector<std::string> skipped;
  const std::string id64(64, 'a');
  auto page = parse_products(
      products_body({R"({"id":")" + id64 + R"(","title":"免费试吃","price_cents":0,"stock":0})",
                     R"({"id":"p-max","title":"整车冬枣","price_cents":1000000000000})"}),
      skipped);
  ASSERT_TRUE(page);
  EXPECT_TRUE(skipped.empty());
  ASSERT_EQ(page->products.size(), 2U);
  EXPECT_EQ(page->products[0].id, id64);
  EXPECT_EQ(page->products[0].stock, 0);
  EXPECT_EQ(page->products[1].price_cents, 1'000'000'000'000);
}

TEST(PlatformJson, SkipsAnItemWhoseIdIsEmptyOrTooLong) {
  EXPECT_EQ(skipped_with_good_neighbour(product_json("")).size(), 1U);
  const auto long_id = skipped_with_good_neighbour(product_json(std::string(65, 'a')));
  ASSERT_EQ(long_id.size(), 1U);
  EXPECT_EQ(long_id[0].find(std::string(65, 'a')), std::string::npos) << "a bad id is not logged";
  EXPECT_EQ(skipped_with_good_neighbour(product_json("p\\n1")).size(), 1U) << "control characters";
}

TEST(PlatformJson, SkipsOnlyTheItemWithInvalidUtf8) {
  for (const std::string& bad_title : {
           std::string("\xff"),              // never valid
           std::string("\xe5\x86"),          // truncated 冬
           std::string("\xc0\xaf"),          // overlong '/'
           std::string("\xed\xa0\x80"),      // an encoded UTF-16 surrogate
           std::string("\xf4\x90\x80\x80"),  // above U+10FFFF
           std::string("\x80\x80"),          // lone continuation bytes
           std::string("\\ud83c"),           // a lone high surrogate escape
           std::string("\\udc00x"),          // a lone low surrogate escape
           std::string("\\ud83c\\u0041"),    // a high surrogate escape not followed by a low one
           std::string("tab\there"),         // a raw control character
       }) {
    const auto skipped =
        skipped_with_good_neighbour(R"({"id":"p-bad","title":"冬枣)" + bad_title + R"(","price_cents":3980})");
    ASSERT_EQ(skipped.size(), 1U) << bad_title;
    EXPECT_NE(skipped[0].find("title is not valid UTF-8"), std::string::npos) << skipped[0];
  }
}

TEST(PlatformJson, SkipsAnOrderWithAnInvalidBuyerWithoutLoggingTheBuyer) {
  std::vector<std::string> skipped;
  auto page = parse_orders(orders_body({"{\"id\":\"o-1\",\"product_id\":\"p-1\",\"buyer\":\"张三丰\xff\","
                                        "\"quantity\":1,\"amount_cents\":100}",
                                        order_json("o-2", R"("quantity":1,"amount_cents":100)")}),
                           skipped);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->orders.size(), 1U);
  EXPECT_EQ(page->orders[0].id, "o-2");
  ASSERT_EQ(skipped.size(), 1U);
  EXPECT_NE(skipped[0].find("buyer"), std::string::npos) << skipped[0];
  EXPECT_EQ(skipped[0].find("张"), std::string::npos) << skipped[0];
}

TEST(PlatformJson, NeverPutsBuyerNamesOrTextsInReasons) {
  std::vector<std::string> skipped;
  auto page = parse_orders(orders_body({R"({"id":"o-1","product_id":"p-1","buyer":"张**","quantity":"两"})"}), skipped);
  ASSERT_TRUE(page);
  auto comments = parse_comments(R"({"comments":[{"id":"m-1","user":"李**","text":5}],"next":"m-1"})", skipped);
  ASSERT_TRUE(comments);
  ASSERT_EQ(skipped.size(), 2U);
  for (const std::string& reason : skipped) {
    EXPECT_EQ(reason.find("**"), std::string::npos) << reason;
    EXPECT_EQ(reason.find("两"), std::string::npos) << reason;
  }
}

TEST(PlatformJson, KeepsEmojiAndCjkTitles) {
  std::vector<std::string> skipped;
  auto page = parse_products(
      products_body({R"({"id":"p-1","title":"🍎 红富士苹果 🔥🔥 限时秒杀","price_cents":1})",
                     R"({"id":"p-2","title":"\ud83c\udf4a 赣南脐橙 \u8d63","price_cents":2})",
                     R"({"id":"p-3","title":"한국 배 / 日本の梨 / 𠮷野家","price_cents":3})"}),
      skipped);
  ASSERT_TRUE(page);
  EXPECT_TRUE(skipped.empty());
  ASSERT_EQ(page->products.size(), 3U);
  EXPECT_EQ(page->products[0].title, "🍎 红富士苹果 🔥🔥 限时秒杀");
  EXPECT_EQ(page->products[1].title, "🍊 赣南脐橙 赣");
  EXPECT_EQ(page->products[2].title, "한국 배 / 日本の梨 / 𠮷野家");
}

TEST(PlatformJson, ReadsANullStockAsUnlimited) {
  std::vector<std::string> skipped;
  auto page = parse_products(products_body({product_json("p-null", R"(,"stock":null)"), product_json("p-missing")}),
                             skipped);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->products.size(), 2U);
  EXPECT_FALSE(page->products[0].stock.has_value());
  EXPECT_FALSE(page->products[1].stock.has_value());
}

TEST(PlatformJson, LetsOptionalFieldsBeMissing) {
  std::vector<std::string> skipped;
  auto page = parse_products(products_body({product_json("p-1")}), skipped);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->products.size(), 1U);
  const Product& p = page->products[0];
  EXPECT_TRUE(p.subtitle.empty());
  EXPECT_FALSE(p.original_price_cents);
  EXPECT_TRUE(p.tags.empty());
  EXPECT_TRUE(p.image_url.empty());
  EXPECT_EQ(p.currency, "CNY");
  EXPECT_TRUE(page->updated_at.empty());
}

TEST(PlatformJson, IgnoresUnknownFields) {
  std::vector<std::string> skipped;
  auto page = parse_orders(
      R"({"version":2,"orders":[{"id":"o-1","product_id":"p-1","buyer":"张**","quantity":1,"amount_cents":100,
          "coupon":{"id":"c","cents":500},"note":")" "\xff" R"("}],"next":"c-1","debug":[1,2,3]})",
      skipped);
  ASSERT_TRUE(page);
  EXPECT_TRUE(skipped.empty());
  EXPECT_EQ(page->orders.size(), 1U);
}

TEST(PlatformJson, HandlesAHugeArray) {
  std::string body = R"({"orders":[)";
  constexpr int kCount = 50'000;
  for (int i = 0; i < kCount; ++i) {
    if (i) body += ',';
    body += order_json("o-" + std::to_string(i), R"("quantity":1,"amount_cents":3990)");
  }
  body += R"(],"next":"c-end"})";
  std::vector<std::string> skipped;
  auto page = parse_orders(body, skipped);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->orders.size(), static_cast<size_t>(kCount));
  EXPECT_EQ(page->orders.back().id, "o-49999");
}

TEST(PlatformJson, PassesDuplicateIdsThroughForTheClientToDeduplicate) {
  std::vector<std::string> skipped;
  const std::string order = order_json("o-88231", R"("quantity":2,"amount_cents":7980)");
  auto page = parse_orders(orders_body({order, order}), skipped);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->orders.size(), 2U);
  EXPECT_EQ(page->orders[0].id, page->orders[1].id);
}

TEST(PlatformJson, RefusesAbsurdNestingWithoutCrashing) {
  std::vector<std::string> skipped;
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  EXPECT_FALSE(parse_products(deep, skipped));
  const std::string deep_item = R"({"products":[)" + std::string(5'000, '[') + std::string(5'000, ']') + "]}";
  EXPECT_FALSE(parse_products(deep_item, skipped));
}

TEST(PlatformJson, KeepsAnErrorCodeWhenItsMessageIsBroken) {
  auto e = parse_error("{\"error\":{\"code\":\"forbidden\",\"message\":\"\xff\"}}");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "forbidden");
  EXPECT_TRUE(e->message.empty());
}

TEST(PlatformJson, RefusesALiveSessionWithInvalidFields) {
  EXPECT_FALSE(parse_live_session(R"({"session_id":"","push_url":"rtmp://x/live","stream_key":"k"})"));
  EXPECT_FALSE(parse_live_session(R"({"session_id":"s-1","push_url":"rtmp://x/live","stream_key":7})"));
  EXPECT_FALSE(parse_live_session("{\"session_id\":\"s-1\",\"push_url\":\"rtmp://x/\xff\",\"stream_key\":\"k\"}"));
}

}  // namespace
}  // namespace cunbo
