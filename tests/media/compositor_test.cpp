#include "media/compositor.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace cunbo {
namespace {

av::Frame make_source(AVPixelFormat format, int width, int height, uint8_t luma, AVColorRange range) {
  av::Frame f = av::make_frame();
  f->format = format;
  f->width = width;
  f->height = height;
  f->color_range = range;
  EXPECT_GE(av_frame_get_buffer(f.get(), 0), 0);
  if (format == AV_PIX_FMT_YUYV422) {
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x) {
        f->data[0][y * f->linesize[0] + 2 * x] = luma;
        f->data[0][y * f->linesize[0] + 2 * x + 1] = 128;
      }
  } else {
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(format);
    for (int y = 0; y < height; ++y) std::fill_n(f->data[0] + y * f->linesize[0], width, luma);
    for (int p = 1; p < 3; ++p)
      for (int y = 0; y < AV_CEIL_RSHIFT(height, d->log2_chroma_h); ++y)
        std::fill_n(f->data[p] + y * f->linesize[p], AV_CEIL_RSHIFT(width, d->log2_chroma_w), uint8_t{128});
  }
  return f;
}

int luma_at(const AVFrame& f, int x, int y) { return f.data[0][y * f.linesize[0] + x]; }

TEST(Compositor, NothingCapturedYetGivesBlack) {
  Compositor c(1280, 720, AVCOL_SPC_SMPTE170M);
  av::Frame out = c.compose(nullptr);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->width, 1280);
  EXPECT_EQ(out->format, AV_PIX_FMT_YUV420P);
  EXPECT_EQ(luma_at(*out, 640, 360), 16);
  EXPECT_EQ(out->data[1][0], 128);
}

TEST(Compositor, OutputFormatSourceIsPassedThroughWithoutCopy) {
  Compositor c(1280, 720, AVCOL_SPC_SMPTE170M);
  av::Frame src = make_source(AV_PIX_FMT_YUV420P, 1280, 720, 100, AVCOL_RANGE_MPEG);
  av::Frame out = c.compose(src.get());
  EXPECT_EQ(out->data[0], src->data[0]);
}

TEST(Compositor, WebcamYuyvIsConvertedAndFittedOverADarkerCopyOfItselfKeepingItsShape) {
  Compositor c(1280, 720, AVCOL_SPC_SMPTE170M);
  av::Frame src = make_source(AV_PIX_FMT_YUYV422, 640, 480, 180, AVCOL_RANGE_MPEG);
  av::Frame out = c.compose(src.get());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->width, 1280);
  EXPECT_EQ(out->height, 720);
  // 4:3 in 16:9 → 960 wide picture in the middle; at each side, 160 of the same picture
  // darkened (not black bars).
  EXPECT_NEAR(luma_at(*out, 640, 360), 180, 2);
  EXPECT_NEAR(luma_at(*out, 40, 360), 16 + (180 - 16) * 9 / 16, 3);
  EXPECT_NEAR(luma_at(*out, 1240, 360), 16 + (180 - 16) * 9 / 16, 3);
  EXPECT_NEAR(luma_at(*out, 170, 360), 180, 2);
}

TEST(Compositor, FullRangeMjpegBecomesLimitedRange) {
  Compositor c(1280, 720, AVCOL_SPC_SMPTE170M);
  av::Frame white = make_source(AV_PIX_FMT_YUVJ422P, 1280, 720, 255, AVCOL_RANGE_JPEG);
  av::Frame black = make_source(AV_PIX_FMT_YUVJ422P, 1280, 720, 0, AVCOL_RANGE_JPEG);
  EXPECT_NEAR(luma_at(*c.compose(white.get()), 100, 100), 235, 1);
  EXPECT_NEAR(luma_at(*c.compose(black.get()), 100, 100), 16, 1);
}

// An opaque white card at (x, y, w, h) on an otherwise transparent 1280x720 layer.
OverlayLayer white_card(int x, int y, int w, int h, int width = 1280, int height = 720) {
  std::vector<uint8_t> rgba(static_cast<size_t>(width) * static_cast<size_t>(height) * 4, 0);
  for (int row = y; row < y + h; ++row)
    std::memset(&rgba[(static_cast<size_t>(row) * static_cast<size_t>(width) + static_cast<size_t>(x)) * 4], 255,
                static_cast<size_t>(w) * 4);
  return OverlayLayer(width, height, rgba, {{x, y, w, h}}, AVCOL_SPC_SMPTE170M);
}

std::vector<uint8_t> luma_plane(const AVFrame& f) {
  std::vector<uint8_t> out;
  for (int y = 0; y < f.height; ++y) out.insert(out.end(), f.data[0] + y * f.linesize[0], f.data[0] + y * f.linesize[0] + f.width);
  return out;
}

TEST(Compositor, PassThroughWithAnEmptyOverlayStaysZeroCopy) {
  Compositor c(1280, 720, AVCOL_SPC_SMPTE170M);
  av::Frame src = make_source(AV_PIX_FMT_YUV420P, 1280, 720, 100, AVCOL_RANGE_MPEG);
  const OverlayLayer nothing = white_card(0, 0, 0, 0);
  ASSERT_TRUE(nothing.empty());
  EXPECT_EQ(c.compose(src.get(), &nothing)->data[0], src->data[0]);
}

TEST(Compositor, OverlayOnAPassedThroughSourceLeavesTheSourceUntouched) {
  Compositor c(1280, 720, AVCOL_SPC_SMPTE170M);
  av::Frame src = make_source(AV_PIX_FMT_YUV420P, 1280, 720, 100, AVCOL_RANGE_MPEG);
  const std::vector<uint8_t> before = luma_plane(*src);
  const OverlayLayer card = white_card(40, 440, 420, 260);
  av::Frame out = c.compose(src.get(), &card);
  ASSERT_TRUE(out);
  EXPECT_NE(out->data[0], src->data[0]);
  EXPECT_EQ(luma_at(*out, 100, 500), 235);
  EXPECT_EQ(luma_at(*out, 640, 100), 100);
  EXPECT_EQ(luma_plane(*src), before);  // the preview's / capture's picture is not drawn on
}

TEST(Compositor, OverlayIsDrawnInPlaceOnAPassedThroughSourceNobodyElseHolds) {
  Compositor c(1280, 720, AVCOL_SPC_SMPTE170M);
  av::Frame src = make_source(AV_PIX_FMT_YUV420P, 1280, 720, 100, AVCOL_RANGE_MPEG);
  const uint8_t* pixels = src->data[0];
  const OverlayLayer card = white_card(40, 440, 420, 260);
  std::vector<uint8_t> under;
  av::Frame out = c.compose(std::move(src), &card, under);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->data[0], pixels);  // no copy
  EXPECT_EQ(luma_at(*out, 100, 500), 235);
  EXPECT_EQ(luma_at(*out, 640, 100), 100);
  EXPECT_EQ(under.size(), card.blended_samples());
}

TEST(Compositor, AHandedOverSourceThatOthersStillHoldIsCopiedBeforeTheOverlay) {
  Compositor c(1280, 720, AVCOL_SPC_SMPTE170M);
  av::Frame src = make_source(AV_PIX_FMT_YUV420P, 1280, 720, 100, AVCOL_RANGE_MPEG);
  const std::vector<uint8_t> before = luma_plane(*src);
  const OverlayLayer card = white_card(40, 440, 420, 260);
  std::vector<uint8_t> under;
  av::Frame out = c.compose(av::ref_frame(src.get()), &card, under);
  ASSERT_TRUE(out);
  EXPECT_NE(out->data[0], src->data[0]);
  EXPECT_EQ(luma_at(*out, 100, 500), 235);
  EXPECT_EQ(luma_plane(*src), before);
}

TEST(Compositor, ARepeatedPictureUnderANewOverlayLooksAsIfComposedFromTheSource) {
  Compositor c(1280, 720, AVCOL_SPC_SMPTE170M);
  av::Frame src = make_source(AV_PIX_FMT_YUV420P, 1280, 720, 100, AVCOL_RANGE_MPEG);
  for (int y = 0; y < 720; ++y)
    for (int x = 0; x < 1280; ++x) src->data[0][y * src->linesize[0] + x] = static_cast<uint8_t>(16 + (x + y) % 200);
  const OverlayLayer card = white_card(40, 440, 420, 260);
  const OverlayLayer banner = white_card(400, 40, 480, 80);
  av::Frame expected = c.compose(src.get(), &banner);

  std::vector<uint8_t> under;
  av::Frame shown = c.compose(av::ref_frame(src.get()), &card, under);
  const std::vector<uint8_t> shown_before = luma_plane(*shown);
  av::Frame again = c.recompose(*shown, &card, under, &banner);
  ASSERT_TRUE(again);
  EXPECT_EQ(luma_plane(*again), luma_plane(*expected));
  EXPECT_EQ(luma_plane(*shown), shown_before);  // what the encoder and preview hold is not drawn on
  av::Frame bare = c.recompose(*again, &banner, under, nullptr);
  ASSERT_TRUE(bare);
  EXPECT_EQ(luma_plane(*bare), luma_plane(*src));
}

TEST(Compositor, OverlayIsDrawnOnAScaledWebcamPicture) {
  Compositor c(1280, 720, AVCOL_SPC_SMPTE170M);
  av::Frame src = make_source(AV_PIX_FMT_YUYV422, 640, 480, 180, AVCOL_RANGE_MPEG);
  const OverlayLayer card = white_card(40, 440, 420, 260);
  av::Frame out = c.compose(src.get(), &card);
  ASSERT_TRUE(out);
  EXPECT_EQ(luma_at(*out, 100, 500), 235);   // on the room beside the picture
  EXPECT_EQ(luma_at(*out, 300, 500), 235);   // on the picture
  EXPECT_NEAR(luma_at(*out, 640, 360), 180, 2);
  EXPECT_EQ(out->data[1][250 * out->linesize[1] + 100], 128);
}

TEST(Compositor, OverlayOnBlackDoesNotStayOnTheNextBlackFrame) {
  Compositor c(1280, 720, AVCOL_SPC_SMPTE170M);
  const OverlayLayer card = white_card(40, 440, 420, 260);
  EXPECT_EQ(luma_at(*c.compose(nullptr, &card), 100, 500), 235);
  EXPECT_EQ(luma_at(*c.compose(nullptr), 100, 500), 16);
}

TEST(Compositor, AnOverlayOfAnotherSizeIsIgnored) {
  Compositor c(1280, 720, AVCOL_SPC_SMPTE170M);
  av::Frame src = make_source(AV_PIX_FMT_YUV420P, 1280, 720, 100, AVCOL_RANGE_MPEG);
  const OverlayLayer small = white_card(0, 0, 64, 64, 640, 360);
  av::Frame out = c.compose(src.get(), &small);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->data[0], src->data[0]);  // still zero-copy
  EXPECT_EQ(luma_at(*out, 10, 10), 100);
}

// A landscape camera picture whose luma grows from left (40) to right (220), as a webcam's
// picture of a room has no black columns.
av::Frame horizontal_ramp(int width, int height) {
  av::Frame f = make_source(AV_PIX_FMT_YUV420P, width, height, 0, AVCOL_RANGE_MPEG);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) f->data[0][y * f->linesize[0] + x] = static_cast<uint8_t>(40 + x * 180 / width);
  return f;
}

TEST(Framing, FillCropsTheMiddleOfALandscapePictureForAPortraitFrame) {
  const CropRect c = fill_crop(1280, 720, 720, 1280, Framing{FramingMode::fill});
  EXPECT_EQ(c.h, 720);
  EXPECT_NEAR(c.w, 405, 1);
  EXPECT_NEAR(c.x, (1280 - c.w) / 2, 1);
  EXPECT_EQ(c.x % 2, 0);
  // Zoomed in twice and pushed right to the end: half the size, against the right edge.
  const CropRect z = fill_crop(1280, 720, 720, 1280, Framing{FramingMode::fill, 2, 1, 0});
  EXPECT_EQ(z.h, 360);
  EXPECT_EQ(z.x + z.w, 1280);
  EXPECT_NEAR(z.y, 180, 1);
  // Out-of-range nudges are brought into range, never outside the picture.
  const CropRect wild = fill_crop(1280, 720, 720, 1280, Framing{FramingMode::fill, 50, -7, 9});
  EXPECT_GE(wild.x, 0);
  EXPECT_LE(wild.y + wild.h, 720);
  EXPECT_NEAR(wild.h, 240, 1);
}

TEST(Compositor, FillPutsALandscapeCameraIntoAPortraitFrameWithoutBorders) {
  Compositor c(720, 1280, AVCOL_SPC_SMPTE170M, Framing{FramingMode::fill});
  av::Frame out = c.compose(horizontal_ramp(1280, 720).get());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->width, 720);
  EXPECT_EQ(out->height, 1280);
  // The middle third of the ramp, stretched over the whole frame: no black column or row.
  for (int y : {0, 640, 1279}) {
    EXPECT_NEAR(luma_at(*out, 0, y), 40 + 437 * 180 / 1280, 3);
    EXPECT_NEAR(luma_at(*out, 719, y), 40 + 842 * 180 / 1280, 3);
  }
}

TEST(Compositor, TheHostsNudgeMovesTheCropLive) {
  Compositor c(720, 1280, AVCOL_SPC_SMPTE170M, Framing{FramingMode::fill});
  const av::Frame ramp = horizontal_ramp(1280, 720);
  const int centred = luma_at(*c.compose(ramp.get()), 360, 640);
  c.set_framing(Framing{FramingMode::fill, 1, 1, 0});  // all the way right
  const int right = luma_at(*c.compose(ramp.get()), 360, 640);
  EXPECT_NEAR(centred, 40 + 640 * 180 / 1280, 3);
  EXPECT_NEAR(right, 40 + (1280 - 405 / 2) * 180 / 1280, 3);
}

TEST(Compositor, FitShowsTheWholePictureOverABlurredDarkerCopyInsteadOfBlackBars) {
  Compositor c(720, 1280, AVCOL_SPC_SMPTE170M, Framing{FramingMode::fit});
  av::Frame out = c.compose(horizontal_ramp(1280, 720).get());
  ASSERT_TRUE(out);
  // The whole ramp across the middle: 720x404 from y = 438.
  EXPECT_NEAR(luma_at(*out, 2, 640), 40, 3);
  EXPECT_NEAR(luma_at(*out, 717, 640), 220, 3);
  // Above and below: the middle of the ramp, darker, and smooth (no hard edges).
  for (int y : {100, 1180}) {
    const int middle = luma_at(*out, 360, y);
    EXPECT_GT(middle, 40) << "black bars";
    EXPECT_LT(middle, 40 + 640 * 180 / 1280) << "not darkened";
    for (int x = 1; x < 720; ++x) ASSERT_LE(std::abs(luma_at(*out, x, y) - luma_at(*out, x - 1, y)), 2) << x;
  }
}

TEST(Compositor, ACameraMountedSidewaysIsTurnedUpright) {
  // The camera's picture: bright on top (200), dark below (50). Mounted turned a quarter
  // anticlockwise, so turning it 90° clockwise puts its top on the right.
  av::Frame src = make_source(AV_PIX_FMT_YUV420P, 1280, 720, 50, AVCOL_RANGE_MPEG);
  for (int y = 0; y < 360; ++y) std::fill_n(src->data[0] + y * src->linesize[0], 1280, uint8_t{200});
  Compositor c(720, 1280, AVCOL_SPC_SMPTE170M, Framing{FramingMode::fill, 1, 0, 0, 90});
  av::Frame out = c.compose(src.get());
  ASSERT_TRUE(out);
  EXPECT_NEAR(luma_at(*out, 600, 640), 200, 2);
  EXPECT_NEAR(luma_at(*out, 100, 640), 50, 2);
  c.set_framing(Framing{FramingMode::fill, 1, 0, 0, 270});
  out = c.compose(src.get());
  EXPECT_NEAR(luma_at(*out, 600, 640), 50, 2);
  EXPECT_NEAR(luma_at(*out, 100, 640), 200, 2);
  Compositor landscape(1280, 720, AVCOL_SPC_SMPTE170M, Framing{FramingMode::fill, 1, 0, 0, 180});
  out = landscape.compose(src.get());
  EXPECT_NEAR(luma_at(*out, 640, 100), 50, 2);
  EXPECT_NEAR(luma_at(*out, 640, 650), 200, 2);
}

TEST(Compositor, AMirroredPictureSwapsLeftAndRightButNotTheOverlay) {
  // The camera's picture: dark on the left (50), bright on the right (200); the card on the left.
  av::Frame src = make_source(AV_PIX_FMT_YUV420P, 1280, 720, 50, AVCOL_RANGE_MPEG);
  for (int y = 0; y < 720; ++y) std::fill_n(src->data[0] + y * src->linesize[0] + 640, 640, uint8_t{200});
  const OverlayLayer card = white_card(40, 440, 420, 260);
  Framing mirrored{FramingMode::fill, 1, 0, 0, 0};
  mirrored.mirror = true;
  Compositor c(1280, 720, AVCOL_SPC_SMPTE170M, mirrored);
  av::Frame out = c.compose(src.get(), &card);
  ASSERT_TRUE(out);
  EXPECT_NE(out->data[0], src->data[0]) << "a mirrored picture cannot be passed through";
  EXPECT_NEAR(luma_at(*out, 100, 100), 200, 2);
  EXPECT_NEAR(luma_at(*out, 1180, 100), 50, 2);
  EXPECT_EQ(luma_at(*out, 100, 500), 235) << "the card moved with the picture";
  EXPECT_NEAR(luma_at(*out, 1180, 500), 50, 2);
  EXPECT_NEAR(luma_at(*src, 100, 100), 50, 2) << "the source was written to";
  // Mirrored after the turn: turned half round and mirrored is upside down, left still left.
  for (int y = 0; y < 360; ++y) std::fill_n(src->data[0] + y * src->linesize[0], 640, uint8_t{120});
  mirrored.rotation = 180;
  c.set_framing(mirrored);
  out = c.compose(src.get());
  EXPECT_NEAR(luma_at(*out, 100, 600), 120, 2);  // the top left, now bottom left
  EXPECT_NEAR(luma_at(*out, 100, 100), 50, 2);
  // And off again: passed through as it was.
  c.set_framing(Framing{FramingMode::fill, 1, 0, 0, 0});
  out = c.compose(src.get());
  EXPECT_NEAR(luma_at(*out, 100, 100), 120, 2);
}

TEST(Compositor, AWebcamsYuyvAndMjpegPicturesTurnedUprightKeepTheirBrightness) {
  // Packed 4:2:2 (YUYV) and full-range 4:2:2 (MJPEG): turned like 4:2:0, and the full range
  // still becomes the stream's limited range (200 of 255 → 16 + 200·219/255 ≈ 188).
  struct Case {
    AVPixelFormat format;
    AVColorRange range;
    int top, bottom;
  };
  for (const Case& k : {Case{AV_PIX_FMT_YUYV422, AVCOL_RANGE_MPEG, 200, 50},
                        Case{AV_PIX_FMT_YUVJ422P, AVCOL_RANGE_JPEG, 188, 59}}) {
    av::Frame src = make_source(k.format, 1280, 720, 50, k.range);
    for (int y = 0; y < 360; ++y) {
      if (k.format == AV_PIX_FMT_YUYV422)
        for (int x = 0; x < 1280; ++x) src->data[0][y * src->linesize[0] + 2 * x] = 200;
      else
        std::fill_n(src->data[0] + y * src->linesize[0], 1280, uint8_t{200});
    }
    Compositor c(720, 1280, AVCOL_SPC_SMPTE170M, Framing{FramingMode::fill, 1, 0, 0, 90});
    av::Frame out = c.compose(src.get());
    ASSERT_TRUE(out) << av_get_pix_fmt_name(k.format);
    EXPECT_EQ(out->format, AV_PIX_FMT_YUV420P);
    EXPECT_NEAR(luma_at(*out, 600, 640), k.top, 2) << av_get_pix_fmt_name(k.format);
    EXPECT_NEAR(luma_at(*out, 100, 640), k.bottom, 2) << av_get_pix_fmt_name(k.format);
    EXPECT_NEAR(out->data[1][320 * out->linesize[1] + 180], 128, 2) << "the colour stays neutral";
  }
}

}  // namespace
}  // namespace cunbo
