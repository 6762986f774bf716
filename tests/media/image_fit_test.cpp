#include "media/image_fit.h"

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "media/av.h"

namespace cunbo {
namespace {

// A w x h RGBA picture, left half red and right half blue, opaque.
RgbaImage red_and_blue(int w, int h) {
  RgbaImage image;
  image.width = w;
  image.height = h;
  image.pixels.resize(static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      uint8_t* p = image.pixels.data() + (static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)) * 4;
      const bool left = x < w / 2;
      p[0] = left ? 220 : 20;
      p[1] = 20;
      p[2] = left ? 20 : 220;
      p[3] = 255;
    }
  }
  return image;
}

std::array<int, 4> rgba_at(const RgbaImage& image, int x, int y) {
  const uint8_t* p =
      image.pixels.data() + (static_cast<size_t>(y) * static_cast<size_t>(image.width) + static_cast<size_t>(x)) * 4;
  return {p[0], p[1], p[2], p[3]};
}

// A uniform grey 4:2:0 picture with luma `y` in `format` and `range`.
av::Frame grey_frame(AVPixelFormat format, AVColorRange range, uint8_t luma) {
  av::Frame frame = av::make_frame();
  frame->width = 64;
  frame->height = 32;
  frame->format = format;
  frame->color_range = range;
  if (av_frame_get_buffer(frame.get(), 32) < 0) throw std::runtime_error("frame");
  for (int y = 0; y < frame->height; ++y) std::memset(frame->data[0] + y * frame->linesize[0], luma, 64);
  for (int plane = 1; plane <= 2; ++plane) {
    for (int y = 0; y < frame->height / 2; ++y) std::memset(frame->data[plane] + y * frame->linesize[plane], 128, 32);
  }
  return frame;
}

TEST(ImageFit, KeepsTheAspectInsideTheBox) {
  const auto wide = fit_image(red_and_blue(300, 90), 100, 100);
  ASSERT_TRUE(wide.has_value());
  EXPECT_EQ(wide->width, 100);
  EXPECT_EQ(wide->height, 30);
  ASSERT_EQ(wide->pixels.size(), 100u * 30u * 4u);
  EXPECT_GT(rgba_at(*wide, 10, 15)[0], 180);  // still red on the left ...
  EXPECT_GT(rgba_at(*wide, 90, 15)[2], 180);  // ... and blue on the right
  EXPECT_EQ(rgba_at(*wide, 50, 15)[3], 255);

  const auto tall = fit_image(red_and_blue(40, 160), 100, 100);
  ASSERT_TRUE(tall.has_value());
  EXPECT_EQ(tall->width, 25);
  EXPECT_EQ(tall->height, 100);

  // Smaller pictures grow to the box: a card never shows a postage stamp.
  const auto small = fit_image(red_and_blue(20, 10), 100, 100);
  ASSERT_TRUE(small.has_value());
  EXPECT_EQ(small->width, 100);
  EXPECT_EQ(small->height, 50);
}

TEST(ImageFit, APictureThatAlreadyFitsIsCopiedUnchanged) {
  const RgbaImage exact = red_and_blue(100, 40);
  const auto fitted = fit_image(exact, 100, 100);
  ASSERT_TRUE(fitted.has_value());
  EXPECT_EQ(fitted->width, 100);
  EXPECT_EQ(fitted->height, 40);
  EXPECT_EQ(fitted->pixels, exact.pixels);
}

TEST(ImageFit, ReadsJpegsFullRangeYuvAsFullRange) {
  // Luma 16 is a dark grey in a JPEG (full range), but black in video (limited) range.
  for (const auto& [format, range] : {std::pair{AV_PIX_FMT_YUVJ420P, AVCOL_RANGE_UNSPECIFIED},
                                      std::pair{AV_PIX_FMT_YUV420P, AVCOL_RANGE_JPEG}}) {
    SCOPED_TRACE(av_get_pix_fmt_name(format));
    const auto fitted = fit_image(*grey_frame(format, range, 16), 32, 32);
    ASSERT_TRUE(fitted.has_value());
    EXPECT_EQ(fitted->width, 32);
    EXPECT_EQ(fitted->height, 16);
    const auto p = rgba_at(*fitted, 16, 8);
    EXPECT_NEAR(p[0], 16, 2);
    EXPECT_NEAR(p[1], 16, 2);
    EXPECT_NEAR(p[2], 16, 2);
  }
  const auto video = fit_image(*grey_frame(AV_PIX_FMT_YUV420P, AVCOL_RANGE_MPEG, 16), 32, 32);
  ASSERT_TRUE(video.has_value());
  EXPECT_LE(rgba_at(*video, 16, 8)[0], 2);
}

TEST(ImageFit, RefusesAnEmptyOrShortPicture) {
  EXPECT_FALSE(fit_image(RgbaImage{}, 10, 10).has_value());
  RgbaImage short_one = red_and_blue(10, 10);
  short_one.pixels.resize(10 * 9 * 4);
  EXPECT_FALSE(fit_image(short_one, 10, 10).has_value());
}

}  // namespace
}  // namespace cunbo
