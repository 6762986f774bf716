// The overlay a viewer sees: the product card, the order banner and the watermark stay in
// their rectangles whatever the content, titles wrap to two lines, everything scales with the
// output resolution. With CUNBO_SCREENSHOT_DIR set, every variant is also written as a PNG.
#include "ui/overlay/overlay_scene.h"

#include "client/base/money.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <imgui.h>

#include "client/base/strings.h"
#include "media/overlay_layer.h"
#include "tests/support/temp_dir.h"
#include "tests/ui/overlay_test_support.h"
#include "ui/overlay/font_set.h"
#include "ui/overlay/imgui_guard.h"

namespace cunbo::ui {
namespace {

using test::pixel_at;
using test::transparent;

std::string repeat(std::string_view piece, int times) {
  std::string s;
  for (int i = 0; i < times; ++i) s += piece;
  return s;
}

struct Variant {
  std::string name;
  OverlayContent content;
};

Product sample_product() {
  const std::vector<Product> catalog = test::sample_catalog();
  return catalog.empty() ? Product{} : catalog.front();
}

// Every card the tests and the screenshots look at: normal and hostile.
std::vector<Variant> variants(int image_box) {
  const Product base = sample_product();
  const auto picture = test::sample_picture(base, image_box);
  const std::string banner = tr_in(Language::zh_CN, "overlay.banner_order", "张**", "永顺番薯粉", 2);
  auto make = [&](std::string name, auto&& change) {
    Variant v{std::move(name), {}};
    v.content.card = base;
    v.content.card_image = picture;
    v.content.banner_text = banner;
    v.content.watermark = "老李家果园";
    change(v.content);
    return v;
  };
  std::vector<Variant> list;
  list.push_back(make("normal", [](OverlayContent&) {}));
  list.push_back(make("title_200_chars", [](OverlayContent& c) {
    c.card->title = repeat("陕西眉县徐香猕猴桃现摘现发新鲜水果", 12).substr(0, 200 * 3);
  }));
  list.push_back(make("title_emoji", [](OverlayContent& c) {
    c.card->title = "🔥爆款🔥 湘西剁辣椒酱 🌶️🌶️ 380g×2瓶 😋 好吃到哭 👍";
  }));
  list.push_back(make("title_empty", [](OverlayContent& c) { c.card->title.clear(); }));
  list.push_back(make("title_10000_chars", [](OverlayContent& c) { c.card->title = repeat("枣", 10000); }));
  list.push_back(make("title_latin", [](OverlayContent& c) {
    c.card->title = "Organic Zhanhua winter jujube, hand-picked, 2.5kg box, shipped the same day";
  }));
  list.push_back(make("missing_image", [](OverlayContent& c) { c.card_image = nullptr; }));
  list.push_back(make("placeholder_image", [&](OverlayContent& c) {
    c.card_image = std::make_shared<const RgbaImage>(make_placeholder(image_box, image_box));
  }));
  list.push_back(make("price_zero", [](OverlayContent& c) {
    c.card->price_cents = 0;
    c.card->original_price_cents.reset();
  }));
  list.push_back(make("price_huge", [](OverlayContent& c) {
    c.card->price_cents = 9'223'372'036'854'775'807;
    c.card->original_price_cents = 9'223'372'036'854'775'807;
    c.card->stock = 3;
  }));
  list.push_back(make("stock_null", [](OverlayContent& c) { c.card->stock.reset(); }));
  list.push_back(make("stock_3", [](OverlayContent& c) { c.card->stock = 3; }));
  list.push_back(make("sold_out", [](OverlayContent& c) { c.card->stock = 0; }));
  list.push_back(make("tags_50", [](OverlayContent& c) {
    c.card->tags.clear();
    for (int i = 0; i < 50; ++i) c.card->tags.push_back("标签" + std::to_string(i) + repeat("长", i % 7));
  }));
  list.push_back(make("no_original_price", [](OverlayContent& c) { c.card->original_price_cents.reset(); }));
  list.push_back(make("wide_picture", [](OverlayContent& c) {
    RgbaImage wide;
    wide.width = 300;
    wide.height = 90;
    wide.pixels.assign(static_cast<size_t>(300) * 90 * 4, 0);
    for (size_t i = 0; i < wide.pixels.size(); i += 4) {
      wide.pixels[i] = static_cast<uint8_t>(i / 4 % 300 * 255 / 300);
      wide.pixels[i + 1] = 160;
      wide.pixels[i + 2] = 60;
      wide.pixels[i + 3] = 255;
    }
    c.card_image = std::make_shared<const RgbaImage>(std::move(wide));
  }));
  list.push_back(make("banner_long", [](OverlayContent& c) {
    c.banner_text = tr_in(Language::zh_CN, "overlay.banner_order", "欧阳**", repeat("超级无敌好吃的农家土鸡蛋", 8), 99);
  }));
  list.push_back(make("banner_burst", [](OverlayContent& c) {
    c.banner_text = tr_in(Language::zh_CN, "overlay.banner_burst", 12);
  }));
  list.push_back(make("banner_half_in", [](OverlayContent& c) { c.banner_progress = 0.5f; }));
  list.push_back(make("bottom_right", [](OverlayContent& c) { c.placement = CardPlacement::bottom_right; }));
  list.push_back(make("top_right", [](OverlayContent& c) { c.placement = CardPlacement::top_right; }));
  list.push_back(make("banner_only", [](OverlayContent& c) { c.card.reset(); }));
  return list;
}

bool inside_any(const std::vector<Rect>& rects, int x, int y) {
  for (const Rect& r : rects) {
    if (r.contains(x, y)) return true;
  }
  return false;
}

class OverlaySceneTest : public ::testing::TestWithParam<std::pair<int, int>> {};

std::string resolution_name(const ::testing::TestParamInfo<std::pair<int, int>>& info) {
  const int w = info.param.first;
  const int h = info.param.second;
  return h > w ? "portrait" + std::to_string(w) + "p" : std::to_string(h) + "p";
}

TEST_P(OverlaySceneTest, EveryCardVariantStaysInsideItsRectangles) {
  const auto [width, height] = GetParam();
  OverlayScene scene(width, height);
  RgbaLayer layer;
  for (const Variant& variant : variants(scene.image_box())) {
    SCOPED_TRACE(variant.name);
    scene.render(variant.content, layer);
    ASSERT_EQ(layer.width, width);
    ASSERT_EQ(layer.height, height);
    std::vector<Rect> allowed{scene.card_rect(variant.content), scene.banner_rect(),
                              scene.watermark_rect(variant.content)};
    for (const Rect& region : layer.regions) {
      EXPECT_TRUE(region.x % 2 == 0 && region.y % 2 == 0 && region.w % 2 == 0 && region.h % 2 == 0);
      EXPECT_TRUE(region.x >= 0 && region.y >= 0 && region.right() <= width && region.bottom() <= height);
    }
    int card_pixels = 0;
    int outside = 0;
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        const auto p = pixel_at(layer, x, y);
        if (transparent(p)) continue;
        if (!inside_any(allowed, x, y)) ++outside;
        if (!inside_any(layer.regions, x, y)) ++outside;
        if (scene.card_rect(variant.content).contains(x, y)) ++card_pixels;
        if (std::max({p.r, p.g, p.b}) > p.a) ++outside;  // not premultiplied
      }
    }
    EXPECT_EQ(outside, 0);
    if (variant.content.card) {
      const Rect card = scene.card_rect(variant.content);
      EXPECT_GT(card_pixels, card.w * card.h / 2);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Resolutions, OverlaySceneTest,
                         ::testing::Values(std::pair{854, 480}, std::pair{1280, 720}, std::pair{1920, 1080},
                                           std::pair{480, 854}, std::pair{720, 1280}, std::pair{1080, 1920}),
                         resolution_name);

// On an upright phone the platforms' apps cover roughly the top 12 % (the host's name, the
// viewer count) and the bottom 35 % (comments, the product bag, the buy bar): the card, the
// order banner and the shop name are drawn between, in every placement, at every quality.
TEST(OverlayScene, APortraitFramesPartsStayInTheSafeAreaThePhoneAppsLeaveFree) {
  for (const auto& [width, height] : {std::pair{480, 854}, std::pair{720, 1280}, std::pair{1080, 1920}}) {
    OverlayScene scene(width, height);
    const Rect safe = scene.safe_area();
    EXPECT_NEAR(safe.y, height * 0.12, 1);
    EXPECT_NEAR(safe.bottom(), height * 0.65, 1);
    for (const CardPlacement placement :
         {CardPlacement::bottom_left, CardPlacement::bottom_right, CardPlacement::top_right}) {
      SCOPED_TRACE(std::to_string(width) + "x" + std::to_string(height) + " placement " +
                   std::to_string(static_cast<int>(placement)));
      OverlayContent content = variants(scene.image_box()).front().content;
      content.placement = placement;
      content.watermark = "老李家果园";
      for (const Rect& r : {scene.card_rect(content), scene.banner_rect(), scene.watermark_rect(content)}) {
        ASSERT_FALSE(r.empty());
        EXPECT_GE(r.x, 0);
        EXPECT_LE(r.right(), width);
        EXPECT_GE(r.y, safe.y);
        EXPECT_LE(r.bottom(), safe.bottom());
      }
      // The card never covers the shop name.
      const Rect card = scene.card_rect(content);
      const Rect plate = scene.watermark_rect(content);
      EXPECT_TRUE(card.y >= plate.bottom() || card.x >= plate.right());
      // Sized for a phone: the card takes most of the width, not a corner of it.
      EXPECT_GT(card.w, width / 2);
    }
  }
}

TEST(OverlayScene, WrapsTitlesToAtMostTwoLinesWithAnEllipsis) {
  OverlayScene scene(1280, 720);
  for (const Variant& variant : variants(scene.image_box())) {
    if (!variant.content.card) continue;
    SCOPED_TRACE(variant.name);
    const std::vector<std::string> lines = scene.title_lines(variant.content);
    EXPECT_LE(lines.size(), 2u);
    const Rect card = scene.card_rect(variant.content);
    for (const std::string& line : lines) {
      EXPECT_LT(scene.fonts().font(1)->CalcTextSizeA(scene.fonts().font(1)->FontSize, 1e9f, 0, line.c_str()).x,
                static_cast<float>(card.w - scene.image_box()));
    }
  }
  OverlayContent content;
  content.card = sample_product();
  content.card->title = "沾化冬枣";
  EXPECT_EQ(scene.title_lines(content), std::vector<std::string>{"沾化冬枣"});
  content.card->title = repeat("枣", 10000);
  const auto lines = scene.title_lines(content);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[1].ends_with("\u2026"));
  EXPECT_FALSE(lines[0].ends_with("\u2026"));
  content.card->title.clear();
  EXPECT_TRUE(scene.title_lines(content).empty());
}

TEST(OverlayScene, WrapsChinesePerCharacterAndKeepsLatinWordsWhole) {
  OverlayScene scene(1280, 720);
  OverlayContent glyphs;  // make sure the characters are in the atlas (this may rebuild it)
  glyphs.card = Product{};
  glyphs.card->title = "会理突尼斯软籽石榴大果八到十个装 crunchy pomegranate";
  (void)scene.title_lines(glyphs);
  const ImFont& font = *scene.fonts().font(1);  // valid until the next rebuild
  const float advance = font.GetCharAdvance(static_cast<ImWchar>(U'会'));
  const auto chinese = wrap_text(font, "会理突尼斯软籽石榴大果八到十个装", advance * 5.5f, 3);
  ASSERT_EQ(chinese.size(), 3u);
  EXPECT_EQ(chinese[0], "会理突尼斯");  // five per line, no spaces needed
  EXPECT_EQ(chinese[1], "软籽石榴大");
  EXPECT_TRUE(chinese[2].ends_with("\u2026"));
  const auto latin = wrap_text(font, "crunchy pomegranate", font.CalcTextSizeA(font.FontSize, 1e9f, 0, "crunchy pome").x, 2);
  ASSERT_EQ(latin.size(), 2u);
  EXPECT_EQ(latin[0], "crunchy");
  EXPECT_EQ(latin[1], "pomegranate");
  // No line starts with closing punctuation.
  const auto punct = wrap_text(font, "会理突尼斯，软籽", advance * 5.2f, 2);
  ASSERT_FALSE(punct.empty());
  EXPECT_FALSE(punct.size() > 1 && punct[1].starts_with("，"));
}

TEST(OverlayScene, FormatsPricesInYuan) {
  EXPECT_EQ(format_yuan(3990), "39.90");
  EXPECT_EQ(format_yuan(0), "0.00");
  EXPECT_EQ(format_yuan(5), "0.05");
  EXPECT_EQ(format_yuan(-5), "-0.05");
  EXPECT_EQ(format_yuan(INT64_MIN), "-92233720368547758.08");
  EXPECT_EQ(tr_in(Language::zh_CN, "overlay.price", format_yuan(0)), "¥0.00");
}

TEST(OverlayScene, ScalesTheCardWithTheResolution) {
  OverlayContent content;
  content.card = sample_product();
  OverlayScene small(854, 480);
  OverlayScene large(1920, 1080);
  const Rect a = small.card_rect(content);
  const Rect b = large.card_rect(content);
  EXPECT_NEAR(static_cast<double>(b.w) / a.w, 1080.0 / 480.0, 0.08);
  EXPECT_NEAR(static_cast<double>(b.h) / a.h, 1080.0 / 480.0, 0.08);
  EXPECT_NEAR(static_cast<double>(b.x) / 1920, static_cast<double>(a.x) / 854, 0.01);
  EXPECT_NEAR(static_cast<double>(b.bottom()) / 1080, static_cast<double>(a.bottom()) / 480, 0.01);
  EXPECT_NEAR(static_cast<double>(large.image_box()) / small.image_box(), 1080.0 / 480.0, 0.08);
}

TEST(OverlayScene, PlacesTheCardAtThePresetCorners) {
  OverlayScene scene(1280, 720);
  OverlayContent content;
  content.card = sample_product();
  const Rect bottom_left = scene.card_rect(content);
  content.placement = CardPlacement::bottom_right;
  const Rect bottom_right = scene.card_rect(content);
  content.placement = CardPlacement::top_right;
  const Rect top_right = scene.card_rect(content);
  EXPECT_LT(bottom_left.x, 40);
  EXPECT_GT(bottom_left.bottom(), 680);
  EXPECT_GT(bottom_right.right(), 1240);
  EXPECT_EQ(bottom_right.y, bottom_left.y);
  EXPECT_LT(top_right.y, 40);
  EXPECT_EQ(top_right.x, bottom_right.x);
  content.card.reset();
  EXPECT_TRUE(scene.card_rect(content).empty());
}

TEST(OverlayScene, SlidesTheBannerInWithItsProgress) {
  OverlayScene scene(1280, 720);
  OverlayContent content;
  content.banner_text = tr_in(Language::zh_CN, "overlay.banner_order", "张**", "永顺辣椒酱", 2);
  auto leftmost_and_alpha = [&](float progress) {
    content.banner_progress = progress;
    const RgbaLayer layer = scene.render(content);
    int leftmost = layer.width;
    int max_alpha = 0;
    for (int y = 0; y < layer.height; ++y) {
      for (int x = 0; x < layer.width; ++x) {
        const auto p = pixel_at(layer, x, y);
        if (transparent(p)) continue;
        EXPECT_TRUE(scene.banner_rect().contains(x, y));
        leftmost = std::min(leftmost, x);
        max_alpha = std::max(max_alpha, p.a);
      }
    }
    return std::pair{leftmost, max_alpha};
  };
  EXPECT_EQ(leftmost_and_alpha(0.0f).second, 0);  // not shown at all
  const auto quarter = leftmost_and_alpha(0.25f);
  const auto half = leftmost_and_alpha(0.5f);
  const auto full = leftmost_and_alpha(1.0f);
  EXPECT_GT(half.second, quarter.second);  // fading in, twice as fast as it slides
  EXPECT_EQ(full.second, half.second);
  EXPECT_GT(full.first, 0);  // fully in: clear of the frame's edge
  EXPECT_EQ(half.first, 0);  // half in: still coming in from the edge
}

TEST(OverlayScene, RendersNothingForEmptyContent) {
  OverlayScene scene(640, 360);
  const RgbaLayer layer = scene.render(OverlayContent{});
  EXPECT_TRUE(layer.regions.empty());
  for (uint8_t byte : layer.rgba) ASSERT_EQ(byte, 0);
}

TEST(OverlayScene, RendersOnItsOwnThreadWhileAnotherImGuiContextIsInUse) {
  // The studio window's context lives on another thread; the guard keeps them apart.
  ImGuiContext* const window_context = create_imgui_context();
  OverlayScene scene(1280, 720);
  OverlayContent content = variants(scene.image_box()).front().content;
  std::atomic<bool> stop{false};
  std::thread ui([&] {
    while (!stop.load()) {
      const ImGuiContextGuard guard(window_context);
      ImGui::GetIO().DisplaySize = {800, 600};
      EXPECT_EQ(ImGui::GetCurrentContext(), window_context);
    }
  });
  for (int i = 0; i < 20; ++i) {
    content.banner_progress = static_cast<float>(i) / 19.0f;
    const RgbaLayer layer = scene.render(content);
    EXPECT_FALSE(layer.regions.empty());
  }
  stop = true;
  ui.join();
  destroy_imgui_context(window_context);
}

// Writes every variant, composited over a neutral backdrop, as PNGs into
// $CUNBO_SCREENSHOT_DIR (a temporary folder when unset), for a person to look at; each one
// must read back as the picture written.
TEST(OverlayScreenshots, WritesEveryVariant) {
  const char* wanted = std::getenv("CUNBO_SCREENSHOT_DIR");
  const cunbo::test::TempDir scratch("cunbo-overlay-shots");
  const std::filesystem::path dir = wanted && *wanted ? std::filesystem::path(wanted) : scratch.path();
  std::filesystem::create_directories(dir);
  for (const auto& [width, height] : {std::pair{854, 480}, std::pair{1280, 720}, std::pair{1920, 1080}}) {
    OverlayScene scene(width, height);
    const std::vector<uint8_t> background = test::neutral_background(width, height);
    for (const Variant& variant : variants(scene.image_box())) {
      if (height != 720 && variant.name != "normal" && variant.name != "title_200_chars" && variant.name != "sold_out" &&
          variant.name != "stock_3" && variant.name != "title_emoji")
        continue;
      const RgbaLayer layer = scene.render(variant.content);
      const std::vector<uint8_t> rgb = test::composite_over(layer, background);
      const auto path = std::filesystem::path(dir) / (std::to_string(height) + "p_" + variant.name + ".png");
      EXPECT_TRUE(test::write_png(path, width, height, 3, rgb.data())) << path;
      const auto read = test::read_png_rgba(path);
      ASSERT_TRUE(read) << path;
      EXPECT_EQ(read->width, width);
      EXPECT_EQ(read->height, height);
    }
  }
}

// Figures for the report, not assertions: re-raster time per change at 720p and atlas size.
// Run: ui_tests --gtest_also_run_disabled_tests --gtest_filter='*DISABLED_Measure*'
TEST(OverlayFigures, DISABLED_MeasureReRasterTimeAndAtlasSize) {
  OverlayScene scene(1280, 720);
  std::vector<Variant> list = variants(scene.image_box());
  OverlayContent catalog_content;
  for (const Product& product : test::sample_catalog()) {
    catalog_content.card = product;
    (void)scene.title_lines(catalog_content);  // adds the glyphs of every title and tag
  }
  std::printf("atlas after the sample catalog: %zu bytes (%zu glyphs)\n", scene.atlas_bytes(), scene.fonts().glyph_count());
  RgbaLayer layer;
  OverlayContent content = list.front().content;
  scene.render(content, layer);  // warm up
  const int runs = 200;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < runs; ++i) {
    content.banner_progress = static_cast<float>(i % 20) / 19.0f;
    scene.render(content, layer);
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / runs;
  std::printf("banner animation step (card + banner + watermark) at 720p: %.3f ms\n", ms);

  // A change of product (glyphs already in the atlas; pictures decoded at image_box() before).
  const std::vector<Product> catalog = test::sample_catalog();
  std::vector<std::shared_ptr<const RgbaImage>> pictures;
  for (const Product& product : catalog) pictures.push_back(test::sample_picture(product, scene.image_box()));
  const auto card_start = std::chrono::steady_clock::now();
  for (int i = 0; i < runs; ++i) {
    content.card = catalog[static_cast<size_t>(i) % catalog.size()];
    content.card_image = pictures[static_cast<size_t>(i) % catalog.size()];
    scene.render(content, layer);
  }
  const double card_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - card_start).count() / runs;
  std::printf("product change (new card, picture upload) at 720p: %.3f ms\n", card_ms);

  // What the video thread does with it every frame: the blend into a 720p picture.
  {
    const OverlayLayer overlay(layer.width, layer.height, std::span<const uint8_t>(layer.rgba), layer.regions,
                               AVCOL_SPC_BT709);
    av::Frame frame = av::make_frame();
    frame->format = AV_PIX_FMT_YUV420P;
    frame->width = 1280;
    frame->height = 720;
    ASSERT_GE(av_frame_get_buffer(frame.get(), 0), 0);
    int area = 0;
    for (const Rect& r : layer.regions) area += r.w * r.h;
    const int blends = 2000;
    const auto blend_start = std::chrono::steady_clock::now();
    for (int i = 0; i < blends; ++i) overlay.blend_into(*frame);
    const double blend_us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - blend_start).count() / blends;
    std::printf("blend of that layer (%d px in %zu regions) into a 720p frame: %.1f us\n", area, layer.regions.size(),
                blend_us);
  }

  // A title with characters the atlas has not seen: the atlas is rebuilt first.
  const auto glyph_start = std::chrono::steady_clock::now();
  content.card->title = "贵州修文猕猴桃 震撼上市 鲜嫩多汁";
  scene.render(content, layer);
  std::printf("change with new glyphs (atlas rebuild + upload): %.1f ms\n",
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - glyph_start).count());
  const auto t0 = std::chrono::steady_clock::now();
  OverlayScene fresh(1280, 720);
  const double build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("scene construction (font lookup + first atlas): %.1f ms\n", build_ms);
}

}  // namespace
}  // namespace cunbo::ui
