#include "media/overlay_layer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "media/overlay_slot.h"

namespace cunbo {
namespace {

struct Rgba {
  uint8_t r = 0, g = 0, b = 0, a = 0;  // premultiplied
};

// A premultiplied RGBA picture, transparent black except where painted.
struct Picture {
  int width;
  int height;
  std::vector<uint8_t> bytes;

  Picture(int w, int h) : width(w), height(h), bytes(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4, 0) {}
  void set(int x, int y, Rgba c) {
    uint8_t* p = &bytes[(static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 4];
    p[0] = c.r;
    p[1] = c.g;
    p[2] = c.b;
    p[3] = c.a;
  }
  void fill(const OverlayRect& r, Rgba c) {
    for (int y = r.y; y < r.bottom(); ++y)
      for (int x = r.x; x < r.right(); ++x) set(x, y, c);
  }
};

// A yuv420p frame of one colour. `padding` extra bytes at the end of every row of every plane
// (filled with 0xAB, which the blend must never touch).
av::Frame make_yuv(int width, int height, uint8_t y, uint8_t u, uint8_t v, int padding = 0) {
  av::Frame f = av::make_frame();
  f->format = AV_PIX_FMT_YUV420P;
  f->width = width + 2 * padding;
  f->height = height;
  f->color_range = AVCOL_RANGE_MPEG;
  EXPECT_GE(av_frame_get_buffer(f.get(), 0), 0);
  for (int p = 0; p < 3; ++p) {
    const int rows = p == 0 ? height : (height + 1) / 2;
    for (int r = 0; r < rows; ++r) std::memset(f->data[p] + r * f->linesize[p], 0xAB, static_cast<std::size_t>(f->linesize[p]));
  }
  f->width = width;  // the rest of each row is padding now
  for (int r = 0; r < height; ++r) std::memset(f->data[0] + r * f->linesize[0], y, static_cast<std::size_t>(width));
  for (int r = 0; r < (height + 1) / 2; ++r) {
    std::memset(f->data[1] + r * f->linesize[1], u, static_cast<std::size_t>((width + 1) / 2));
    std::memset(f->data[2] + r * f->linesize[2], v, static_cast<std::size_t>((width + 1) / 2));
  }
  return f;
}

int sample(const AVFrame& f, int plane, int x, int y) { return f.data[plane][y * f.linesize[plane] + x]; }

// Every byte of every plane row, padding included.
std::vector<uint8_t> all_bytes(const AVFrame& f) {
  std::vector<uint8_t> out;
  for (int p = 0; p < 3; ++p) {
    const int rows = p == 0 ? f.height : (f.height + 1) / 2;
    for (int r = 0; r < rows; ++r)
      out.insert(out.end(), f.data[p] + r * f.linesize[p], f.data[p] + (r + 1) * f.linesize[p]);
  }
  return out;
}

struct Matrix {
  double kr, kb;
};
Matrix matrix(AVColorSpace cs) { return cs == AVCOL_SPC_BT709 ? Matrix{0.2126, 0.0722} : Matrix{0.299, 0.114}; }

// Limited-range YCbCr of an opaque RGB colour, by the textbook formulas.
struct Yuv {
  double y, u, v;
};
Yuv limited_yuv(AVColorSpace cs, double r, double g, double b) {
  const auto [kr, kb] = matrix(cs);
  const double kg = 1 - kr - kb;
  const double luma = (kr * r + kg * g + kb * b) / 255.0;
  return {16 + 219 * luma, 128 + 224 * (b / 255.0 - luma) / (2 * (1 - kb)),
          128 + 224 * (r / 255.0 - luma) / (2 * (1 - kr))};
}

std::shared_ptr<const OverlayLayer> layer_of(const Picture& pic, std::vector<OverlayRect> regions, AVColorSpace cs) {
  return std::make_shared<const OverlayLayer>(pic.width, pic.height, pic.bytes, std::move(regions), cs);
}

class OverlayMatrix : public ::testing::TestWithParam<AVColorSpace> {};

TEST_P(OverlayMatrix, OpaqueWhiteBecomesLimitedRangeWhite) {
  Picture pic(64, 32);
  pic.fill({8, 8, 16, 8}, {255, 255, 255, 255});
  av::Frame frame = make_yuv(64, 32, 40, 90, 200);
  layer_of(pic, {{8, 8, 16, 8}}, GetParam())->blend_into(*frame);
  EXPECT_EQ(sample(*frame, 0, 10, 10), 235);
  EXPECT_EQ(sample(*frame, 1, 6, 6), 128);
  EXPECT_EQ(sample(*frame, 2, 6, 6), 128);
}

TEST_P(OverlayMatrix, OpaqueRedHasTheStandardLimitedRangeValues) {
  Picture pic(64, 32);
  pic.fill({8, 8, 16, 8}, {255, 0, 0, 255});
  av::Frame frame = make_yuv(64, 32, 40, 90, 200);
  layer_of(pic, {{8, 8, 16, 8}}, GetParam())->blend_into(*frame);
  const Yuv want = limited_yuv(GetParam(), 255, 0, 0);
  EXPECT_NEAR(sample(*frame, 0, 10, 10), want.y, 1.0);
  EXPECT_NEAR(sample(*frame, 1, 6, 6), want.u, 1.0);
  EXPECT_NEAR(sample(*frame, 2, 6, 6), want.v, 1.0);
}

TEST_P(OverlayMatrix, HalfTransparentGreyIsMixedWithTheBackground) {
  // Straight grey 200 at alpha 128 → premultiplied 100 (rounded).
  const int alpha = 128;
  const int premul = static_cast<int>(std::lround(200.0 * alpha / 255.0));
  Picture pic(64, 32);
  pic.fill({8, 8, 16, 8}, {static_cast<uint8_t>(premul), static_cast<uint8_t>(premul), static_cast<uint8_t>(premul),
                          static_cast<uint8_t>(alpha)});
  av::Frame frame = make_yuv(64, 32, 60, 100, 170);
  layer_of(pic, {{8, 8, 16, 8}}, GetParam())->blend_into(*frame);
  const double keep = (255.0 - alpha) / 255.0;
  const double y = 60 * keep + (16.0 * alpha + 219.0 * premul) / 255.0;
  EXPECT_NEAR(sample(*frame, 0, 10, 10), y, 1.0);
  EXPECT_NEAR(sample(*frame, 1, 6, 6), 100 * keep + 128.0 * alpha / 255.0, 1.0);
  EXPECT_NEAR(sample(*frame, 2, 6, 6), 170 * keep + 128.0 * alpha / 255.0, 1.0);
}

INSTANTIATE_TEST_SUITE_P(OverlayLayer, OverlayMatrix, ::testing::Values(AVCOL_SPC_SMPTE170M, AVCOL_SPC_BT709),
                         [](const ::testing::TestParamInfo<AVColorSpace>& param_info) {
                           return param_info.param == AVCOL_SPC_BT709 ? std::string("Bt709") : std::string("Bt601");
                         });

TEST(OverlayLayer, TransparentRegionsLeaveTheFrameBitIdentical) {
  Picture pic(128, 72);
  av::Frame frame = make_yuv(128, 72, 77, 111, 144, 16);
  const std::vector<uint8_t> before = all_bytes(*frame);
  auto layer = layer_of(pic, {{0, 0, 128, 72}, {10, 10, 20, 20}}, AVCOL_SPC_BT709);
  EXPECT_TRUE(layer->empty());
  layer->blend_into(*frame);
  EXPECT_EQ(all_bytes(*frame), before);
}

TEST(OverlayLayer, OnlyTheDrawnPixelsChangeInsideARegion) {
  // A region of 100x40 with an opaque 6x6 square in it and a transparent hole between two
  // half-transparent stretches further right (the hole is shorter than a skipped run).
  Picture pic(128, 72);
  const OverlayRect square{20, 20, 6, 6};
  pic.fill(square, {0, 0, 255, 255});
  pic.fill({60, 30, 4, 2}, {50, 50, 50, 128});
  pic.fill({70, 30, 4, 2}, {50, 50, 50, 128});
  av::Frame frame = make_yuv(128, 72, 77, 111, 144, 8);
  av::Frame original = make_yuv(128, 72, 77, 111, 144, 8);
  layer_of(pic, {{10, 10, 100, 40}}, AVCOL_SPC_SMPTE170M)->blend_into(*frame);

  const auto drawn = [&](int x, int y) {
    return (x >= 20 && x < 26 && y >= 20 && y < 26) || (y >= 30 && y < 32 && ((x >= 60 && x < 64) || (x >= 70 && x < 74)));
  };
  int changed = 0;
  for (int y = 0; y < 72; ++y) {
    for (int x = 0; x < 128; ++x) {
      if (drawn(x, y)) {
        changed += sample(*frame, 0, x, y) != 77;
      } else {
        ASSERT_EQ(sample(*frame, 0, x, y), 77) << "luma at " << x << "," << y;
      }
    }
  }
  EXPECT_EQ(changed, 36 + 16);
  for (int p = 1; p < 3; ++p)
    for (int y = 0; y < 36; ++y)
      for (int x = 0; x < 64; ++x) {
        const bool block_drawn = drawn(2 * x, 2 * y) || drawn(2 * x + 1, 2 * y) || drawn(2 * x, 2 * y + 1) ||
                                 drawn(2 * x + 1, 2 * y + 1);
        if (!block_drawn) {
          ASSERT_EQ(sample(*frame, p, x, y), sample(*original, p, x, y)) << p << ": " << x << "," << y;
        }
      }
  // Padding untouched.
  EXPECT_EQ(frame->data[0][20 * frame->linesize[0] + 128], 0xAB);
}

TEST(OverlayLayer, RegionsAtOddPositionsAreGrownToEvenCoordinates) {
  Picture pic(64, 32);
  pic.fill({3, 5, 7, 9}, {255, 255, 255, 255});
  auto layer = layer_of(pic, {{3, 5, 7, 9}}, AVCOL_SPC_BT709);
  ASSERT_EQ(layer->regions().size(), 1u);
  EXPECT_EQ(layer->regions()[0], (OverlayRect{2, 4, 8, 10}));
  av::Frame frame = make_yuv(64, 32, 16, 128, 128);
  layer->blend_into(*frame);
  EXPECT_EQ(sample(*frame, 0, 3, 5), 235);   // first drawn pixel, odd x and y
  EXPECT_EQ(sample(*frame, 0, 9, 13), 235);  // last drawn pixel
  EXPECT_EQ(sample(*frame, 0, 2, 5), 16);    // in the grown region, transparent
  EXPECT_EQ(sample(*frame, 0, 10, 13), 16);  // outside
  // The 2x2 block (2,4)-(3,5) is a quarter covered by white: neutral chroma stays neutral.
  EXPECT_EQ(sample(*frame, 1, 1, 2), 128);
}

TEST(OverlayLayer, OddFrameSizesAndRegionsAtTheEdgesAreBlendedToTheLastSample) {
  const int w = 641, h = 361;
  Picture pic(w, h);
  pic.fill({600, 330, 41, 31}, {255, 0, 0, 255});  // to the right and bottom edges
  pic.fill({0, 0, 5, 3}, {255, 0, 0, 255});        // the top-left corner
  // One region sticks out of the frame: clipped.
  auto layer = layer_of(pic, {{600, 330, 100, 100}, {-4, -4, 9, 7}}, AVCOL_SPC_SMPTE170M);
  ASSERT_EQ(layer->regions().size(), 2u);
  EXPECT_EQ(layer->regions()[0], (OverlayRect{600, 330, 41, 31}));
  EXPECT_EQ(layer->regions()[1], (OverlayRect{0, 0, 6, 4}));
  av::Frame frame = make_yuv(w, h, 16, 128, 128, 4);
  layer->blend_into(*frame);
  const Yuv red = limited_yuv(AVCOL_SPC_SMPTE170M, 255, 0, 0);
  EXPECT_NEAR(sample(*frame, 0, w - 1, h - 1), red.y, 1.0);
  EXPECT_NEAR(sample(*frame, 0, 0, 0), red.y, 1.0);
  // The last chroma sample covers one pixel only: the full red, not a quarter of it.
  EXPECT_NEAR(sample(*frame, 1, w / 2, h / 2), red.u, 1.0);
  EXPECT_NEAR(sample(*frame, 2, w / 2, h / 2), red.v, 1.0);
  EXPECT_EQ(frame->data[0][(h - 1) * frame->linesize[0] + w], 0xAB);  // padding
  EXPECT_EQ(frame->data[1][(h / 2) * frame->linesize[1] + w / 2 + 1], 0xAB);
}

TEST(OverlayLayer, FramePaddingIsRespected) {
  Picture pic(100, 50);
  pic.fill({0, 0, 100, 50}, {255, 255, 255, 255});
  av::Frame frame = make_yuv(100, 50, 16, 128, 128, 64);
  ASSERT_GT(frame->linesize[0], 100 + 64);
  layer_of(pic, {{0, 0, 100, 50}}, AVCOL_SPC_BT709)->blend_into(*frame);
  for (int y = 0; y < 50; ++y) {
    for (int x = 0; x < 100; ++x) ASSERT_EQ(sample(*frame, 0, x, y), 235);
    for (int x = 100; x < frame->linesize[0]; ++x) ASSERT_EQ(frame->data[0][y * frame->linesize[0] + x], 0xAB);
  }
  for (int p = 1; p < 3; ++p)
    for (int y = 0; y < 25; ++y)
      for (int x = 50; x < frame->linesize[p]; ++x) ASSERT_EQ(frame->data[p][y * frame->linesize[p] + x], 0xAB);
}

TEST(OverlayLayer, AStrideWiderThanTheRowsGivesTheSameLayer) {
  Picture pic(40, 20);
  pic.fill({4, 4, 10, 10}, {30, 60, 90, 120});
  const int stride = 40 * 4 + 36;
  std::vector<uint8_t> wide(static_cast<std::size_t>(stride) * 20, 0xEE);  // garbage between rows
  for (int y = 0; y < 20; ++y) std::memcpy(&wide[static_cast<std::size_t>(y * stride)], &pic.bytes[static_cast<std::size_t>(y * 160)], 160);
  OverlayLayer strided(40, 20, wide.data(), stride, {{4, 4, 10, 10}}, AVCOL_SPC_BT709);
  av::Frame a = make_yuv(40, 20, 100, 100, 100);
  av::Frame b = make_yuv(40, 20, 100, 100, 100);
  strided.blend_into(*a);
  layer_of(pic, {{4, 4, 10, 10}}, AVCOL_SPC_BT709)->blend_into(*b);
  EXPECT_EQ(all_bytes(*a), all_bytes(*b));
  EXPECT_NE(sample(*a, 0, 5, 5), 100);
}

TEST(OverlayLayer, OverlappingRegionsBlendEachPixelOnce) {
  Picture pic(64, 32);
  pic.fill({10, 10, 20, 10}, {64, 64, 64, 128});
  av::Frame once = make_yuv(64, 32, 200, 60, 60);
  av::Frame overlapped = make_yuv(64, 32, 200, 60, 60);
  layer_of(pic, {{10, 10, 20, 10}}, AVCOL_SPC_BT709)->blend_into(*once);
  layer_of(pic, {{10, 10, 20, 10}, {14, 12, 10, 4}, {10, 10, 20, 10}}, AVCOL_SPC_BT709)->blend_into(*overlapped);
  EXPECT_EQ(all_bytes(*overlapped), all_bytes(*once));
}

TEST(OverlayLayer, AFrameOfAnotherSizeOrFormatIsLeftAlone) {
  Picture pic(64, 32);
  pic.fill({0, 0, 64, 32}, {255, 255, 255, 255});
  auto layer = layer_of(pic, {{0, 0, 64, 32}}, AVCOL_SPC_BT709);
  av::Frame bigger = make_yuv(128, 64, 16, 128, 128);
  const std::vector<uint8_t> before = all_bytes(*bigger);
  layer->blend_into(*bigger);
  EXPECT_EQ(all_bytes(*bigger), before);
  EXPECT_FALSE(layer->to_yuv_over(*bigger));

  av::Frame rgb = av::make_frame();
  rgb->format = AV_PIX_FMT_RGBA;
  rgb->width = 64;
  rgb->height = 32;
  ASSERT_GE(av_frame_get_buffer(rgb.get(), 0), 0);
  std::memset(rgb->data[0], 7, static_cast<std::size_t>(rgb->linesize[0]) * 32);
  layer->blend_into(*rgb);
  EXPECT_EQ(rgb->data[0][100], 7);
}

TEST(OverlayLayer, ToYuvOverLeavesTheBackgroundAlone) {
  Picture pic(64, 32);
  pic.fill({0, 0, 8, 8}, {255, 255, 255, 255});
  auto layer = layer_of(pic, {{0, 0, 8, 8}}, AVCOL_SPC_BT709);
  av::Frame background = make_yuv(64, 32, 16, 128, 128);
  av::Frame out = layer->to_yuv_over(*background);
  ASSERT_TRUE(out);
  EXPECT_EQ(sample(*out, 0, 1, 1), 235);
  EXPECT_EQ(sample(*out, 0, 9, 9), 16);
  EXPECT_EQ(sample(*background, 0, 1, 1), 16);
}

TEST(OverlayLayer, RestoreTakesTheFrameBackToWhatItWasBeforeTheBlend) {
  // Opaque, half-transparent and transparent parts, at odd positions, on a frame with padding
  // and a picture that differs from sample to sample.
  Picture pic(64, 32);
  pic.fill({3, 3, 9, 7}, {255, 0, 0, 255});
  pic.fill({20, 11, 7, 5}, {40, 200, 90, 128});
  auto layer = layer_of(pic, {{1, 1, 30, 20}, {40, 20, 10, 10}}, AVCOL_SPC_SMPTE170M);
  av::Frame frame = make_yuv(64, 32, 0, 0, 0, 8);
  for (int p = 0; p < 3; ++p)
    for (int y = 0; y < (p ? 16 : 32); ++y)
      for (int x = 0; x < (p ? 32 : 64); ++x) frame->data[p][y * frame->linesize[p] + x] = static_cast<uint8_t>(x * 7 + y * 3 + p);
  const std::vector<uint8_t> before = all_bytes(*frame);

  std::vector<uint8_t> under;
  layer->blend_into(*frame, under);
  EXPECT_EQ(under.size(), layer->blended_samples());
  av::Frame plain = make_yuv(64, 32, 0, 0, 0, 8);
  for (int p = 0; p < 3; ++p)
    for (int y = 0; y < (p ? 16 : 32); ++y)
      for (int x = 0; x < (p ? 32 : 64); ++x) plain->data[p][y * plain->linesize[p] + x] = static_cast<uint8_t>(x * 7 + y * 3 + p);
  layer->blend_into(*plain);
  EXPECT_EQ(all_bytes(*frame), all_bytes(*plain)) << "saving what is under it does not change the blend";

  layer->restore(*frame, under);
  EXPECT_EQ(all_bytes(*frame), before);
}

TEST(OverlayLayer, RestoreIgnoresWhatAnotherLayerSaved) {
  Picture small(64, 32), large(64, 32);
  small.fill({0, 0, 4, 4}, {255, 255, 255, 255});
  large.fill({0, 0, 16, 16}, {255, 255, 255, 255});
  auto a = layer_of(small, {{0, 0, 4, 4}}, AVCOL_SPC_BT709);
  auto b = layer_of(large, {{0, 0, 16, 16}}, AVCOL_SPC_BT709);
  av::Frame frame = make_yuv(64, 32, 50, 128, 128);
  std::vector<uint8_t> under;
  a->blend_into(*frame, under);
  const std::vector<uint8_t> blended = all_bytes(*frame);
  b->restore(*frame, under);
  EXPECT_EQ(all_bytes(*frame), blended);
}

TEST(OverlayLayer, BadArgumentsGiveAnEmptyLayer) {
  std::vector<uint8_t> too_small(10, 255);
  EXPECT_TRUE(OverlayLayer(64, 32, too_small, {{0, 0, 8, 8}}, AVCOL_SPC_BT709).empty());
  EXPECT_TRUE(OverlayLayer(64, 32, nullptr, 256, {{0, 0, 8, 8}}, AVCOL_SPC_BT709).empty());
  EXPECT_TRUE(OverlayLayer(0, 0, nullptr, 0, {}, AVCOL_SPC_BT709).empty());
  Picture pic(64, 32);
  pic.fill({0, 0, 64, 32}, {255, 255, 255, 255});
  EXPECT_TRUE(OverlayLayer(64, 32, pic.bytes, {}, AVCOL_SPC_BT709).empty());  // no regions
  EXPECT_TRUE(OverlayLayer(64, 32, pic.bytes, {{70, 40, 8, 8}, {0, 0, 0, 5}}, AVCOL_SPC_BT709).empty());
}

TEST(OverlayLayer, CarriesTheVersionTheProducerSets) {
  Picture pic(16, 16);
  auto layer = std::make_shared<OverlayLayer>(16, 16, pic.bytes, std::vector<OverlayRect>{}, AVCOL_SPC_BT709);
  EXPECT_EQ(layer->version(), 0u);
  layer->set_version(42);
  std::shared_ptr<const OverlayLayer> shared = layer;
  EXPECT_EQ(shared->version(), 42u);
}

TEST(OverlaySlot, HoldsTheLastPublishedLayerAndCountsPublishes) {
  OverlaySlot slot;
  EXPECT_EQ(slot.current(), nullptr);
  Picture pic(16, 16);
  auto first = layer_of(pic, {}, AVCOL_SPC_BT709);
  auto second = layer_of(pic, {}, AVCOL_SPC_BT709);
  slot.publish(first);
  std::shared_ptr<const OverlayLayer> held = slot.current();  // the video thread blends this one
  slot.publish(second);
  EXPECT_EQ(held, first);  // still alive and unchanged for the frame that took it
  EXPECT_EQ(slot.current(), second);
  slot.publish(nullptr);
  EXPECT_EQ(slot.current(), nullptr);
  EXPECT_EQ(slot.publishes(), 3u);
}

// The same picture made two ways: the layer drawn over the background in RGB, then converted
// to YUV by libswscale; and the background converted by libswscale, then the layer blended in
// YUV. They differ only in rounding and in how chroma is subsampled at the layer's edges.
double psnr_against_swscale(AVColorSpace cs) {
  const int w = 320, h = 180;
  // Background: a colour gradient, opaque RGB.
  std::vector<uint8_t> bg(static_cast<std::size_t>(w * h * 3));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      uint8_t* p = &bg[static_cast<std::size_t>((y * w + x) * 3)];
      p[0] = static_cast<uint8_t>(40 + x * 180 / w);
      p[1] = static_cast<uint8_t>(60 + y * 150 / h);
      p[2] = static_cast<uint8_t>(200 - (x + y) * 150 / (w + h));
    }
  // Layer: a card with a soft-edged, half-transparent frame and an opaque coloured body with
  // a gradient, plus a banner of semi-transparent dark (what the showcase draws).
  Picture pic(w, h);
  for (int y = 20; y < 140; ++y)
    for (int x = 20; x < 180; ++x) {
      const int edge = std::min({x - 20, 179 - x, y - 20, 139 - y});
      const int a = edge >= 8 ? 255 : 60 + edge * 24;
      const int r = 240 - (y - 20), g = 180 + (x - 20) / 4, b = 60 + (x - 20) / 2;
      pic.set(x, y, {static_cast<uint8_t>(r * a / 255), static_cast<uint8_t>(g * a / 255),
                     static_cast<uint8_t>(b * a / 255), static_cast<uint8_t>(a)});
    }
  pic.fill({200, 150, 100, 20}, {10, 10, 30, 160});
  const std::vector<OverlayRect> regions{{20, 20, 160, 120}, {200, 150, 100, 20}};

  // Way 1: composite in RGB (premultiplied over), then swscale.
  std::vector<uint8_t> composed(bg);
  for (std::size_t i = 0; i < static_cast<std::size_t>(w * h); ++i) {
    const int a = pic.bytes[i * 4 + 3];
    for (int c = 0; c < 3; ++c) {
      uint8_t& d = composed[i * 3 + static_cast<std::size_t>(c)];
      d = static_cast<uint8_t>(std::lround(pic.bytes[i * 4 + static_cast<std::size_t>(c)] + d * (255 - a) / 255.0));
    }
  }
  const int sws_matrix = cs == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_ITU601;
  const auto to_yuv = [&](const std::vector<uint8_t>& rgb) {
    av::Sws sws(sws_getContext(w, h, AV_PIX_FMT_RGB24, w, h, AV_PIX_FMT_YUV420P,
                               SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP, nullptr, nullptr, nullptr));
    EXPECT_TRUE(sws);
    sws_setColorspaceDetails(sws.get(), sws_getCoefficients(sws_matrix), 1, sws_getCoefficients(sws_matrix), 0, 0,
                             1 << 16, 1 << 16);
    av::Frame f = make_yuv(w, h, 0, 0, 0);
    const uint8_t* src[4] = {rgb.data(), nullptr, nullptr, nullptr};
    const int src_stride[4] = {w * 3, 0, 0, 0};
    sws_scale(sws.get(), src, src_stride, 0, h, f->data, f->linesize);
    return f;
  };
  av::Frame reference = to_yuv(composed);

  // Way 2: swscale the background, blend the layer in YUV.
  av::Frame blended = to_yuv(bg);
  OverlayLayer(w, h, pic.bytes, regions, cs).blend_into(*blended);

  // Over the layer's regions only: elsewhere both are the same conversion of the background,
  // which would dilute a wrong matrix (the other matrix scores 39.9 dB over the whole frame,
  // 35.6 dB here; the right one 55 dB).
  double squared = 0;
  long count = 0;
  for (int p = 0; p < 3; ++p) {
    const int shift = p == 0 ? 0 : 1;
    for (const OverlayRect& r : regions)
      for (int y = r.y >> shift; y < r.bottom() >> shift; ++y)
        for (int x = r.x >> shift; x < r.right() >> shift; ++x) {
          const double d = sample(*blended, p, x, y) - sample(*reference, p, x, y);
          squared += d * d;
          ++count;
        }
  }
  const double mse = squared / static_cast<double>(count);
  return mse == 0 ? 99.0 : 10 * std::log10(255.0 * 255.0 / mse);
}

TEST(OverlayLayer, AgreesWithSwscaleConvertingTheSamePictureBt601) {
  const double psnr = psnr_against_swscale(AVCOL_SPC_SMPTE170M);
  RecordProperty("psnr_db", std::to_string(psnr));
  EXPECT_GE(psnr, 40.0);
}

TEST(OverlayLayer, AgreesWithSwscaleConvertingTheSamePictureBt709) {
  const double psnr = psnr_against_swscale(AVCOL_SPC_BT709);
  RecordProperty("psnr_db", std::to_string(psnr));
  EXPECT_GE(psnr, 40.0);
}

}  // namespace
}  // namespace cunbo
