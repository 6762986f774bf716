// Portrait 9:16 as a host gets it: practise with a landscape webcam (the test camera and a
// 16:9 clip), then look at the recording the way a phone viewer's player shows it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "tests/support/clip_maker.h"
#include "tests/support/cunbo_cli.h"
#include "tests/support/media_probe.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

class Portrait : public ::testing::Test {
 protected:
  std::filesystem::path practise(const std::string& name, std::vector<std::string> extra, double duration = 2) {
    const auto out = cunbo.work_dir() / (name + ".mkv");
    std::vector<std::string> args{"practice", "--audio", "test", "--duration", std::to_string(duration), "--out",
                                  out.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const RunResult r = cunbo.run(args, {}, 60s);
    EXPECT_TRUE(r.status.success()) << r.describe();
    return out;
  }

  // A 16:9 webcam: the still picture (gradients, hard edges), 1280x720 MJPEG.
  std::filesystem::path landscape_clip() {
    return make_720p_clip(cunbo.work_dir() / "landscape.mkv", true);
  }

  CunboSandbox cunbo{CUNBO_BINARY, "cunbo-portrait"};
};

// Mean of the thumbnail's cells in rows [row0, row1) and columns [col0, col1).
double mean_cells(const DecodedVideoFrame& f, int row0, int row1, int col0, int col1) {
  double sum = 0;
  for (int r = row0; r < row1; ++r)
    for (int c = col0; c < col1; ++c) sum += f.thumbnail[static_cast<size_t>(r * DecodedVideoFrame::kThumbWidth + c)];
  return sum / ((row1 - row0) * (col1 - col0));
}

// How much neighbouring cells differ in rows [row0, row1): detail, which a blur takes away.
double detail(const DecodedVideoFrame& f, int row0, int row1) {
  double sum = 0;
  int n = 0;
  for (int r = row0; r < row1; ++r)
    for (int c = 1; c < DecodedVideoFrame::kThumbWidth; ++c, ++n)
      sum += std::abs(f.thumbnail[static_cast<size_t>(r * DecodedVideoFrame::kThumbWidth + c)] -
                      f.thumbnail[static_cast<size_t>(r * DecodedVideoFrame::kThumbWidth + c - 1)]);
  return sum / n;
}

TEST_F(Portrait, EveryQualityRecordsAnUprightPictureNamedByItsShortSide) {
  for (const auto& [quality, w, h] : {std::tuple{"480p", 480, 854}, std::tuple{"720p", 720, 1280},
                                      std::tuple{"1080p", 1080, 1920}}) {
    SCOPED_TRACE(quality);
    const auto out = practise(std::string("portrait-") + quality,
                              {"--video", "test", "--orientation", "portrait", "--quality", quality}, 1);
    const ProbeResult probe = probe_media(out);
    ASSERT_TRUE(probe.file) << probe.error;
    const StreamInfo* video = probe.file->first(StreamKind::video);
    ASSERT_NE(video, nullptr);
    EXPECT_EQ(video->codec, "h264");
    EXPECT_EQ(video->width, w);
    EXPECT_EQ(video->height, h);
    EXPECT_EQ(probe.file->count(StreamKind::audio), 1);
  }
}

TEST_F(Portrait, ALandscapeCameraFillsThePortraitFrameWithoutBorders) {
  const auto clip = landscape_clip();
  const DecodedVideo video =
      decode_video(practise("fill", {"--video", "file:" + clip.string(), "--orientation", "portrait",
                                     "--framing", "fill", "--light", "off", "--beauty", "0"}));
  ASSERT_FALSE(video.frames.empty()) << video.error;
  const DecodedVideoFrame& last = video.frames.back();
  // No black column at either edge and no black band at the top or bottom.
  constexpr int kW = DecodedVideoFrame::kThumbWidth;
  constexpr int kH = DecodedVideoFrame::kThumbHeight;
  EXPECT_GT(mean_cells(last, 0, kH, 0, 1), 30) << "a black border on the left";
  EXPECT_GT(mean_cells(last, 0, kH, kW - 1, kW), 30) << "a black border on the right";
  EXPECT_GT(mean_cells(last, 0, 2, 0, kW), 30) << "a black band on top";
  EXPECT_GT(mean_cells(last, kH - 2, kH, 0, kW), 30) << "a black band at the bottom";
}

TEST_F(Portrait, FitShowsTheWholePictureOverABlurredDarkerCopyOfItself) {
  const auto clip = landscape_clip();
  const DecodedVideo video =
      decode_video(practise("fit", {"--video", "file:" + clip.string(), "--orientation", "portrait", "--framing",
                                    "fit", "--light", "off", "--beauty", "0"}));
  ASSERT_FALSE(video.frames.empty()) << video.error;
  const DecodedVideoFrame& last = video.frames.back();
  // The 16:9 picture is 720x404 across the middle (thumbnail rows 12-23 of 36); above and
  // below it, its blurred copy: not black, darker, and with far less detail.
  const double above = mean_cells(last, 1, 10, 0, DecodedVideoFrame::kThumbWidth);
  const double below = mean_cells(last, 26, 35, 0, DecodedVideoFrame::kThumbWidth);
  const double picture = mean_cells(last, 13, 23, 0, DecodedVideoFrame::kThumbWidth);
  EXPECT_GT(above, 25) << "black bars";
  EXPECT_GT(below, 25) << "black bars";
  EXPECT_LT(above, picture);
  EXPECT_LT(detail(last, 1, 10), detail(last, 13, 23) / 2) << "the room above the picture is not blurred";
}

}  // namespace
}  // namespace cunbo::test
