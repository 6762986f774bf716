// The two picture caches on their own: the memory budget, and the disk copy kept by URL.
#include "client/platform/image_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace cunbo::test {
namespace {

// A w x h picture whose every byte is `value`.
RgbaImage filled(int w, int h, uint8_t value) {
  RgbaImage image;
  image.width = w;
  image.height = h;
  image.pixels.assign(static_cast<size_t>(w) * static_cast<size_t>(h) * 4, value);
  return image;
}

TEST(ImageCache, MemoryDropsTheLeastRecentlyUsedPastItsBudget) {
  ImageMemoryCache cache(3 * 100 * 4);  // room for three 10 x 10 pictures
  cache.remember({"a", 10, 10}, filled(10, 10, 1));
  cache.remember({"b", 10, 10}, filled(10, 10, 2));
  cache.remember({"c", 10, 10}, filled(10, 10, 3));
  ASSERT_TRUE(cache.find({"a", 10, 10}).has_value());  // a is now the most recent
  cache.remember({"d", 10, 10}, filled(10, 10, 4));    // so b goes
  EXPECT_FALSE(cache.find({"b", 10, 10}).has_value());
  EXPECT_EQ(cache.find({"a", 10, 10})->pixels[0], 1);
  EXPECT_EQ(cache.find({"d", 10, 10})->pixels[0], 4);
  // The same URL at another size is another picture; one larger than the budget is not kept.
  EXPECT_FALSE(cache.find({"a", 20, 20}).has_value());
  cache.remember({"huge", 100, 100}, filled(100, 100, 5));
  EXPECT_FALSE(cache.find({"huge", 100, 100}).has_value());
  EXPECT_TRUE(cache.find({"c", 10, 10}).has_value());
}

TEST(ImageCache, DiskKeepsTheBytesUnderTheUrlsHashAndNothingElse) {
  TempDir dir("image-cache");
  ImageDiskCache cache(dir / "images", ImageLimits{});
  const std::string url = "https://img.example.com/p-1001.jpg?sig=abc";
  EXPECT_FALSE(cache.read(url).has_value());
  cache.keep(url, std::vector<uint8_t>{1, 2, 3});  // the folder is made on the way
  EXPECT_EQ(cache.read(url), (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(image_cache_key(url).size(), 64U);
  EXPECT_NE(image_cache_key(url), image_cache_key("https://img.example.com/p-1001.jpg"));
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "images")) names.push_back(entry.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>{image_cache_key(url)});  // no temp file left
  cache.forget(url);
  EXPECT_FALSE(cache.read(url).has_value());
}

TEST(ImageCache, ADiskCopyOverTheLimitReadsAsNoBytes) {
  TempDir dir("image-cache");
  ImageLimits limits;
  limits.max_bytes = 2;
  ImageDiskCache cache(dir.path(), limits);
  cache.keep("u", std::vector<uint8_t>{1, 2, 3});
  const auto kept = cache.read("u");
  ASSERT_TRUE(kept.has_value());
  EXPECT_TRUE(kept->empty());
}

}  // namespace
}  // namespace cunbo::test
