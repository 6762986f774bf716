// `cunbo stream` pushing to real RTMP servers (nginx-rtmp on loopback), judged by what the
// servers recorded, what the host's own recording holds, and the program's event log.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "tests/e2e/stream_harness.h"
#include "tests/support/nginx_rtmp.h"

namespace cunbo::test {
namespace {

// Keyframes of a recording are 2 s apart, the first one first.
void expect_keyframes_every_two_seconds(const Recorded& r, const std::string& what) {
  const std::vector<double> keys = keyframe_times(r);
  ASSERT_FALSE(keys.empty()) << what << ": no keyframe at all";
  ASSERT_FALSE(r.video.keyframe_indices.empty());
  EXPECT_EQ(r.video.keyframe_indices.front(), 0) << what << ": the first video frame is not a keyframe";
  for (std::size_t i = 1; i < keys.size(); ++i) {
    EXPECT_NEAR(keys[i] - keys[i - 1], 2.0, 0.05) << what << ": keyframes at " << join(keys);
  }
}

TEST_F(Stream, PushesSixSecondsThatTheServerRecords) {
  NginxRtmp nginx;
  const RunResult r = run_stream({"--duration", "6", "--dest", nginx.url_with_key("k6")}, 6);
  ASSERT_TRUE(r.status.success()) << describe(r);
  ASSERT_TRUE(nginx.wait_until_idle(deadline_after(10s))) << "nginx still has a publisher after the program ended";
  EXPECT_EQ(nginx.auth().attempts("k6"), 1U) << "one publish for one uninterrupted run";

  const auto recordings = nginx.recordings();
  ASSERT_EQ(recordings.size(), 1U) << describe(r);
  Recorded server;
  ASSERT_TRUE(probe_recording(recordings[0], server));

  EXPECT_EQ(server.video_info->codec, "h264");
  EXPECT_EQ(server.video_info->width, 1280);
  EXPECT_EQ(server.video_info->height, 720);
  const int64_t excused = frames_excused(recording());
  EXPECT_NEAR(ticks_per_second(server.video, excused), kFps, 0.5) << excused << " frames reported dropped";
  EXPECT_NEAR(server.video.duration_s, 6.0, 0.3);
  EXPECT_LE(server.video.largest_gap_s, 0.1) << "the picture stalls on the server";
  expect_keyframes_every_two_seconds(server, "server recording");

  EXPECT_EQ(server.audio_info->codec, "aac");
  EXPECT_EQ(server.audio_info->sample_rate, 48000);
  EXPECT_NEAR(server.audio.duration_s, 6.0, 0.3);
  EXPECT_LE(server.audio.largest_gap_s, 0.1) << "the sound drops out on the server";

  // The local recording is the same broadcast, complete.
  Recorded local;
  ASSERT_TRUE(probe_recording(recording(), local));
  EXPECT_NEAR(local.video.packets + excused, 6 * kFps, 1) << excused << " frames reported dropped";
}

TEST_F(Stream, OneEncodeFeedsTwoDestinations) {
  NginxRtmp first("nginx-first");
  NginxRtmp second("nginx-second");
  constexpr double kSeconds = 4;
  const RunResult r = run_stream(
      {"--duration", "4", "--dest", first.url_with_key("one"), "--dest", second.url_with_key("two")}, kSeconds);
  ASSERT_TRUE(r.status.success()) << describe(r);
  ASSERT_TRUE(first.wait_until_idle(deadline_after(10s)));
  ASSERT_TRUE(second.wait_until_idle(deadline_after(10s)));

  const EventLog log = events();
  const auto encoder = log.first("encoder");
  ASSERT_TRUE(encoder) << "no \"encoder\" event\n" << log.text;
  EXPECT_EQ(event_number(*encoder, "video_encoders"), 1) << encoder->dump();

  ASSERT_EQ(first.recordings().size(), 1U) << describe(r);
  ASSERT_EQ(second.recordings().size(), 1U) << describe(r);
  Recorded a;
  Recorded b;
  Recorded local;
  ASSERT_TRUE(probe_recording(first.recordings()[0], a));
  ASSERT_TRUE(probe_recording(second.recordings()[0], b));
  ASSERT_TRUE(probe_recording(recording(), local));
  EXPECT_NEAR(a.video.duration_s, kSeconds, 0.3);
  EXPECT_NEAR(b.video.duration_s, kSeconds, 0.3);
  EXPECT_NEAR(a.video.duration_s, b.video.duration_s, 0.3);
  EXPECT_NEAR(a.audio.duration_s, kSeconds, 0.3);
  EXPECT_NEAR(b.audio.duration_s, kSeconds, 0.3);

  // One encoder: a keyframe forced for one output (each asks for one when it connects) is a
  // keyframe in every output. Each server's recording is a tail of the local one, which has
  // them all: its keyframes, shifted by where it joined, are the local recording's last ones.
  // (Which server joined first, and so saw one keyframe more, is the network's doing.)
  const std::vector<double> kl = keyframe_times(local);
  for (const Recorded* served : {&a, &b}) {
    const std::vector<double> ks = keyframe_times(*served);
    ASSERT_FALSE(ks.empty());
    ASSERT_LE(ks.size(), kl.size()) << "server: " << join(ks) << "\nlocal: " << join(kl);
    const double shift = kl[kl.size() - ks.size()];
    for (std::size_t i = 0; i < ks.size(); ++i) {
      EXPECT_NEAR(ks[i] + shift, kl[kl.size() - ks.size() + i], 0.02) << join(ks) << " vs local " << join(kl);
    }
  }
}

TEST_F(Stream, ReconnectsAfterServerRestart) {
  NginxRtmp nginx;
  constexpr double kSeconds = 10;
  const auto stream = start_stream({"--duration", "10", "--dest", nginx.url_with_key("rk")});
  ASSERT_TRUE(wait_for_log(deadline_after(15s), [](const EventLog& l) { return l.first("state", 1, "live").has_value(); },
                           stream.get()))
      << describe(*stream);
  // Three seconds in, by the program's own clock.
  ASSERT_TRUE(wait_for_log(deadline_after(15s), [](const EventLog& l) { return l.last_t() >= 3.0; }, stream.get()))
      << describe(*stream);
  nginx.kill();
  const Clock::time_point killed_at = Clock::now();
  ASSERT_TRUE(wait_for_log(deadline_after(5s),
                           [](const EventLog& l) {
                             const auto s = l.states(1);
                             return std::find(s.begin(), s.end(), "reconnecting") != s.end();
                           },
                           stream.get()))
      << "the outage is not noticed\n"
      << describe(*stream);
  // The outage lasts 3 s: that length is the scenario itself, so here the test waits on the clock.
  std::this_thread::sleep_until(killed_at + 3s);
  nginx.start();
  const Clock::time_point restarted_at = Clock::now();
  EXPECT_TRUE(nginx.auth().wait_for_allowed(2, restarted_at + 2s))
      << "not publishing again within 2 s of the restart\n"
      << describe(*stream);

  const RunResult r = stream->finish(deadline_after(kStreamOverhead + 10s));
  ASSERT_TRUE(r.status.success()) << describe(r);
  ASSERT_TRUE(nginx.wait_until_idle(deadline_after(10s)));
  const auto history = nginx.auth().history();
  ASSERT_GE(history.size(), 2U);
  const auto back = std::find_if(history.begin() + 1, history.end(), [](const PublishAttempt& a) { return a.allowed; });
  ASSERT_NE(back, history.end());
  EXPECT_LE(std::chrono::duration<double>(back->at - restarted_at).count(), 2.0);

  // The server's new recording starts with a keyframe (forced at the reconnect).
  const auto recordings = nginx.recordings();
  ASSERT_EQ(recordings.size(), 2U) << "one recording before the kill, one after";
  Recorded after;
  ASSERT_TRUE(probe_recording(recordings.back(), after));
  ASSERT_FALSE(after.video.keyframe_indices.empty());
  EXPECT_EQ(after.video.keyframe_indices.front(), 0) << "the first frame after the reconnect is not a keyframe";
  EXPECT_GT(after.video.duration_s, 1.0) << "the stream did not go on after the reconnect";
  EXPECT_LE(after.audio.largest_gap_s, 0.1);

  // Nothing of the outage is missing from the host's own recording.
  Recorded local;
  ASSERT_TRUE(probe_recording(recording(), local));
  EXPECT_NEAR(local.video.packets + frames_excused(recording()), kSeconds * kFps, 1);
  EXPECT_NEAR(local.video.duration_s, kSeconds, 0.1);
  EXPECT_LE(local.video.largest_gap_s, 0.1) << "the outage left a gap in the local recording";
  EXPECT_NEAR(local.audio.duration_s, kSeconds, 0.1);
  EXPECT_LE(local.audio.largest_gap_s, 0.1);
}

}  // namespace
}  // namespace cunbo::test
