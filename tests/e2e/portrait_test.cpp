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

// --mirror on: what viewers get is the camera's picture mirrored left-right (the command line
// has no preview to mirror), in either orientation.
TEST_F(Portrait, MirrorOnSendsTheCamerasPictureMirrored) {
  const auto clip = landscape_clip();
  for (const char* orientation : {"landscape", "portrait"}) {
    SCOPED_TRACE(orientation);
    const std::vector<std::string> look{"--video", "file:" + clip.string(), "--orientation", orientation,
                                        "--light", "off", "--beauty", "0"};
    std::vector<std::string> mirrored_args = look;
    mirrored_args.insert(mirrored_args.end(), {"--mirror", "on"});
    const DecodedVideo plain = decode_video(practise(std::string("plain-") + orientation, look, 1));
    const DecodedVideo mirrored = decode_video(practise(std::string("mirrored-") + orientation, mirrored_args, 1));
    ASSERT_FALSE(plain.frames.empty()) << plain.error;
    ASSERT_FALSE(mirrored.frames.empty()) << mirrored.error;
    const DecodedVideoFrame& a = plain.frames.back();
    const DecodedVideoFrame& b = mirrored.frames.back();
    constexpr int kW = DecodedVideoFrame::kThumbWidth;
    double across = 0, same = 0;
    for (int r = 0; r < DecodedVideoFrame::kThumbHeight; ++r)
      for (int c = 0; c < kW; ++c) {
        const auto at = [&](const DecodedVideoFrame& f, int col) { return f.thumbnail[static_cast<size_t>(r * kW + col)]; };
        across += std::abs(at(b, c) - at(a, kW - 1 - c));
        same += std::abs(at(b, c) - at(a, c));
      }
    const double cells = DecodedVideoFrame::kThumbHeight * kW;
    EXPECT_LT(across / cells, 4) << "the picture is not the mirror of the unmirrored one";
    EXPECT_GT(same / cells, 3 * (across / cells) + 4) << "the picture was not mirrored";
  }
}

// --camera-rotation 180: a camera mounted upside down is turned upright once, light and beauty
// on (they work on the framed picture, which is never framed a second time).
TEST_F(Portrait, ACameraMountedUpsideDownIsTurnedUprightOnce) {
  const auto clip = landscape_clip();
  const std::vector<std::string> look{"--video", "file:" + clip.string(), "--orientation", "landscape"};
  std::vector<std::string> turned_args = look;
  turned_args.insert(turned_args.end(), {"--camera-rotation", "180"});
  const DecodedVideo plain = decode_video(practise("upright", look, 1));
  const DecodedVideo turned = decode_video(practise("turned", turned_args, 1));
  ASSERT_FALSE(plain.frames.empty()) << plain.error;
  ASSERT_FALSE(turned.frames.empty()) << turned.error;
  constexpr int kW = DecodedVideoFrame::kThumbWidth;
  constexpr int kH = DecodedVideoFrame::kThumbHeight;
  const auto at = [&](const DecodedVideoFrame& f, int r, int c) { return f.thumbnail[static_cast<size_t>(r * kW + c)]; };
  double half_turn = 0, same = 0;
  // Away from the edges, where the blurred borders of a 180° turn are not the picture's.
  for (int r = 2; r < kH - 2; ++r)
    for (int c = 2; c < kW - 2; ++c) {
      half_turn += std::abs(at(turned.frames.back(), r, c) - at(plain.frames.back(), kH - 1 - r, kW - 1 - c));
      same += std::abs(at(turned.frames.back(), r, c) - at(plain.frames.back(), r, c));
    }
  const double cells = (kH - 4) * (kW - 4);
  EXPECT_LT(half_turn / cells, 4) << "the picture is not the upright one turned half round";
  EXPECT_GT(same / cells, 3 * (half_turn / cells) + 4) << "the picture was not turned";
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
