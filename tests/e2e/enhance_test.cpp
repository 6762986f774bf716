// Light and beauty (补光 / 美颜) as a host in a dark room gets them: practise with a dim camera
// picture, then look at the recording the way a viewer's player shows it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "tests/support/clip_maker.h"
#include "tests/support/cunbo_cli.h"
#include "tests/support/media_probe.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

class Enhance : public ::testing::Test {
 protected:
  // A 720p camera in a dark room: the still picture (gradients and hard edges) at 35 % of its
  // brightness, mean luma ~47 of 255.
  std::filesystem::path dark_clip() {
    const auto clip = cunbo.work_dir() / "dark.mkv";
    ClipSpec spec;
    spec.width = 1280;
    spec.height = 720;
    spec.still_picture = true;
    spec.still_luma_percent = 35;
    make_clip(clip, spec);
    return clip;
  }

  DecodedVideo practise(const std::filesystem::path& clip, const std::string& light, const std::string& beauty) {
    const auto out = cunbo.work_dir() / ("light-" + light + "-beauty-" + beauty + ".mkv");
    const RunResult r = cunbo.run({"practice", "--video", "file:" + clip.string(), "--audio", "test", "--light", light,
                                   "--beauty", beauty, "--duration", "4", "--out", out.string()},
                                  {}, 40s);
    EXPECT_TRUE(r.status.success()) << r.describe();
    DecodedVideo video = decode_video(out);
    EXPECT_TRUE(video.error.empty()) << video.error;
    EXPECT_EQ(video.decode_errors, 0);
    EXPECT_NEAR(static_cast<double>(video.frames.size()), 120, 2);
    return video;
  }

  CunboSandbox cunbo{CUNBO_BINARY, "cunbo-enhance"};
};

double mean_of(const DecodedVideo& video, size_t from, size_t to) {
  double sum = 0;
  for (size_t i = from; i < to; ++i) sum += video.frames[i].mean_luma;
  return sum / static_cast<double>(to - from);
}

TEST_F(Enhance, ADarkRoomIsRecordedClearlyBrighterWithoutAVisibleStep) {
  const auto clip = dark_clip();
  const DecodedVideo plain = practise(clip, "off", "0");
  const DecodedVideo lifted = practise(clip, "auto", "5");
  ASSERT_GE(plain.frames.size(), 110u);
  ASSERT_GE(lifted.frames.size(), 110u);

  const double before = mean_of(plain, 0, plain.frames.size());
  EXPECT_LT(before, 70) << "the clip is not dark";
  // The first second is measured, not lifted; by the last second the room is well lit.
  EXPECT_NEAR(mean_of(lifted, 0, 20), before, 3);
  EXPECT_GE(mean_of(lifted, lifted.frames.size() - 30, lifted.frames.size()), before + 20);
  double largest_step = 0;
  for (size_t i = 1; i < lifted.frames.size(); ++i)
    largest_step = std::max(largest_step, std::abs(lifted.frames[i].mean_luma - lifted.frames[i - 1].mean_luma));
  EXPECT_LT(largest_step, 3) << "the lift jumps from one frame to the next";
}

TEST_F(Enhance, LightOffAndBeautyZeroRecordThePictureAsTheCameraGaveIt) {
  const auto clip = dark_clip();
  const DecodedVideo input = decode_video(clip);
  ASSERT_FALSE(input.frames.empty()) << input.error;
  const DecodedVideo plain = practise(clip, "off", "0");
  ASSERT_GE(plain.frames.size(), 60u) << "a first and a last second to compare";
  // The camera's full range (MJPEG) becomes the stream's limited range; nothing else changes.
  const double expected = 16 + input.frames.front().mean_luma * 219 / 255;
  EXPECT_NEAR(mean_of(plain, 0, plain.frames.size()), expected, 1.5);
  // Nothing eases in over time: the last second is as bright as the first, and the picture is the
  // same picture (a still camera; what differs is the encoder's noise, which on a loaded computer
  // or under AddressSanitizer reaches ~1.7 of 255 in the mean and per thumbnail pixel, where the
  // lift moves the mean by 20 or more).
  EXPECT_NEAR(mean_of(plain, plain.frames.size() - 30, plain.frames.size()), mean_of(plain, 0, 30), 3);
  EXPECT_LT(thumbnail_difference(plain.frames.back(), plain.frames.front()), 4);
}

}  // namespace
}  // namespace cunbo::test
