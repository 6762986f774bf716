// A host practises with a video file instead of a camera: the file plays in real time and
// starts over at its end without a visible jump or freeze, and without a gap in its sound.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/clip_maker.h"
#include "tests/support/clip_marks.h"
#include "tests/support/cunbo_cli.h"
#include "tests/support/media_probe.h"
#include "tests/support/tone.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

constexpr int kClipFrames = 30;  // one second at 30 fps

class FileSource : public ::testing::Test {
 protected:
  // Records `seconds` of `--video file:<clip>` and checks the clip's frames cycle through
  // the recording: every loop starts over at the clip's first frame, nothing freezes.
  void expect_loops_seamlessly(const std::filesystem::path& clip, const ClipSpec& spec) {
    make_clip(clip, spec);
    const auto out = cunbo.work_dir() / "looped.mkv";
    const RunResult r = cunbo.run(
        {"practice", "--video", "file:" + clip.string(), "--audio", "test", "--duration", "3", "--out", out.string()},
        {}, 40s);
    ASSERT_TRUE(r.status.success()) << r.describe();

    const ProbeResult probe = probe_media(out);
    ASSERT_TRUE(probe.file) << probe.error;
    const StreamInfo* video = probe.file->first(StreamKind::video);
    ASSERT_NE(video, nullptr);
    const StreamTiming vt = stream_timing(*probe.file, video->index);
    EXPECT_NEAR(vt.packets, 90, 2);
    EXPECT_NEAR(vt.duration_s, 3.0, 0.1);

    const DecodedVideo frames = decode_video(out);
    ASSERT_TRUE(frames.error.empty()) << frames.error;
    std::vector<double> lumas;
    for (const DecodedVideoFrame& f : frames.frames) lumas.push_back(f.center_luma());
    const auto [lo, hi] = std::minmax_element(lumas.begin(), lumas.end());
    ASSERT_GT(*hi - *lo, 120) << "the recording does not show the clip's ramp from dark to light";

    const LoopAnalysis loop = analyse_loop(clip_frame_indices(lumas, kClipFrames), kClipFrames);
    SCOPED_TRACE(loop.describe());
    EXPECT_GE(loop.wraps, 2) << "a 1 s clip plays about three times in 3 s";
    EXPECT_LE(loop.wraps, 3);
    for (const auto& [before, after] : loop.wrap_points) {
      EXPECT_GE(before, kClipFrames - 3) << "the clip started over before its end";
      EXPECT_LE(after, 2) << "after the end, the clip goes on from its start";
    }
    EXPECT_LE(loop.longest_freeze, 2) << "the picture freezes";
    EXPECT_LE(loop.largest_skip, 2) << "the picture jumps";
    // A 30 fps clip in a 30 fps recording shows every frame once; an occasional repeat is
    // timing jitter, a steady repeat-and-skip cadence is judder a viewer sees.
    EXPECT_LE(loop.repeats, 9) << "more than 10% of the frames repeat the one before: the clip judders";
  }

  CunboSandbox cunbo{CUNBO_BINARY, "cunbo-file-source"};
};

TEST_F(FileSource, MjpegClipLoopsSeamlessly) {
  ClipSpec spec;
  spec.video = ClipSpec::VideoCodec::mjpeg;
  spec.frame_count = kClipFrames;
  expect_loops_seamlessly(cunbo.work_dir() / "clip-mjpeg.mkv", spec);
}

TEST_F(FileSource, YuyvClipLoopsSeamlessly) {
  ClipSpec spec;
  spec.video = ClipSpec::VideoCodec::yuyv422;
  spec.frame_count = kClipFrames;
  expect_loops_seamlessly(cunbo.work_dir() / "clip-yuyv.nut", spec);
}

TEST_F(FileSource, ClipSoundLoopsWithoutGaps) {
  const auto clip = cunbo.work_dir() / "clip-with-sound.avi";
  ClipSpec spec;
  spec.frame_count = kClipFrames;
  spec.with_audio = true;
  spec.tone_hz = 440;
  spec.tone_amplitude = 0.5;
  make_clip(clip, spec);

  const auto out = cunbo.work_dir() / "looped-sound.mkv";
  const std::string source = "file:" + clip.string();
  const RunResult r =
      cunbo.run({"practice", "--video", source, "--audio", source, "--duration", "3", "--out", out.string()}, {}, 40s);
  ASSERT_TRUE(r.status.success()) << r.describe();

  const ProbeResult probe = probe_media(out);
  ASSERT_TRUE(probe.file) << probe.error;
  ASSERT_NE(probe.file->first(StreamKind::video), nullptr);
  ASSERT_NE(probe.file->first(StreamKind::audio), nullptr);
  const StreamTiming vt = stream_timing(*probe.file, probe.file->first(StreamKind::video)->index);
  const StreamTiming at = stream_timing(*probe.file, probe.file->first(StreamKind::audio)->index);
  EXPECT_NEAR(at.duration_s, vt.duration_s, 0.1);
  EXPECT_NEAR(at.first_pts_s, vt.first_pts_s, 0.05);

  const DecodedAudio sound = decode_audio(out);
  ASSERT_TRUE(sound.error.empty()) << sound.error;
  const auto middle = audio_slice(sound.samples, sound.sample_rate, 0.1, sound.duration_s() - 0.1);
  EXPECT_NEAR(dominant_frequency(middle, sound.sample_rate), 440, 10);
  EXPECT_NEAR(rms_dbfs(middle), sine_rms_dbfs(0.5), 3);
  EXPECT_LT(longest_silence_s(middle, sound.sample_rate), 0.02) << "the sound drops out (at the loop point?)";
}

}  // namespace
}  // namespace cunbo::test
