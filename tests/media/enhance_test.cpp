#include "media/enhance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>
#include <vector>

namespace cunbo {
namespace {

constexpr int64_t kFrameUs = 33'333;  // 30 fps

// A 720p yuv420p picture, limited range: luma around `luma` with ±`grain` of noise per sample.
av::Frame make_picture(int luma, int grain, unsigned seed = 7) {
  av::Frame f = av::make_frame();
  f->format = AV_PIX_FMT_YUV420P;
  f->width = 1280;
  f->height = 720;
  f->color_range = AVCOL_RANGE_MPEG;
  f->colorspace = AVCOL_SPC_SMPTE170M;
  EXPECT_GE(av_frame_get_buffer(f.get(), 0), 0);
  std::minstd_rand rng(seed);
  std::uniform_int_distribution<int> noise(-grain, grain);
  for (int y = 0; y < f->height; ++y)
    for (int x = 0; x < f->width; ++x)
      f->data[0][y * f->linesize[0] + x] = static_cast<uint8_t>(std::clamp(luma + (grain ? noise(rng) : 0), 16, 235));
  for (int p = 1; p < 3; ++p)
    for (int y = 0; y < f->height / 2; ++y) std::fill_n(f->data[p] + y * f->linesize[p], f->width / 2, uint8_t{128});
  return f;
}

double full_mean_luma(const AVFrame& f) {
  double sum = 0;
  for (int y = 0; y < f.height; ++y)
    for (int x = 0; x < f.width; ++x) sum += f.data[0][y * f.linesize[0] + x];
  return sum / (static_cast<double>(f.width) * f.height);
}

// Mean absolute difference between horizontal neighbours: the picture's fine detail (grain, pores).
double detail(const AVFrame& f) {
  double sum = 0;
  for (int y = 0; y < f.height; ++y)
    for (int x = 1; x < f.width; ++x)
      sum += std::abs(f.data[0][y * f.linesize[0] + x] - f.data[0][y * f.linesize[0] + x - 1]);
  return sum / (static_cast<double>(f.width - 1) * f.height);
}

bool same_luma(const AVFrame& a, const AVFrame& b) {
  for (int y = 0; y < a.height; ++y)
    if (!std::equal(a.data[0] + y * a.linesize[0], a.data[0] + y * a.linesize[0] + a.width, b.data[0] + y * b.linesize[0]))
      return false;
  return true;
}

TEST(LowLightLift, LiftsADarkRoomWithinTwoSecondsInSmallSteps) {
  LowLightLift light;
  double previous = 0;
  double largest_step = 0;
  for (int i = 0; i <= 60; ++i) {
    const double lift = light.update(40, i * kFrameUs);
    largest_step = std::max(largest_step, lift - previous);
    EXPECT_GE(lift, previous);  // only ever up while the room stays dark
    previous = lift;
  }
  EXPECT_GT(previous, 0.5);  // half way after 2 s (the first one only measures)
  EXPECT_LE(largest_step, LowLightLift::kMaxLiftPerSecond * kFrameUs / 1e6 + 1e-9);
}

TEST(LowLightLift, LeavesABrightPictureAlone) {
  LowLightLift light;
  for (int i = 0; i < 90; ++i) EXPECT_EQ(light.update(120, i * kFrameUs), 0);
}

TEST(LowLightLift, APictureHoveringAroundTheThresholdDoesNotPump) {
  // A room right at the threshold whose brightness flickers (a lamp, auto exposure hunting):
  // mean luma 84 and 96 alternating every half second.
  LowLightLift light;
  double lowest = 1, highest = 0;
  for (int i = 0; i < 30 * 20; ++i) {
    const double mean = (i / 15) % 2 ? 96 : 84;
    const double lift = light.update(mean, i * kFrameUs);
    if (i >= 30 * 10) {
      lowest = std::min(lowest, lift);
      highest = std::max(highest, lift);
    }
  }
  EXPECT_LT(highest - lowest, 0.02);
}

TEST(LowLightLift, AHandPassingInFrontOfTheCameraBarelyMovesIt) {
  LowLightLift light;
  for (int i = 0; i < 30 * 5; ++i) light.update(110, i * kFrameUs);
  double highest = 0;
  for (int i = 30 * 5; i < 30 * 8; ++i) {
    const bool hand = i < 30 * 5 + 9;  // 0.3 s of near-black
    highest = std::max(highest, light.update(hand ? 25 : 110, i * kFrameUs));
  }
  EXPECT_LT(highest, 0.1);
}

TEST(Enhance, LightOffAndBeautyZeroPassThePictureUntouched) {
  Enhance enhance({LightMode::off, 0});
  av::Frame picture = make_picture(40, 10);
  const uint8_t* data = picture->data[0];
  av::Frame out = enhance.apply(std::move(picture), 0);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->data[0], data);  // the very same buffer: nothing filtered, nothing copied
  EXPECT_EQ(enhance.graphs_built(), 0);
}

TEST(Enhance, ADarkPictureGetsClearlyBrighterWithinTwoSecondsAndSmoothly) {
  Enhance enhance({LightMode::automatic, 0});
  const av::Frame dark = make_picture(40, 6);
  const double before = full_mean_luma(*dark);
  double previous = before;
  double largest_jump = 0;
  av::Frame out;
  for (int i = 0; i <= 60; ++i) {
    out = enhance.apply(av::ref_frame(dark.get()), i * kFrameUs);
    ASSERT_TRUE(out);
    const double mean = full_mean_luma(*out);
    largest_jump = std::max(largest_jump, std::abs(mean - previous));
    previous = mean;
  }
  EXPECT_GE(previous - before, 20);
  EXPECT_LT(largest_jump, 3);  // no visible step from one frame to the next
  EXPECT_EQ(out->width, 1280);
  EXPECT_EQ(out->format, AV_PIX_FMT_YUV420P);
  EXPECT_EQ(out->colorspace, AVCOL_SPC_SMPTE170M);
  EXPECT_EQ(enhance.graphs_built(), 1);  // the lift changes on the running graph
}

TEST(Enhance, ABrightPictureWithLightAutoIsNotChanged) {
  Enhance enhance({LightMode::automatic, 0});
  const av::Frame bright = make_picture(140, 6);
  av::Frame out;
  for (int i = 0; i < 30; ++i) out = enhance.apply(av::ref_frame(bright.get()), i * kFrameUs);
  EXPECT_TRUE(same_luma(*out, *bright));
}

TEST(Enhance, BeautySmoothsGrainAndZeroKeepsEveryDetail) {
  const av::Frame grainy = make_picture(128, 12);
  const double grain = detail(*grainy);

  Enhance none({LightMode::off, 0});
  EXPECT_DOUBLE_EQ(detail(*none.apply(av::ref_frame(grainy.get()), 0)), grain);

  Enhance beauty({LightMode::off, 8});
  const av::Frame smoothed = beauty.apply(av::ref_frame(grainy.get()), 0);
  ASSERT_TRUE(smoothed);
  EXPECT_LT(detail(*smoothed), 0.6 * grain);
  EXPECT_NEAR(full_mean_luma(*smoothed), full_mean_luma(*grainy), 1.5);  // smoother, not darker
}

TEST(Enhance, BeautySmoothsUpToThePicturesBorder) {
  // The rows and columns at the border have neighbours on one side only: smoothed all the same,
  // and neither darker nor brighter than the rest.
  const av::Frame grainy = make_picture(128, 12);
  Enhance beauty({LightMode::off, 8});
  const av::Frame out = beauty.apply(av::ref_frame(grainy.get()), 0);
  ASSERT_TRUE(out);
  const auto row_detail = [](const AVFrame& f, int y) {
    double sum = 0;
    for (int x = 1; x < f.width; ++x) sum += std::abs(f.data[0][y * f.linesize[0] + x] - f.data[0][y * f.linesize[0] + x - 1]);
    return sum / (f.width - 1);
  };
  const auto column_detail = [](const AVFrame& f, int x) {
    double sum = 0;
    for (int y = 1; y < f.height; ++y) sum += std::abs(f.data[0][y * f.linesize[0] + x] - f.data[0][(y - 1) * f.linesize[0] + x]);
    return sum / (f.height - 1);
  };
  for (int y : {0, 1, out->height - 1}) {
    EXPECT_LT(row_detail(*out, y), 0.6 * row_detail(*grainy, y)) << "row " << y;
    double sum = 0;
    for (int x = 0; x < out->width; ++x) sum += out->data[0][y * out->linesize[0] + x];
    EXPECT_NEAR(sum / out->width, 128, 2) << "row " << y;
  }
  for (int x : {0, out->width - 1}) EXPECT_LT(column_detail(*out, x), 0.6 * column_detail(*grainy, x)) << "column " << x;
}

TEST(Enhance, AnEdgeSurvivesTheSmoothing) {
  // Left half dark, right half bright (an eye, a collar): smoothed skin, but a crisp edge.
  av::Frame edge = make_picture(60, 3);
  for (int y = 0; y < edge->height; ++y) std::fill_n(edge->data[0] + y * edge->linesize[0] + 640, 640, uint8_t{180});
  Enhance beauty({LightMode::off, 8});
  const av::Frame out = beauty.apply(av::ref_frame(edge.get()), 0);
  ASSERT_TRUE(out);
  const uint8_t* row = out->data[0] + 360 * out->linesize[0];
  EXPECT_LT(row[637], 75);
  EXPECT_GT(row[642], 165);
}

TEST(Enhance, ASettingChangedMidStreamShowsAtTheNextPicture) {
  Enhance enhance({LightMode::off, 0});
  const av::Frame grainy = make_picture(50, 12);
  int64_t t = 0;
  for (int i = 0; i < 5; ++i, t += kFrameUs) EXPECT_TRUE(same_luma(*enhance.apply(av::ref_frame(grainy.get()), t), *grainy));

  enhance.set_settings({LightMode::off, 8});
  av::Frame out = enhance.apply(av::ref_frame(grainy.get()), t += kFrameUs);
  EXPECT_LT(detail(*out), 0.6 * detail(*grainy));
  int built = enhance.graphs_built();
  const double smoothed = full_mean_luma(*out);

  enhance.set_settings({LightMode::automatic, 8});
  double first_lifted = 0;
  for (int i = 0; i < 60; ++i, t += kFrameUs) {
    out = enhance.apply(av::ref_frame(grainy.get()), t);
    if (i == 0) built = enhance.graphs_built();  // the light's graph, once
    if (i == 32) first_lifted = full_mean_luma(*out);
  }
  EXPECT_GT(first_lifted, smoothed + 0.5);  // as soon as the first second's mean is measured
  EXPECT_GT(full_mean_luma(*out), full_mean_luma(*grainy) + 15);
  EXPECT_EQ(enhance.graphs_built(), built);  // the light changed without a rebuild

  enhance.set_settings({LightMode::off, 0});
  out = enhance.apply(av::ref_frame(grainy.get()), t);
  EXPECT_TRUE(same_luma(*out, *grainy));
}

double plane_mean(const AVFrame& f, int plane) {
  const int w = plane ? f.width / 2 : f.width, h = plane ? f.height / 2 : f.height;
  double sum = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) sum += f.data[plane][y * f.linesize[plane] + x];
  return sum / (static_cast<double>(w) * h);
}

// Mean distance of the chroma from grey: how colourful the picture is.
double colourfulness(const AVFrame& f) {
  double sum = 0;
  for (int p = 1; p < 3; ++p)
    for (int y = 0; y < f.height / 2; ++y)
      for (int x = 0; x < f.width / 2; ++x) sum += std::abs(f.data[p][y * f.linesize[p] + x] - 128);
  return sum / (static_cast<double>(f.width / 2) * (f.height / 2) * 2);
}

// A mid-grey picture with colour in it: Cb and Cr ramps around grey.
av::Frame make_colourful_picture() {
  av::Frame f = make_picture(110, 4);
  for (int p = 1; p < 3; ++p)
    for (int y = 0; y < f->height / 2; ++y)
      for (int x = 0; x < f->width / 2; ++x)
        f->data[p][y * f->linesize[p] + x] = static_cast<uint8_t>(128 + ((p == 1 ? x : y) % 61) - 30);
  return f;
}

TEST(Enhance, TheHostsToneIsSeenAndChangesWithoutARebuild) {
  const av::Frame picture = make_colourful_picture();
  Enhance enhance({.light = LightMode::off, .beauty = 0, .saturation = 10});
  int64_t t = 0;
  av::Frame out = enhance.apply(av::ref_frame(picture.get()), t);
  EXPECT_GT(colourfulness(*out), 1.4 * colourfulness(*picture));  // vivid produce
  EXPECT_NEAR(full_mean_luma(*out), full_mean_luma(*picture), 1);
  EXPECT_EQ(enhance.graphs_built(), 1);

  enhance.set_settings({.light = LightMode::off, .beauty = 0, .brightness = 10, .contrast = 5, .saturation = -10});
  out = enhance.apply(av::ref_frame(picture.get()), t += kFrameUs);
  EXPECT_GT(full_mean_luma(*out), full_mean_luma(*picture) + 20);
  EXPECT_LT(colourfulness(*out), 0.4 * colourfulness(*picture));  // nearly grey
  EXPECT_EQ(enhance.graphs_built(), 1);  // eq's commands, on the running graph

  enhance.set_settings({.light = LightMode::off, .beauty = 0});
  out = enhance.apply(av::ref_frame(picture.get()), t += kFrameUs);
  EXPECT_TRUE(same_luma(*out, *picture));  // back to neutral: untouched
}

TEST(Enhance, WarmthMovesTheWhiteBalanceAndNeedsNoGraph) {
  const av::Frame grey = make_picture(120, 0);
  Enhance warm({.light = LightMode::off, .beauty = 0, .warmth = 10});
  const av::Frame out = warm.apply(av::ref_frame(grey.get()), 0);
  ASSERT_TRUE(out);
  EXPECT_EQ(warm.graphs_built(), 0);
  EXPECT_LT(plane_mean(*out, 1), 128 - 8);  // less blue
  EXPECT_GT(plane_mean(*out, 2), 128 + 6);  // more red
  EXPECT_EQ(plane_mean(*grey, 1), 128);     // the picture it was given is not written to
  EXPECT_TRUE(same_luma(*out, *grey));

  Enhance cool({.light = LightMode::off, .beauty = 0, .warmth = -10});
  const av::Frame cooled = cool.apply(av::ref_frame(grey.get()), 0);
  EXPECT_GT(plane_mean(*cooled, 1), 128 + 8);
  EXPECT_LT(plane_mean(*cooled, 2), 128 - 6);
}

TEST(Enhance, ToneValuesAreReadAsTheHostWritesThem) {
  EXPECT_EQ(parse_tone("0"), 0);
  EXPECT_EQ(parse_tone("-10"), -10);
  EXPECT_EQ(parse_tone("+7"), 7);
  EXPECT_EQ(parse_tone("11"), std::nullopt);
  EXPECT_EQ(parse_tone("-"), std::nullopt);
  EXPECT_EQ(parse_tone("warm"), std::nullopt);
  EXPECT_EQ(parse_tone(""), std::nullopt);
}

}  // namespace
}  // namespace cunbo
