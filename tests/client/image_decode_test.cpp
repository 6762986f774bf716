// Decoding product pictures: real JPEG, PNG and WebP made here with libavcodec, refused
// before decoding when their header promises too many pixels; the placeholder tile.
#include "client/platform/image_decode.h"

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <variant>
#include <vector>

#include "client/platform/image_loader.h"
#include "client/platform/image_placeholder.h"
#include "tests/client/test_pictures.h"
#include "tests/support/temp_dir.h"

namespace cunbo::test {
namespace {

TEST(ImageLoader, DecodesJpegPngAndWebpToRgbaFittedInsideTheCard) {
  for (AVCodecID id : encodable_picture_formats()) {
    SCOPED_TRACE(avcodec_get_name(id));
    const auto bytes = encode_picture(id, 320, 160);
    auto decoded = decode_image(bytes, 100, 100);
    ASSERT_TRUE(std::holds_alternative<RgbaImage>(decoded)) << std::get<ImageError>(decoded).detail;
    const RgbaImage& image = std::get<RgbaImage>(decoded);
    EXPECT_FALSE(image.placeholder);
    EXPECT_EQ(image.width, 100);  // 2:1 kept inside 100 x 100
    EXPECT_EQ(image.height, 50);
    ASSERT_EQ(image.pixels.size(), 100u * 50u * 4u);
    const auto left = rgb_at(image, 10, 25);
    const auto right = rgb_at(image, 90, 25);
    EXPECT_GT(left[0], 180);
    EXPECT_LT(left[2], 70);
    EXPECT_GT(right[2], 180);
    EXPECT_LT(right[0], 70);
    EXPECT_EQ(image.pixels[3], 255);  // opaque
  }
}

TEST(ImageLoader, ReadsTheSizeFromTheHeaderWithoutDecoding) {
  for (AVCodecID id : encodable_picture_formats()) {
    SCOPED_TRACE(avcodec_get_name(id));
    const auto header = probe_image_header(encode_picture(id, 322, 162));
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ(header->width, 322);
    EXPECT_EQ(header->height, 162);
  }
  const std::string text = "<html>not a picture</html>";
  EXPECT_FALSE(probe_image_header(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size())));
}

TEST(ImageLoader, RefusesPicturesOver4096PixelsBeforeDecodingThem) {
  // A header that promises 20000 x 20000 and nothing after it: decoding would fail differently.
  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                              0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20, 8, 6, 0, 0, 0};
  auto decoded = decode_image(png, 200, 200);
  ASSERT_TRUE(std::holds_alternative<ImageError>(decoded));
  EXPECT_EQ(std::get<ImageError>(decoded).code, ImageError::Code::too_many_pixels);

  // Real pictures one pixel too wide, in each format.
  for (AVCodecID id : encodable_picture_formats()) {
    SCOPED_TRACE(avcodec_get_name(id));
    auto wide = decode_image(encode_picture(id, 4098, 16), 200, 200);
    ASSERT_TRUE(std::holds_alternative<ImageError>(wide));
    EXPECT_EQ(std::get<ImageError>(wide).code, ImageError::Code::too_many_pixels);
  }
  // 4096 itself is allowed.
  auto edge = decode_image(encode_picture(AV_CODEC_ID_PNG, 4096, 8), 200, 200);
  EXPECT_TRUE(std::holds_alternative<RgbaImage>(edge));

  // Through the loader: a placeholder of the card's size.
  test::TempDir dir("image-loader");
  write_file(dir / "huge.png", png);
  ImageLoader loader(ImageLoaderOptions{dir / "cache", {}, size_t{8} << 20});
  loader.start();
  const RgbaImage image = loader.request(file_url(dir / "huge.png"), 120, 90).get();
  EXPECT_TRUE(image.placeholder);
  EXPECT_EQ(image.width, 120);
  EXPECT_EQ(image.height, 90);
}

TEST(ImageLoader, PlaceholderIsARoundedNeutralTileOfTheCardSize) {
  const RgbaImage tile = make_placeholder(160, 120);
  EXPECT_TRUE(tile.placeholder);
  ASSERT_EQ(tile.pixels.size(), 160u * 120u * 4u);
  EXPECT_EQ(tile.pixels[3], 0);  // the corner is cut away
  const uint8_t* centre_row = tile.pixels.data() + 60 * 160 * 4;
  EXPECT_EQ(centre_row[4 * 5 + 3], 255);  // opaque inside
  EXPECT_EQ(centre_row[4 * 5], centre_row[4 * 5 + 1]);  // grey
}

}  // namespace
}  // namespace cunbo::test
