// A host practises with a video file instead of a camera: the file plays in real time and
// starts over at its end without a visible jump or freeze, and without a gap in its sound.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/clip_maker.h"
#include "tests/support/clip_marks.h"
#include "tests/support/cunbo_cli.h"
#include "tests/support/media_probe.h"
#include "tests/support/subprocess.h"
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

// Where in `sound`, searching from `from_s` on, the pitch first turns to `to_hz` from the other
// of 440/880 Hz (to a millisecond): 10 ms windows, bisected.
double pitch_turns_at(const DecodedAudio& sound, double from_s, double to_hz) {
  const double other_hz = to_hz == 880 ? 440 : 880;
  auto is_to = [&](double t) {
    const auto w = audio_slice(sound.samples, sound.sample_rate, t, t + 0.01);
    return goertzel_power(w, sound.sample_rate, to_hz) > goertzel_power(w, sound.sample_rate, other_hz);
  };
  double t = from_s;
  while (t < sound.duration_s() && !is_to(t)) t += 0.01;
  double before = t - 0.01;
  while (t - before > 0.0005) {
    const double mid = (before + t) / 2;
    (is_to(mid) ? t : before) = mid;
  }
  return t;
}

// A microphone whose clock runs 0.4 % fast (a cheap USB one) delivers 48 192 samples a
// second that say 48 000: left alone, its sound runs ahead of the picture by 4 ms a second,
// a lip-sync error a viewer sees after a few minutes. Stood in for by a sound file whose
// timestamps run 0.4 % fast (what paces the file source): the 18 s between its two pitch
// changes must last the 17.93 s of real time they took, not the 18 s the samples count.
TEST_F(FileSource, AMicrophoneWhoseClockRunsFastStaysInStepWithThePicture) {
  static_cast<void>(require_program("ffmpeg", "ffmpeg"));
  const auto plain = cunbo.work_dir() / "plain.mka";
  const auto fast = cunbo.work_dir() / "fast-clock.mka";
  constexpr double kRate = 1.004;
  const RunResult made = run(
      SpawnOptions({"ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                    "aevalsrc='0.5*sin(2*PI*if(between(t,3,21),880,440)*t)':s=48000:d=26", "-c:a", "pcm_s16le",
                    plain.string()}),
      30s);
  ASSERT_TRUE(made.status.success()) << made.describe();
  const RunResult scaled =
      run(SpawnOptions({"ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-itsscale", std::to_string(1 / kRate),
                        "-i", plain.string(), "-c", "copy", fast.string()}),
          30s);
  ASSERT_TRUE(scaled.status.success()) << scaled.describe();

  const auto out = cunbo.work_dir() / "drift.mkv";
  const RunResult r = cunbo.run({"practice", "--video", "test", "--audio", "file:" + fast.string(), "--duration", "23",
                                 "--out", out.string()},
                                {}, 60s);
  ASSERT_TRUE(r.status.success()) << r.describe();
  const DecodedAudio sound = decode_audio(out);
  ASSERT_TRUE(sound.error.empty()) << sound.error;
  const double up = pitch_turns_at(sound, 1, 880);
  const double down = pitch_turns_at(sound, up + 1, 440);
  ASSERT_LT(down, sound.duration_s()) << "the second pitch change is not in the recording";
  const double real_s = 18 / kRate;
  EXPECT_NEAR(down - up, real_s, 0.03) << "the sound between the changes lasts " << down - up << " s; it took "
                                       << real_s << " s (uncorrected it would last 18 s)";
  EXPECT_LT(longest_silence_s(audio_slice(sound.samples, sound.sample_rate, 0.1, sound.duration_s() - 0.1),
                              sound.sample_rate),
            0.02)
      << "corrected by dropping sound, not by resampling";
}

}  // namespace
}  // namespace cunbo::test
