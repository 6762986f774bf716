// What viewers read must be readable: on a phone, at 480p as at 1080p, every text the overlay
// burns into the stream is tall enough (its capitals at least 1.5 % of the frame height,
// measured in the rasterised layer), the shop name sits on a plate that reads on any picture,
// and characters the font lacks (emoji) leave no "?", box or gap behind.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <imgui.h>

#include "client/base/strings.h"
#include "tests/ui/overlay_test_support.h"
#include "ui/overlay/font_set.h"
#include "ui/overlay/overlay_scene.h"

namespace cunbo::ui {
namespace {

using test::pixel_at;

constexpr double kMinCapShare = 0.015;

std::array<int, 4> rgba_at(const RgbaLayer& layer, int x, int y) {
  const auto p = pixel_at(layer, x, y);
  return {p.r, p.g, p.b, p.a};
}

int distance(const std::array<int, 4>& a, const std::array<int, 4>& b) {
  int d = 0;
  for (size_t i = 0; i < 4; ++i) d += std::abs(a[i] - b[i]);
  return d;
}

Rect clipped(const Rect& r, const RgbaLayer& layer) {
  const int x0 = std::max(0, r.x);
  const int y0 = std::max(0, r.y);
  const int x1 = std::min(layer.width, r.right());
  const int y1 = std::min(layer.height, r.bottom());
  return {x0, y0, std::max(0, x1 - x0), std::max(0, y1 - y0)};
}

// How many rows of `box` hold ink, from the first to the last: a pixel counts as ink when it
// is further from the box's most common pixel (the backing the text sits on) than half the
// furthest pixel is. Anti-aliased rows that are less than half covered do not count.
int ink_height(const RgbaLayer& layer, const Rect& line) {
  const Rect box = clipped(line, layer);
  std::map<std::array<int, 4>, int> counts;
  for (int y = box.y; y < box.bottom(); ++y)
    for (int x = box.x; x < box.right(); ++x) ++counts[rgba_at(layer, x, y)];
  if (counts.empty()) return 0;
  const auto backing = std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
                         return a.second < b.second;
                       })->first;
  int furthest = 0;
  for (int y = box.y; y < box.bottom(); ++y)
    for (int x = box.x; x < box.right(); ++x) furthest = std::max(furthest, distance(rgba_at(layer, x, y), backing));
  int top = -1;
  int bottom = -1;
  for (int y = box.y; y < box.bottom(); ++y) {
    for (int x = box.x; x < box.right(); ++x) {
      if (2 * distance(rgba_at(layer, x, y), backing) > furthest) {
        if (top < 0) top = y;
        bottom = y;
        break;
      }
    }
  }
  return top < 0 ? 0 : bottom - top + 1;
}

const char* name_of(OverlayText kind) {
  switch (kind) {
    case OverlayText::watermark: return "shop name";
    case OverlayText::title: return "title";
    case OverlayText::tag: return "tag";
    case OverlayText::price: return "price";
    case OverlayText::original_price: return "original price";
    case OverlayText::stock: return "stock";
    case OverlayText::badge: return "presenting badge";
    case OverlayText::sold_out: return "sold out";
    case OverlayText::banner: return "banner";
  }
  return "?";
}

// A card whose own texts are capitals only ("I": a plain stem, exactly as tall as a capital),
// so that the height of their ink is the cap height; the price is digits.
OverlayContent capitals_content() {
  const std::vector<Product> catalog = test::sample_catalog();
  OverlayContent content;
  content.card = catalog.empty() ? Product{} : catalog.front();
  content.card->title = "IIII IIII";
  content.card->tags = {"IIII", "IIII"};
  content.card->price_cents = 3990;
  content.card->original_price_cents = 5990;
  content.card->stock = 3;
  content.banner_text = "IIII";
  content.banner_progress = 1.0f;
  content.watermark = "IIII";
  return content;
}

const OverlayTextBox* find_box(const std::vector<OverlayTextBox>& boxes, OverlayText kind) {
  for (const OverlayTextBox& b : boxes)
    if (b.kind == kind) return &b;
  return nullptr;
}

class OverlayReadability : public ::testing::TestWithParam<std::pair<int, int>> {};

TEST_P(OverlayReadability, EveryTextIsAtLeastOneAndAHalfPercentOfTheFrameTall) {
  const auto [width, height] = GetParam();
  OverlayScene scene(width, height);
  ASSERT_TRUE(scene.fonts().has_font_file()) << "no Noto Sans CJK installed (Debian: fonts-noto-cjk)";
  const double min_px = kMinCapShare * height;

  OverlayContent content = capitals_content();
  const RgbaLayer layer = scene.render(content);
  const std::vector<OverlayTextBox> boxes = scene.text_boxes(content);
  for (OverlayText kind : {OverlayText::watermark, OverlayText::title, OverlayText::tag, OverlayText::price,
                           OverlayText::original_price, OverlayText::badge, OverlayText::banner}) {
    const OverlayTextBox* box = find_box(boxes, kind);
    ASSERT_NE(box, nullptr) << name_of(kind) << " is not drawn at " << height << "p";
    const int ink = ink_height(layer, box->box);
    std::printf("%dp %-16s \"%s\": %d px of ink (%.2f %% of the height)\n", height, name_of(kind), box->text.c_str(),
                ink, 100.0 * ink / height);
    EXPECT_GE(ink, min_px) << name_of(kind) << " \"" << box->text << "\" at " << height << "p";
  }

  // The stock note's digit: its own columns of the line "仅剩 3 件".
  const OverlayTextBox* stock = find_box(boxes, OverlayText::stock);
  ASSERT_NE(stock, nullptr) << "no stock note at " << height << "p";
  const size_t at = stock->text.find('3');
  ASSERT_NE(at, std::string::npos) << stock->text;
  const ImFont& small = *scene.fonts().font(kSmall);
  auto width_of = [&](std::string_view text) {
    return small.CalcTextSizeA(small.FontSize, 1e9f, 0, text.data(), text.data() + text.size()).x;
  };
  const float before = width_of(std::string_view(stock->text).substr(0, at));
  const Rect digit_box{stock->box.x + static_cast<int>(std::floor(before)), stock->box.y,
                       static_cast<int>(std::ceil(width_of("3"))), stock->box.h};
  const int digit = ink_height(layer, digit_box);
  std::printf("%dp %-16s digit of \"%s\": %d px (%.2f %%)\n", height, "stock", stock->text.c_str(), digit,
              100.0 * digit / height);
  EXPECT_GE(digit, min_px) << "the stock note's digit at " << height << "p";

  // 已售罄 over the picture: a Chinese line.
  content.card->stock = 0;
  const RgbaLayer sold_out = scene.render(content);
  const std::vector<OverlayTextBox> sold_boxes = scene.text_boxes(content);
  const OverlayTextBox* sold = find_box(sold_boxes, OverlayText::sold_out);
  ASSERT_NE(sold, nullptr);
  EXPECT_GE(ink_height(sold_out, sold->box), min_px) << "已售罄 at " << height << "p";
}

INSTANTIATE_TEST_SUITE_P(Qualities, OverlayReadability,
                         ::testing::Values(std::pair{854, 480}, std::pair{1280, 720}, std::pair{1920, 1080}),
                         [](const auto& param_info) { return std::to_string(param_info.param.second) + "p"; });

// WCAG's contrast ratio of two sRGB colours.
double contrast(const uint8_t* a, const uint8_t* b) {
  auto luminance = [](const uint8_t* p) {
    double l = 0;
    const double weights[3] = {0.2126, 0.7152, 0.0722};
    for (int c = 0; c < 3; ++c) {
      const double v = p[c] / 255.0;
      l += weights[c] * (v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4));
    }
    return l;
  };
  const double la = luminance(a);
  const double lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

TEST(OverlayReadability, TheShopNameSitsOnAPlateThatReadsOnABrightAndADarkPicture) {
  OverlayScene scene(854, 480);
  OverlayContent content;
  content.watermark = "老李家果园";
  const RgbaLayer layer = scene.render(content);
  const Rect plate = scene.watermark_rect(content);
  ASSERT_FALSE(plate.empty());
  // The plate covers its rectangle (but for its rounded ends) with a translucent dark backing.
  int covered = 0;
  for (int y = plate.y; y < plate.bottom(); ++y)
    for (int x = plate.x; x < plate.right(); ++x) covered += pixel_at(layer, x, y).a >= 96;
  EXPECT_GT(covered, plate.w * plate.h * 8 / 10) << "no backing plate behind the shop name";

  const std::vector<OverlayTextBox> boxes = scene.text_boxes(content);
  const OverlayTextBox* name = find_box(boxes, OverlayText::watermark);
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->text, "老李家果园");
  for (const uint8_t shade : {uint8_t{255}, uint8_t{0}}) {
    const std::vector<uint8_t> picture(static_cast<size_t>(layer.width) * static_cast<size_t>(layer.height) * 3, shade);
    const std::vector<uint8_t> seen = test::composite_over(layer, picture);
    auto at = [&](int x, int y) {
      return seen.data() + (static_cast<size_t>(y) * static_cast<size_t>(layer.width) + static_cast<size_t>(x)) * 3;
    };
    // The plate's colour beside the text, and the strongest text pixel against it.
    const uint8_t* backing = at(plate.x + plate.w / 2, plate.y + 1);
    double best = 1;
    for (int y = name->box.y; y < name->box.bottom(); ++y)
      for (int x = name->box.x; x < name->box.right(); ++x) best = std::max(best, contrast(at(x, y), backing));
    EXPECT_GE(best, 3.0) << "the shop name does not stand out from its plate on a picture of shade " << int{shade};
  }
}

TEST(OverlayReadability, CharactersTheFontLacksAreLeftOutAndTheRestIsDrawnAsWithout) {
  const auto location = locate_cjk_font(false);
  const auto file = location ? MappedFontFile::open(*location) : nullptr;
  ASSERT_TRUE(file) << "no Noto Sans CJK installed (Debian: fonts-noto-cjk)";
  // Precondition: the font has none of these (🐝 and 🍯 are beyond ImGui's 16-bit glyphs anyway).
  for (char32_t c : {U'\U0001F41D', U'\U0001F36F', U'\uE000'}) ASSERT_FALSE(file->has_glyph(c));

  const std::string bee = "\U0001F41D";
  const std::string honey = "\U0001F36F";
  const std::string private_use = "\uE000";
  auto content = [&](bool with) {
    const std::string b = with ? bee : "";
    const std::string h = with ? honey : "";
    const std::string p = with ? private_use : "";
    OverlayContent c;
    c.card = test::sample_catalog().front();
    c.card->title = b + "土蜂蜜" + p + "农家百花蜜" + h;
    c.card->tags = {b + "蜂巢蜜", "纯天然" + p, h};
    c.watermark = b + "老王蜂场";
    c.banner_text = tr_in(Language::zh_CN, "overlay.banner_order", "张**", b + "土蜂蜜", 2);
    return c;
  };
  for (const auto& [width, height] : {std::pair{854, 480}, std::pair{1920, 1080}}) {
    SCOPED_TRACE(std::to_string(height) + "p");
    OverlayScene scene(width, height);
    const RgbaLayer with = scene.render(content(true));
    const RgbaLayer without = scene.render(content(false));
    EXPECT_EQ(with.regions, without.regions);
    EXPECT_TRUE(with.rgba == without.rgba) << "the emoji left a mark (a \"?\", a box or a gap)";
    // And the rest is there: every text, its words intact.
    std::vector<std::string> texts;
    for (const OverlayTextBox& box : scene.text_boxes(content(true))) texts.push_back(box.text);
    for (const std::string& expected : {std::string("土蜂蜜农家百花蜜"), std::string("蜂巢蜜"), std::string("纯天然"),
                                        std::string("老王蜂场"), std::string("张** 刚刚下单 土蜂蜜 ×2")}) {
      EXPECT_NE(std::find(texts.begin(), texts.end(), expected), texts.end()) << expected;
    }
    const std::vector<OverlayTextBox> boxes = scene.text_boxes(content(true));
    const OverlayTextBox* title = find_box(boxes, OverlayText::title);
    ASSERT_NE(title, nullptr);
    EXPECT_GE(ink_height(with, title->box), kMinCapShare * height);
  }
}

}  // namespace
}  // namespace cunbo::ui
