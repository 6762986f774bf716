// The fixtures the whole-program tests stand on, checked on their own: when one of these
// fails, a Practice.* failure says nothing about cunbo.
#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <cstring>
#include <numbers>
#include <vector>

#include "tests/support/clip_maker.h"
#include "tests/support/clip_marks.h"
#include "tests/support/media_probe.h"
#include "tests/support/pulse_server.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tone.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

TEST(Fixtures, SubprocessCapturesOutputAndExitStatus) {
  const RunResult r = run(SpawnOptions({"sh", "-c", "echo out; echo err >&2; exit 3"}), 10s);
  ASSERT_FALSE(r.timed_out) << r.describe();
  EXPECT_TRUE(r.status.exited);
  EXPECT_EQ(r.status.code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
}

TEST(Fixtures, SubprocessPassesEnvironmentChanges) {
  ::setenv("CUNBO_FIXTURE_REMOVED", "still here", 1);
  const RunResult r = run(SpawnOptions({"sh", "-c", "echo \"$CUNBO_FIXTURE_SET|${CUNBO_FIXTURE_REMOVED-unset}\""},
                                       {{"CUNBO_FIXTURE_SET", "yes"}, {"CUNBO_FIXTURE_REMOVED", std::nullopt}}),
                          10s);
  ::unsetenv("CUNBO_FIXTURE_REMOVED");
  EXPECT_EQ(r.out, "yes|unset\n") << r.describe();
}

TEST(Fixtures, SubprocessKillsAChildThatOverrunsItsDeadline) {
  // cat with an open stdin waits forever.
  SpawnOptions cat({"cat"});
  cat.pipe_stdin = true;
  auto child = Subprocess::spawn(cat);
  const RunResult r = child->finish(deadline_after(200ms));
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.status.signal, SIGKILL) << r.describe();
}

TEST(Fixtures, SubprocessReportsTheSignalThatEndedItAndFeedsStdin) {
  SpawnOptions cat({"cat"});
  cat.pipe_stdin = true;
  auto child = Subprocess::spawn(cat);
  ASSERT_TRUE(child->write_stdin("hello\n", 6));
  ASSERT_TRUE(child->wait_for_output(deadline_after(10s), [](std::string_view out, std::string_view) {
    return out == "hello\n";
  })) << child->out();
  EXPECT_TRUE(child->send_signal(SIGTERM));
  const std::optional<ExitStatus> status = child->wait_for_exit(deadline_after(10s));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->signal, SIGTERM) << status->describe();
  EXPECT_FALSE(child->send_signal(SIGTERM)) << "a reaped child cannot be signalled";
}

TEST(Fixtures, ToneAnalysisFindsPitchLevelAndGaps) {
  constexpr int kRate = 48000;
  std::vector<float> samples(kRate);
  for (int i = 0; i < kRate; ++i)
    samples[i] = static_cast<float>(0.5 * std::sin(2 * std::numbers::pi * 1000.0 * i / kRate));
  EXPECT_NEAR(dominant_frequency(samples, kRate), 1000, 1);
  EXPECT_NEAR(rms_dbfs(samples), sine_rms_dbfs(0.5), 0.05);
  EXPECT_LT(longest_silence_s(samples, kRate), 0.001);
  std::fill(samples.begin() + kRate / 2, samples.begin() + kRate / 2 + kRate / 10, 0.0f);  // a 100 ms dropout
  EXPECT_NEAR(longest_silence_s(samples, kRate), 0.1, 0.011);
}

TEST(Fixtures, LoopAnalysisSeesWrapsFreezesAndSkips) {
  const LoopAnalysis seamless = analyse_loop({27, 28, 29, 0, 1, 2}, 30);
  EXPECT_EQ(seamless.wraps, 1);
  EXPECT_EQ(seamless.longest_freeze, 0);
  EXPECT_EQ(seamless.largest_skip, 0);
  const LoopAnalysis stalled = analyse_loop({28, 29, 29, 29, 29, 5, 6}, 30);
  EXPECT_EQ(stalled.wraps, 1);
  EXPECT_EQ(stalled.longest_freeze, 3);
  EXPECT_EQ(stalled.largest_skip, 5);
}

class ClipMaker : public ::testing::TestWithParam<std::pair<ClipSpec::VideoCodec, const char*>> {};

TEST_P(ClipMaker, WritesAClipWhoseFramesTellTheirPosition) {
  TempDir dir("cunbo-clip");
  const auto [codec, extension] = GetParam();
  const std::filesystem::path clip = dir / (std::string("clip.") + extension);
  ClipSpec spec;
  spec.video = codec;
  spec.frame_count = 30;
  spec.with_audio = true;
  spec.tone_hz = 440;
  make_clip(clip, spec);

  const ProbeResult probe = probe_media(clip);
  ASSERT_TRUE(probe.file) << probe.error;
  const StreamInfo* video = probe.file->first(StreamKind::video);
  ASSERT_NE(video, nullptr);
  EXPECT_EQ(video->codec, codec == ClipSpec::VideoCodec::mjpeg ? "mjpeg" : "rawvideo");
  EXPECT_EQ(video->width, 640);
  EXPECT_EQ(video->height, 480);
  EXPECT_NEAR(video->frame_rate, 30, 0.01);
  const StreamTiming timing = stream_timing(*probe.file, video->index);
  EXPECT_EQ(timing.packets, 30);
  EXPECT_NEAR(timing.duration_s, 1.0, 0.01);

  const DecodedVideo frames = decode_video(clip);
  ASSERT_TRUE(frames.error.empty()) << frames.error;
  ASSERT_EQ(frames.frames.size(), 30u);
  std::vector<double> lumas;
  for (const DecodedVideoFrame& f : frames.frames) lumas.push_back(f.center_luma());
  EXPECT_NEAR(lumas.front(), kFirstLuma, 2);
  EXPECT_NEAR(lumas.back(), kLastLuma, 2);
  const LoopAnalysis a = analyse_loop(clip_frame_indices(lumas, 30), 30);
  EXPECT_EQ(a.wraps, 0) << a.describe();
  EXPECT_EQ(a.longest_freeze, 0) << a.describe();
  EXPECT_EQ(a.largest_skip, 0) << a.describe();

  const DecodedAudio audio = decode_audio(clip);
  ASSERT_TRUE(audio.error.empty()) << audio.error;
  EXPECT_EQ(audio.sample_rate, 48000);
  EXPECT_NEAR(audio.duration_s(), 1.0, 0.001);
  EXPECT_NEAR(dominant_frequency(audio.samples, audio.sample_rate), 440, 1);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, ClipMaker,
    ::testing::Values(std::pair{ClipSpec::VideoCodec::mjpeg, "mkv"}, std::pair{ClipSpec::VideoCodec::mjpeg, "avi"},
                      std::pair{ClipSpec::VideoCodec::yuyv422, "nut"}, std::pair{ClipSpec::VideoCodec::yuyv422, "mkv"}),
    [](const auto& param_info) {
      return std::string(param_info.param.first == ClipSpec::VideoCodec::mjpeg ? "Mjpeg" : "Yuyv") + "In" +
             param_info.param.second;
    });

TEST(Fixtures, PulseServerCarriesAToneToItsMonitor) {
  PulseServer pulse;
  pulse.play_tone(1000, 0.25);

  // Record one second of the monitor with PulseAudio's own client.
  const SpawnOptions record({"pacat", "--record", "--raw", "--device=" + pulse.monitor_source(), "--format=float32le",
                             "--rate=48000", "--channels=1", "--latency-msec=20"},
                            pulse.client_env());
  auto recorder = Subprocess::spawn(record);
  constexpr std::size_t kBytes = 48000 * sizeof(float);
  ASSERT_TRUE(recorder->wait_for_output(deadline_after(10s),
                                        [](std::string_view out, std::string_view) { return out.size() >= kBytes; }))
      << "pacat recorded " << recorder->out().size() << " bytes; stderr: " << recorder->err();
  recorder->send_signal(SIGTERM);
  const RunResult ended = recorder->finish(deadline_after(10s));
  ASSERT_GE(ended.out.size(), kBytes);

  std::vector<float> samples(kBytes / sizeof(float));
  std::memcpy(samples.data(), ended.out.data(), kBytes);
  const auto steady = audio_slice(samples, 48000, 0.2, 1.0);
  EXPECT_NEAR(dominant_frequency(steady, 48000), 1000, 2);
  EXPECT_NEAR(rms_dbfs(steady), sine_rms_dbfs(0.25), 1.0);
}

}  // namespace
}  // namespace cunbo::test
