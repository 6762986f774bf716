// The CPU rasteriser: exact pixels for axis-aligned shapes, premultiplied output, clipping,
// 1:1 textures, regions, and text against a stored reference image.
#include "ui/overlay/overlay_rasterizer.h"

#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>
#include <imgui.h>

#include "tests/ui/overlay_test_support.h"
#include "ui/overlay/font_set.h"
#include "ui/overlay/imgui_guard.h"

namespace cunbo::ui {
namespace {

using test::Pixel;
using test::pixel_at;
using test::transparent;

constexpr ImU32 rgba(unsigned r, unsigned g, unsigned b, unsigned a) { return r | g << 8 | b << 16 | a << 24; }

class OverlayRasterizerTest : public ::testing::Test {
 protected:
  static constexpr int kWidth = 64;
  static constexpr int kHeight = 48;

  OverlayRasterizerTest() : fonts_({FontSpec{16.0f}}), raster_(kWidth, kHeight, (fonts_.build(), fonts_.atlas())) {
    raster_.upload_fonts();
  }

  RgbaLayer render_full(const OverlayRasterizer::DrawFn& draw) {
    const OverlayRect all{0, 0, kWidth, kHeight};
    return raster_.render({&all, 1}, draw);
  }

  FontSet fonts_;
  OverlayRasterizer raster_;
};

void expect_pixel(const RgbaLayer& layer, int x, int y, Pixel expected, int tolerance = 0) {
  const Pixel p = pixel_at(layer, x, y);
  EXPECT_NEAR(p.r, expected.r, tolerance) << "at " << x << "," << y;
  EXPECT_NEAR(p.g, expected.g, tolerance) << "at " << x << "," << y;
  EXPECT_NEAR(p.b, expected.b, tolerance) << "at " << x << "," << y;
  EXPECT_NEAR(p.a, expected.a, tolerance) << "at " << x << "," << y;
}

TEST_F(OverlayRasterizerTest, FillsAxisAlignedRectanglesPixelExactly) {
  const RgbaLayer layer = render_full([](ImDrawList& dl) {
    dl.AddRectFilled({4, 6}, {20, 16}, rgba(255, 0, 0, 255));
    dl.AddRectFilled({30, 6}, {40, 16}, rgba(0, 0, 255, 128));
  });
  ASSERT_EQ(layer.rgba.size(), size_t{kWidth} * kHeight * 4);
  int painted = 0;
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      const Pixel p = pixel_at(layer, x, y);
      const bool in_red = x >= 4 && x < 20 && y >= 6 && y < 16;
      const bool in_blue = x >= 30 && x < 40 && y >= 6 && y < 16;
      if (in_red) {
        expect_pixel(layer, x, y, {255, 0, 0, 255});
      } else if (in_blue) {
        // Straight-alpha blending onto transparent black yields premultiplied RGBA.
        expect_pixel(layer, x, y, {0, 0, 128, 128});
      } else {
        EXPECT_TRUE(transparent(p)) << "at " << x << "," << y;
      }
      painted += !transparent(p);
    }
  }
  EXPECT_EQ(painted, 16 * 10 + 10 * 10);
}

TEST_F(OverlayRasterizerTest, ClipsExactlyToPushClipRect) {
  const RgbaLayer layer = render_full([](ImDrawList& dl) {
    dl.PushClipRect({10, 12}, {30, 28}, true);
    dl.AddRectFilled({0, 0}, {kWidth, kHeight}, rgba(10, 200, 30, 255));
    dl.AddCircleFilled({20, 20}, 30, rgba(200, 10, 30, 255));
    dl.PopClipRect();
  });
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      const bool inside = x >= 10 && x < 30 && y >= 12 && y < 28;
      EXPECT_EQ(!transparent(pixel_at(layer, x, y)), inside) << "at " << x << "," << y;
    }
  }
}

TEST_F(OverlayRasterizerTest, DrawsTexturesTexelForTexelAsPremultipliedRgba) {
  // A straight-alpha picture with opaque, half and fully transparent texels.
  RgbaImage image;
  image.width = 4;
  image.height = 3;
  image.pixels = {
      255, 0,   0,   255, 0,   255, 0,   255, 0,   0,   255, 255, 255, 255, 255, 255,  //
      200, 100, 50,  128, 10,  20,  30,  64,  255, 255, 0,   0,   90,  180, 250, 200,  //
      0,   0,   0,   255, 255, 128, 0,   255, 33,  66,  99,  1,   255, 255, 255, 128,
  };
  const OverlayTexture texture = raster_.upload(image);
  ASSERT_TRUE(texture);
  const RgbaLayer layer = render_full([&](ImDrawList& dl) { dl.AddImage(texture.id(), {10, 20}, {14, 23}); });
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const uint8_t* t = image.pixels.data() + (y * image.width + x) * 4;
      const double a = t[3] / 255.0;
      expect_pixel(layer, 10 + x, 20 + y,
                   {static_cast<int>(std::lround(t[0] * a)), static_cast<int>(std::lround(t[1] * a)),
                    static_cast<int>(std::lround(t[2] * a)), t[3]},
                   1);
    }
  }
  EXPECT_TRUE(transparent(pixel_at(layer, 9, 20)));
  EXPECT_TRUE(transparent(pixel_at(layer, 14, 20)));
  EXPECT_TRUE(transparent(pixel_at(layer, 10, 23)));
}

TEST_F(OverlayRasterizerTest, BlendsOverlappingHalfTransparentShapesWithPremultipliedOver) {
  const RgbaLayer layer = render_full([](ImDrawList& dl) {
    dl.AddRectFilled({0, 0}, {20, 20}, rgba(255, 0, 0, 128));
    dl.AddRectFilled({10, 10}, {30, 30}, rgba(0, 0, 255, 128));
    // Two overlapping triangles (the rasteriser's triangle path, not the rectangle one).
    dl.AddTriangleFilled({34, 2}, {62, 2}, {34, 40}, rgba(0, 255, 0, 128));
    dl.AddTriangleFilled({62, 2}, {62, 40}, {34, 40}, rgba(255, 255, 255, 128));
  });
  // Premultiplied "over": out = src * a + dst * (1 - a).
  auto over = [](Pixel dst, Pixel src_straight) {
    const double a = src_straight.a / 255.0;
    return Pixel{static_cast<int>(std::lround(src_straight.r * a + dst.r * (1 - a))),
                 static_cast<int>(std::lround(src_straight.g * a + dst.g * (1 - a))),
                 static_cast<int>(std::lround(src_straight.b * a + dst.b * (1 - a))),
                 static_cast<int>(std::lround(src_straight.a + dst.a * (1 - a)))};
  };
  const Pixel red = over({0, 0, 0, 0}, {255, 0, 0, 128});
  expect_pixel(layer, 5, 5, red, 1);
  expect_pixel(layer, 15, 15, over(red, {0, 0, 255, 128}), 1);
  expect_pixel(layer, 25, 25, over({0, 0, 0, 0}, {0, 0, 255, 128}), 1);
  // Inside the green triangle only, then where both triangles lie (away from the shared edge
  // the two are disjoint; ImGui's anti-aliasing fringe overlaps along it).
  const Pixel green = over({0, 0, 0, 0}, {0, 255, 0, 128});
  expect_pixel(layer, 38, 8, green, 1);
  expect_pixel(layer, 58, 36, over({0, 0, 0, 0}, {255, 255, 255, 128}), 1);
  // Premultiplied: no colour channel exceeds alpha anywhere.
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      const Pixel p = pixel_at(layer, x, y);
      EXPECT_LE(std::max({p.r, p.g, p.b}), p.a) << "at " << x << "," << y;
    }
  }
}

TEST_F(OverlayRasterizerTest, LeavesEverythingOutsideTheRegionsTransparent) {
  const OverlayRect regions[] = {{5, 5, 9, 9}, {31, 20, 8, 7}};
  RgbaLayer layer;
  auto fill_everything = [](ImDrawList& dl) { dl.AddRectFilled({0, 0}, {kWidth, kHeight}, rgba(250, 250, 250, 200)); };
  raster_.render(regions, fill_everything, layer);
  // Aligned outward to even coordinates for the 4:2:0 blend.
  ASSERT_EQ(layer.regions.size(), 2u);
  EXPECT_EQ(layer.regions[0], (OverlayRect{4, 4, 10, 10}));
  EXPECT_EQ(layer.regions[1], (OverlayRect{30, 20, 10, 8}));
  auto in_regions = [&](int x, int y) {
    for (const OverlayRect& r : layer.regions) {
      if (r.contains(x, y)) return true;
    }
    return false;
  };
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      EXPECT_EQ(!transparent(pixel_at(layer, x, y)), in_regions(x, y)) << "at " << x << "," << y;
    }
  }

  // Rendering again into the same layer with another region erases the old ones.
  const OverlayRect moved{40, 30, 6, 6};
  raster_.render({&moved, 1}, fill_everything, layer);
  ASSERT_EQ(layer.regions.size(), 1u);
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      EXPECT_EQ(!transparent(pixel_at(layer, x, y)), moved.contains(x, y)) << "at " << x << "," << y;
    }
  }
  // And a fresh layer from the same rasteriser has nothing left from before either.
  const RgbaLayer fresh = raster_.render({&moved, 1}, [](ImDrawList&) {});
  for (uint8_t byte : fresh.rgba) ASSERT_EQ(byte, 0);
}

TEST_F(OverlayRasterizerTest, MergesOverlappingRegionsSoNoPixelIsBlendedTwice) {
  const OverlayRect regions[] = {{0, 0, 20, 20}, {10, 10, 20, 20}};
  RgbaLayer layer;
  raster_.render(regions, [](ImDrawList& dl) { dl.AddRectFilled({0, 0}, {kWidth, kHeight}, rgba(0, 0, 0, 128)); }, layer);
  ASSERT_EQ(layer.regions.size(), 1u);
  EXPECT_EQ(layer.regions[0], (OverlayRect{0, 0, 30, 30}));
  expect_pixel(layer, 15, 15, {0, 0, 0, 128});
}

TEST(OverlayRegions, AlignOutwardToEvenCoordinatesInsideTheFrame) {
  EXPECT_EQ(align_to_chroma({3, 5, 4, 4}, 100, 50), (OverlayRect{2, 4, 6, 6}));
  EXPECT_EQ(align_to_chroma({-7, -3, 20, 10}, 100, 50), (OverlayRect{0, 0, 14, 8}));
  EXPECT_EQ(align_to_chroma({95, 45, 20, 20}, 100, 50), (OverlayRect{94, 44, 6, 6}));
  EXPECT_TRUE(align_to_chroma({120, 10, 5, 5}, 100, 50).empty());
  EXPECT_TRUE(align_to_chroma({10, 10, 0, 5}, 100, 50).empty());
  const OverlayRect chain[] = {{0, 0, 10, 10}, {20, 0, 10, 10}, {8, 0, 14, 4}};
  const std::vector<OverlayRect> merged = normalize_regions(chain, 100, 50);
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0], (OverlayRect{0, 0, 30, 10}));
}

// The worst difference between two pictures of the same size, over 6×6-pixel blocks (mean
// absolute difference of R, G, B in the block): one glyph missing, even a full stop, stands
// out in its block however small it is next to the whole picture.
double worst_block_difference(const RgbaLayer& a, const test::LoadedImage& b) {
  constexpr int kBlock = 6;
  double worst = 0;
  for (int by = 0; by < a.height; by += kBlock)
    for (int bx = 0; bx < a.width; bx += kBlock) {
      double total = 0;
      int values = 0;
      for (int y = by; y < std::min(by + kBlock, a.height); ++y)
        for (int x = bx; x < std::min(bx + kBlock, a.width); ++x)
          for (int c = 0; c < 3; ++c) {
            const size_t i = (static_cast<size_t>(y) * static_cast<size_t>(a.width) + static_cast<size_t>(x)) * 4 +
                             static_cast<size_t>(c);
            total += std::abs(static_cast<int>(a.rgba[i]) - static_cast<int>(b.rgba[i]));
            ++values;
          }
      worst = std::max(worst, total / values);
    }
  return worst;
}

// Text through the whole chain (font file → atlas → SDL software renderer) against a stored
// reference. To regenerate tests/ui/data/text_dejavu_20px.png after an intended change, run
//   CUNBO_UPDATE_REFERENCES=1 build/<dir>/tests/ui_tests --gtest_filter='*MatchesTheReferenceImage*'
// and look at the new picture before committing it.
TEST(OverlayText, RenderedWithAKnownFontMatchesTheReferenceImage) {
  const std::filesystem::path font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  ASSERT_TRUE(std::filesystem::exists(font)) << font << " is not installed (Debian: fonts-dejavu-core)";
  const test::ScopedEnv env("CUNBO_FONT", font.string());
  FontSet fonts({FontSpec{20.0f}});
  ASSERT_TRUE(fonts.has_font_file());
  fonts.build();
  OverlayRasterizer raster(200, 40, fonts.atlas());
  raster.upload_fonts();
  const OverlayRect all{0, 0, 200, 40};
  auto draw = [&](const char* text) {
    return raster.render({&all, 1}, [&](ImDrawList& dl) {
      dl.AddRectFilled({0, 0}, {200, 40}, rgba(255, 255, 255, 255));
      dl.AddText(fonts.font(0), 20.0f, {6, 8}, rgba(20, 20, 20, 255), text);
      dl.AddText(fonts.font(0), 20.0f, {150, 8}, rgba(230, 40, 40, 160), "Wq");
    });
  };
  const RgbaLayer layer = draw("Cunbo 39.90 Agx \u00A5");

  const std::filesystem::path reference = test::source_dir() / "tests/ui/data/text_dejavu_20px.png";
  if (std::getenv("CUNBO_UPDATE_REFERENCES")) {
    ASSERT_TRUE(test::write_png(reference, layer.width, layer.height, 4, layer.rgba.data()));
    std::printf("wrote %s: look at it before committing it\n", reference.string().c_str());
  }
  const auto expected = test::read_png_rgba(reference);
  ASSERT_TRUE(expected) << "missing " << reference;
  ASSERT_EQ(expected->width, layer.width);
  ASSERT_EQ(expected->height, layer.height);
  int dark = 0;
  for (size_t i = 0; i < layer.rgba.size(); i += 4) dark += layer.rgba[i] < 100 ? 1 : 0;
  EXPECT_GT(dark, 200) << "no text was drawn";
  constexpr double kSameText = 12;  // antialiasing that differs a little is not a different text
  EXPECT_LT(worst_block_difference(layer, *expected), kSameText) << "the text no longer looks like " << reference;
  // The comparison sees a single glyph gone, the smallest one too.
  EXPECT_GE(worst_block_difference(draw("Cunbo 39.90 Agx"), *expected), kSameText) << "without the ¥ it still passes";
  EXPECT_GE(worst_block_difference(draw("Cunbo 3990 Agx \u00A5"), *expected), kSameText)
      << "without the decimal point it still passes";
}

TEST(ImGuiContextGuard, MakesItsContextCurrentAndRestoresThePreviousOne) {
  ImGuiContext* const a = create_imgui_context();
  ImGuiContext* const b = create_imgui_context();
  EXPECT_EQ(ImGui::GetCurrentContext(), nullptr);  // creating one does not make it current
  {
    const ImGuiContextGuard outer(a);
    EXPECT_EQ(ImGui::GetCurrentContext(), a);
    {
      const ImGuiContextGuard inner(b);
      EXPECT_EQ(ImGui::GetCurrentContext(), b);
    }
    EXPECT_EQ(ImGui::GetCurrentContext(), a);
  }
  EXPECT_EQ(ImGui::GetCurrentContext(), nullptr);
  {
    const ImGuiContextGuard guard(a);
    destroy_imgui_context(a);  // destroying the current one leaves none current, not a dangling one
    EXPECT_EQ(ImGui::GetCurrentContext(), nullptr);
  }
  destroy_imgui_context(b);
  EXPECT_EQ(ImGui::GetCurrentContext(), nullptr);
}

}  // namespace
}  // namespace cunbo::ui
