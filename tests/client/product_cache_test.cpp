// The product list kept on disk for a start without a network.
#include "client/platform/product_cache.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include "tests/support/temp_dir.h"

namespace cunbo {
namespace {

std::vector<Product> sample_products() {
  Product sweet;
  sweet.id = "p-1001";
  sweet.title = "永顺番薯粉 500g 🍠";
  sweet.subtitle = "农家手工";
  sweet.price_cents = 3990;
  sweet.original_price_cents = 4990;
  sweet.stock = 120;
  sweet.image_url = "https://img.example.com/p-1001.jpg";
  sweet.tags = {"包邮", "现挖"};
  Product kiwi;
  kiwi.id = "p-1002";
  kiwi.title = "猕猴桃 5 斤";
  kiwi.price_cents = 2880;
  return {sweet, kiwi};
}

TEST(ProductCache, KeepsTheLastListAcrossRuns) {
  test::TempDir dir("product-cache");
  const auto path = dir / "cunbo" / "products.json";
  ASSERT_TRUE(save_products(path, sample_products()));
  auto loaded = load_products(path);
  ASSERT_TRUE(loaded.has_value());
  ASSERT_EQ(loaded->products.size(), 2u);
  const Product& p = loaded->products[0];
  EXPECT_EQ(p.id, "p-1001");
  EXPECT_EQ(p.title, "永顺番薯粉 500g 🍠");
  EXPECT_EQ(p.subtitle, "农家手工");
  EXPECT_EQ(p.price_cents, 3990);
  EXPECT_EQ(p.original_price_cents, 4990);
  EXPECT_EQ(p.stock, 120);
  EXPECT_EQ(p.image_url, "https://img.example.com/p-1001.jpg");
  EXPECT_EQ(p.tags, (std::vector<std::string>{"包邮", "现挖"}));
  EXPECT_FALSE(loaded->products[1].stock.has_value());  // unlimited stays unlimited
  EXPECT_FALSE(loaded->products[1].original_price_cents.has_value());
  EXPECT_FALSE(loaded->saved_at.empty());

  // A newer list replaces it whole, and no temp file is left beside it.
  ASSERT_TRUE(save_products(path, {sample_products()[1]}));
  ASSERT_EQ(load_products(path)->products.size(), 1u);
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(path.parent_path())) ++files;
  EXPECT_EQ(files, 1u);
}

TEST(ProductCache, IgnoresAMissingOrForeignFileAndSkipsBadItems) {
  test::TempDir dir("product-cache");
  EXPECT_FALSE(load_products(dir / "none.json").has_value());
  test::write_text_file(dir / "garbage.json", "{\"products\": [");
  EXPECT_FALSE(load_products(dir / "garbage.json").has_value());
  test::write_text_file(dir / "other.json", "[1, 2, 3]");
  EXPECT_FALSE(load_products(dir / "other.json").has_value());
  test::write_text_file(dir / "mixed.json",
                        R"({"version":1,"products":[{"id":"a","title":"好","price_cents":"cheap"},7,)"
                        R"({"id":"b","title":"栗子仁","price_cents":1990,"stock":null}]})");
  auto loaded = load_products(dir / "mixed.json");
  ASSERT_TRUE(loaded.has_value());
  ASSERT_EQ(loaded->products.size(), 1u);
  EXPECT_EQ(loaded->products[0].id, "b");
}

TEST(ProductCache, ADamagedFileIsIgnoredNeverCrashedOn) {
  test::TempDir dir("product-cache");
  const std::vector<std::string> damaged = {
      R"({"version":"1","products":[]})",            // a version of the wrong type
      R"({"version":1.5,"products":[]})",
      R"({"version":1,"products":{"id":"a"}})",      // products not a list
      R"({"version":1,"saved_at":7,"products":[{"id":["a"],"title":{},"price_cents":1,"tags":"x"}]})",
      std::string("\x00\xff\xfe{\"version\":1", 10),  // bytes from a disk that failed mid-write
      "",
  };
  for (size_t i = 0; i < damaged.size(); ++i) {
    SCOPED_TRACE(damaged[i]);
    const auto path = dir / ("damaged-" + std::to_string(i) + ".json");
    test::write_text_file(path, damaged[i]);
    const auto loaded = load_products(path);
    EXPECT_TRUE(!loaded.has_value() || loaded->products.empty());
  }
  // The next list from the platform replaces a damaged one.
  const auto path = dir / "damaged-0.json";
  ASSERT_TRUE(save_products(path, sample_products()));
  EXPECT_EQ(load_products(path)->products.size(), 2u);
}

}  // namespace
}  // namespace cunbo
