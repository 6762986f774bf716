// Faults on the host's own computer while live (issue #12): the disk under the recording fills
// up, the microphone is unplugged and plugged back. The stream goes on where it can; the host
// is told in plain words, once per change, and the end says one true thing about the recording.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "client/base/exit_codes.h"
#include "tests/e2e/stream_harness.h"
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

}  // namespace
}  // namespace cunbo::test
