// Faults on the host's own computer while live (issue #12): the disk under the recording fills
// up, the microphone is unplugged and plugged back, the camera (a phone as an IP camera) goes
// away and comes back, the video encoder fails once or for good. The stream goes on where it
// can; the host is told in plain words, once per change, and the end says one true thing about
// the recording.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>

#include "client/base/exit_codes.h"
#include "client/base/strings.h"
#include "media/encoder_fault_seam.h"
#include "tests/e2e/stream_harness.h"
#include "tests/support/frame_grab.h"
#include "tests/support/network_camera.h"
#include "tests/support/nginx_rtmp.h"
#include "tests/support/pulse_server.h"
#include "tests/support/small_disk.h"

namespace cunbo::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// "… 00:00:03 …" → 3: the time a message names.
double clock_in(const std::string& text) {
  const auto colon = text.find("00:");
  if (colon == std::string::npos) return -1;
  int h = 0, m = 0, s = 0;
  if (std::sscanf(text.c_str() + colon, "%d:%d:%d", &h, &m, &s) != 3) return -1;
  return h * 3600 + m * 60 + s;
}

// What the host reads, from the one string table (the default language is Chinese).
std::string host_line(std::string_view id) { return tr_in(Language::zh_CN, id); }

// When the event log first says `what` went `state` (session seconds), if it has.
std::optional<double> local_at(const EventLog& log, std::string_view what, std::string_view state) {
  for (const nlohmann::json& e : log.of("local"))
    if (event_text(e, "what") == what && event_text(e, "state") == state) return event_number(e, "t");
  return std::nullopt;
}

std::string summary_of(const std::filesystem::path& recording) {
  std::ifstream summary(recording.string() + ".summary.json");
  return {std::istreambuf_iterator<char>(summary), std::istreambuf_iterator<char>()};
}

// The share of luma samples in `region` brighter than `level`: white text on a dark picture.
double bright_share(const YuvPicture& p, const PixelRect& region, int level) {
  int bright = 0;
  for (int y = region.y; y < region.y + region.h; ++y)
    for (int x = region.x; x < region.x + region.w; ++x)
      if (p.y[static_cast<size_t>(y) * static_cast<size_t>(p.width) + static_cast<size_t>(x)] > level) ++bright;
  return static_cast<double>(bright) / (static_cast<double>(region.w) * region.h);
}

double mean_luma(const YuvPicture& p) {
  double sum = 0;
  for (const uint8_t sample : p.y) sum += sample;
  return p.y.empty() ? 0 : sum / static_cast<double>(p.y.size());
}

// The first picture of the recording at or after `t_s`.
YuvPicture picture_at(const std::filesystem::path& recording, double t_s) {
  std::vector<YuvPicture> pictures =
      decode_pictures(recording, [t_s](double pts) { return pts >= t_s - 0.001 && pts < t_s + 0.05; });
  return pictures.empty() ? YuvPicture{} : pictures.front();
}

TEST_F(Stream, AFullDiskStopsTheRecordingNotTheStream) {
  const SmallDisk disk(cunbo.work_dir() / "small-disk", "1m");  // about 4 s of 720p
  ASSERT_TRUE(disk.mounted()) << disk.error();
  NginxRtmp nginx;
  const auto out = disk.dir() / "live.mkv";
  constexpr double kSeconds = 12;
  const RunResult r = cunbo.run({"stream", "--video", "test", "--audio", "test", "--record", out.string(), "--duration",
                                 "12", "--dest", nginx.url_with_key("k-disk")},
                                env(), 12s + kStreamOverhead);
  // The recording failed: said, and the exit code says so; never also "saved".
  EXPECT_TRUE(r.status.exited && r.status.code == exit_code::kOutputFailed) << r.describe();
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("录像已保存"))) << r.describe();
  EXPECT_THAT(r.err, HasSubstr("推流照常进行")) << "said while live\n" << r.describe();
  const auto end_line = r.err.find(out.string() + " 只保存了前");
  ASSERT_NE(end_line, std::string::npos) << "the end does not say what the recording holds\n" << r.describe();
  const double said_s = clock_in(r.err.substr(end_line));

  // The file plays up to about where the message says.
  Recorded kept;
  ASSERT_TRUE(probe_recording(out, kept));
  EXPECT_GT(kept.video.end_s, 2.0);
  EXPECT_NEAR(kept.video.end_s, said_s, 1.0) << "the message names " << said_s << " s";
  EXPECT_NEAR(kept.audio.end_s, kept.video.end_s, 0.3);
  EXPECT_FALSE(std::filesystem::exists(out.string() + ".summary.json.tmp")) << "an empty file left on the full disk";

  // The viewers got the whole stream.
  ASSERT_TRUE(nginx.wait_until_idle(deadline_after(10s)));
  ASSERT_EQ(nginx.recordings().size(), 1U);
  Recorded served;
  ASSERT_TRUE(probe_recording(nginx.recordings()[0], served));
  EXPECT_NEAR(served.video.duration_s, kSeconds, 0.5) << "the stream stopped with the recording";
  EXPECT_LE(served.audio.largest_gap_s, 0.1);
}

TEST_F(Stream, AnUnpluggedMicrophoneIsSaidReopenedAndCounted) {
  PulseServer pulse;
  EnvChanges environment = env();
  for (const auto& change : pulse.client_env()) environment.insert(change);
  const auto practice = cunbo.start({"practice", "--video", "test", "--audio", "pulse:" + pulse.monitor_source(),
                                     "--duration", "16", "--out", recording().string()},
                                    environment);
  ASSERT_TRUE(wait_for_log(deadline_after(30s), [](const EventLog& l) { return l.last_t() >= 3.0; }, practice.get()))
      << describe(*practice);
  // Unplugged: the device is gone from the sound server.
  ASSERT_TRUE(pulse.pactl({"unload-module", "module-null-sink"}).status.success());
  EXPECT_TRUE(wait_for_log(
      deadline_after(10s), [](const EventLog& l) { return l.text.find("\"state\":\"lost\"") != std::string::npos; },
      practice.get()))
      << describe(*practice);
  const std::string sink = std::string("sink_name=") + PulseServer::kSinkName;
  ASSERT_TRUE(pulse.pactl({"load-module", "module-null-sink", sink, "rate=48000", "channels=2"}).status.success());
  EXPECT_TRUE(wait_for_log(
      deadline_after(10s), [](const EventLog& l) { return l.text.find("\"state\":\"back\"") != std::string::npos; },
      practice.get()))
      << "not reopened once plugged back\n"
      << describe(*practice);
  const RunResult r = practice->finish(deadline_after(16s + kStreamOverhead));
  EXPECT_TRUE(r.status.success()) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("麦克风断开了")) << r.describe();
  EXPECT_THAT(r.err, HasSubstr("麦克风恢复了")) << r.describe();

  const EventLog log = events();
  EXPECT_THAT(log.text, HasSubstr("\"what\":\"mic\"")) << log.text;
  // The recording goes on through it, its sound whole in time (silence while unplugged).
  Recorded kept;
  ASSERT_TRUE(probe_recording(recording(), kept));
  EXPECT_NEAR(kept.video.duration_s, 16, 0.5);
  EXPECT_NEAR(kept.audio.end_s, kept.video.end_s, 0.5) << "the sound stopped with the microphone";
  // The summary counts it.
  std::ifstream summary(recording().string() + ".summary.json");
  const std::string text((std::istreambuf_iterator<char>(summary)), std::istreambuf_iterator<char>());
  EXPECT_THAT(text, HasSubstr("\"mic_losses\": 1")) << text;
}

// A phone used as the camera over the network: its app is closed mid-stream and opened again.
// Viewers see a slate with words (not black, not the last picture frozen) while it is gone,
// the camera's picture again once it is back, and the stream and the recording never stop.
TEST_F(Stream, ALostCameraShowsASlateIsReopenedAndTheStreamGoesOnWhole) {
  NetworkCamera camera;
  NginxRtmp nginx;
  constexpr double kSeconds = 12;
  const auto live = cunbo.start({"stream", "--video", "file:" + camera.url(), "--audio", "test", "--record",
                                 recording().string(), "--duration", "12", "--dest", nginx.url_with_key("k-camera")},
                                env());
  ASSERT_TRUE(wait_for_log(deadline_after(20s), [](const EventLog& l) { return l.last_t() >= 3.0; }, live.get()))
      << describe(*live);
  camera.kill();
  // When the log first says `state` of the camera (nullopt: not within 10 s).
  const auto camera_event_at = [&](std::string_view state) {
    std::optional<double> at;
    (void)wait_for_log(
        deadline_after(10s), [&](const EventLog& l) { return (at = local_at(l, "camera", state)).has_value(); },
        live.get());
    return at;
  };
  const std::optional<double> lost_s = camera_event_at("lost");
  ASSERT_TRUE(lost_s) << "a camera gone is not said\n" << describe(*live);
  // Gone long enough for the slate to replace the last picture (after 1 s) and be seen.
  ASSERT_TRUE(wait_for_log(deadline_after(10s), [&](const EventLog& l) { return l.last_t() >= *lost_s + 2.5; },
                           live.get()))
      << describe(*live);
  camera.start();
  const std::optional<double> back_s = camera_event_at("back");
  ASSERT_TRUE(back_s) << "not reopened once the camera listens again\n" << describe(*live);
  ASSERT_LT(*back_s + 1.5, kSeconds) << "came back too late to see its picture again";
  const RunResult r = live->finish(deadline_after(12s + kStreamOverhead));
  EXPECT_TRUE(r.status.success()) << describe(r);
  EXPECT_THAT(r.err, HasSubstr(host_line("msg.camera_lost"))) << r.describe();
  EXPECT_THAT(r.err, HasSubstr(host_line("msg.camera_back"))) << r.describe();
  EXPECT_THAT(summary_of(recording()), HasSubstr("\"camera_losses\": 1"));

  // The recording goes on through the outage at 30 frames a second, its sound whole.
  Recorded kept;
  ASSERT_TRUE(probe_recording(recording(), kept));
  EXPECT_NEAR(kept.video.duration_s, kSeconds, 0.2);
  EXPECT_LE(kept.video.largest_gap_s, 1.5 / kFps) << "a gap in the picture";
  EXPECT_NEAR(kept.video.packets_per_second, kFps, 0.1);
  EXPECT_NEAR(kept.audio.end_s, kept.video.end_s, 0.2);
  EXPECT_LE(kept.audio.largest_gap_s, 0.05) << "a gap in the sound";
  // So did the stream the viewers got.
  ASSERT_TRUE(nginx.wait_until_idle(deadline_after(10s)));
  ASSERT_EQ(nginx.recordings().size(), 1U) << "the push was interrupted";
  Recorded served;
  ASSERT_TRUE(probe_recording(nginx.recordings()[0], served));
  EXPECT_NEAR(served.video.duration_s, kSeconds, 0.5);
  EXPECT_LE(served.video.largest_gap_s, 0.1);
  EXPECT_LE(served.audio.largest_gap_s, 0.1);

  // Before: the camera's picture (testsrc2, bright all over). While gone: a dark frame, black
  // above the middle, with light words in a band across the middle. After: the camera again.
  const YuvPicture before = picture_at(recording(), 2.0);
  const YuvPicture slate = picture_at(recording(), *lost_s + 1.6);
  const YuvPicture after = picture_at(recording(), *back_s + 1.0);
  ASSERT_EQ(before.width, 1280);
  ASSERT_EQ(slate.width, 1280);
  ASSERT_EQ(after.width, 1280);
  EXPECT_GT(mean_luma(before), 80);
  const PixelRect top{0, 0, 1280, 720 / 4};
  const PixelRect middle{1280 / 5, 720 * 2 / 5, 1280 * 3 / 5, 720 / 5};
  EXPECT_LT(mean_luma(slate), 30) << "the camera's picture still up, or a bright slate";
  EXPECT_EQ(bright_share(slate, top, 40), 0) << "not black around the slate";
  EXPECT_GT(bright_share(slate, middle, 160), 0.002) << "plain black: no words on the slate";
  EXPECT_LT(bright_share(slate, middle, 160), 0.2) << "too much white for words";
  EXPECT_GT(mean_luma(after), 80) << "the camera's picture is not back";
}

// Where the video encoder fails on purpose (media/encoder_fault_seam.h).
EnvChanges with_encoder_faults(EnvChanges env, const std::string& plan) {
  env[EncoderFaultSeam::kVariable] = plan;
  return env;
}

// The encoder fails once, at 3 s: it is reopened, the host told, and the stream and the
// recording carry on from a keyframe at that very frame, playable throughout.
TEST_F(Stream, AnEncoderThatFailsOnceIsRestartedAndTheStreamCarriesOn) {
  NginxRtmp nginx;
  constexpr double kSeconds = 8;
  const RunResult r =
      cunbo.run(stream_args({"--duration", "8", "--dest", nginx.url_with_key("k-encoder")}),
                with_encoder_faults(env(), "fail_at_frame=90"), 8s + kStreamOverhead);
  EXPECT_TRUE(r.status.success()) << describe(r);
  EXPECT_THAT(r.err, HasSubstr(host_line("msg.encoder_restarted"))) << r.describe();
  EXPECT_TRUE(local_at(events(), "encoder", "restarted")) << events().text;
  EXPECT_FALSE(local_at(events(), "encoder", "failed")) << events().text;
  const std::string summary = summary_of(recording());
  EXPECT_THAT(summary, HasSubstr("\"encoder_restarts\": 1")) << summary;
  EXPECT_THAT(summary, HasSubstr("\"encoder_failed\": false")) << summary;

  const DecodedVideo decoded = decode_video(recording());
  ASSERT_TRUE(decoded.error.empty()) << decoded.error;
  EXPECT_EQ(decoded.decode_errors, 0);
  EXPECT_EQ(decoded.frames.size(), static_cast<size_t>(kSeconds * kFps)) << "a frame lost across the restart";
  ASSERT_GT(decoded.frames.size(), 90U);
  const DecodedVideoFrame& restarted = decoded.frames[90];  // the frame that failed, given again
  EXPECT_NEAR(restarted.pts_s - decoded.frames.front().pts_s, 3.0, 0.001);
  EXPECT_TRUE(restarted.keyframe) << "the frame after the restart is no keyframe";
  EXPECT_EQ(restarted.picture_type, 'I');
  EXPECT_FALSE(decoded.frames[89].keyframe);

  ASSERT_TRUE(nginx.wait_until_idle(deadline_after(10s)));
  ASSERT_EQ(nginx.recordings().size(), 1U) << "the push was interrupted";
  Recorded served;
  ASSERT_TRUE(probe_recording(nginx.recordings()[0], served));
  EXPECT_NEAR(served.video.duration_s, kSeconds, 0.5);
  EXPECT_LE(served.video.largest_gap_s, 0.1);
  // The viewers' stream carries on from the restart's keyframe too: the one keyframe out of the
  // 2 s rhythm (the push starts a moment after time 0, so its times are shifted).
  const std::vector<double> keys = keyframe_times(served);
  int off_rhythm = 0;
  for (size_t i = 1; i < keys.size(); ++i)
    if (keys[i] - keys[i - 1] < 1.9) ++off_rhythm;
  EXPECT_EQ(off_rhythm, 1) << join(keys);
}

// The encoder fails again 2 s after its restart: the session ends there, saying why, with
// exit status 1, and the recording is finalised and plays up to the failure.
TEST_F(Stream, AnEncoderThatFailsAgainSoonEndsTheSessionAndKeepsTheRecording) {
  NginxRtmp nginx;
  const RunResult r =
      cunbo.run(stream_args({"--duration", "20", "--dest", nginx.url_with_key("k-encoder")}),
                with_encoder_faults(env(), "fail_at_frame=60,again_at_frame=120"), 20s + kStreamOverhead);
  EXPECT_TRUE(r.status.exited && r.status.code == exit_code::kFailure) << describe(r);
  EXPECT_THAT(r.err, HasSubstr(host_line("msg.encoder_failed"))) << r.describe();
  const EventLog log = events();
  const std::optional<double> failed_s = local_at(log, "encoder", "failed");
  ASSERT_TRUE(failed_s) << log.text;
  EXPECT_NEAR(*failed_s, 4.0, 1.0);
  EXPECT_THAT(summary_of(recording()), HasSubstr("\"encoder_failed\": true"));

  Recorded kept;
  ASSERT_TRUE(probe_recording(recording(), kept));
  EXPECT_GT(kept.file.duration_s, 0) << "the recording was not finalised";
  EXPECT_NEAR(kept.video.end_s, 4.0, 1.0 / kFps + 0.001) << "the picture ends at the failure";
  EXPECT_LE(kept.video.largest_gap_s, 1.5 / kFps);
  const DecodedVideo decoded = decode_video(recording());
  ASSERT_TRUE(decoded.error.empty()) << decoded.error;
  EXPECT_EQ(decoded.decode_errors, 0);
  EXPECT_EQ(decoded.frames.size(), 120U) << "not every picture up to the failure plays";
}

}  // namespace
}  // namespace cunbo::test
