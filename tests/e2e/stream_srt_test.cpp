// SRT as a host meets it (issue #13): Debian's srt-live-transmit as the platform's listener.
// H.264 and AAC arrive in MPEG-TS; the passphrase and stream id travel in the URL and, like a
// key, never show; a listener that restarts is reconnected to.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/stream_harness.h"
#include "tests/support/srt_listener.h"

namespace cunbo::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kPassphrase = "village-harvest-2026";

TEST_F(Stream, SrtDeliversH264AndAacInMpegTsAndNeverShowsItsPassphrase) {
  SrtListener listener(std::string("passphrase=") + kPassphrase);
  const RunResult r = run_stream(
      {"--duration", "5", "--dest", listener.url(std::string("passphrase=") + kPassphrase + "&streamid=shop-7")}, 5);
  EXPECT_TRUE(r.status.success()) << describe(r);
  EXPECT_THAT(r.out + r.err, Not(HasSubstr(kPassphrase)));
  EXPECT_THAT(events().text, Not(HasSubstr(kPassphrase)));
  EXPECT_THAT(events().text, Not(HasSubstr("shop-7")));
  listener.stop();

  const ProbeResult probed = probe_media(listener.received(1));
  ASSERT_TRUE(probed.file) << probed.error;
  EXPECT_EQ(probed.file->format, "mpegts");
  const StreamInfo* video = probed.file->first(StreamKind::video);
  const StreamInfo* audio = probed.file->first(StreamKind::audio);
  ASSERT_TRUE(video && audio);
  EXPECT_EQ(video->codec, "h264");
  EXPECT_EQ(audio->codec, "aac");
  EXPECT_NEAR(stream_timing(*probed.file, video->index).duration_s, 5, 0.5);
  EXPECT_NEAR(stream_timing(*probed.file, audio->index).duration_s, 5, 0.5);
}

TEST_F(Stream, SrtWithTheWrongPassphraseNeverGoesLive) {
  SrtListener listener(std::string("passphrase=") + kPassphrase);
  const RunResult r = run_stream({"--duration", "4", "--dest", listener.url("passphrase=not-the-right-one")}, 4);
  EXPECT_FALSE(r.status.success()) << describe(r);
  EXPECT_FALSE(events().first("state", 1, "live").has_value()) << events().text;
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("not-the-right-one")));
}

TEST_F(Stream, SrtReconnectsToAListenerThatRestarted) {
  SrtListener listener;
  const auto stream = start_stream({"--duration", "16", "--dest", listener.url()});
  ASSERT_TRUE(wait_for_log(deadline_after(30s), [](const EventLog& l) { return l.last_t() >= 4.0; }, stream.get()))
      << describe(*stream);
  listener.stop();
  listener.start();
  const RunResult r = stream->finish(deadline_after(16s + kStreamOverhead));
  EXPECT_TRUE(r.status.success()) << describe(r);
  const EventLog log = events();
  const auto states = log.states(1);
  EXPECT_GE(std::count(states.begin(), states.end(), "live"), 2) << "not live again after the restart\n" << log.text;
  listener.stop();
  const ProbeResult probed = probe_media(listener.received(2));
  ASSERT_TRUE(probed.file) << probed.error;
  const StreamInfo* video = probed.file->first(StreamKind::video);
  ASSERT_TRUE(video);
  EXPECT_GT(stream_timing(*probed.file, video->index).duration_s, 5) << "the restarted listener got little";
}

// The same from the config file, as a host pastes what the platform gave: the passphrase, the
// stream id and the latency in their own fields; the passphrase never shows, not even in
// `cunbo config show`.
TEST_F(Stream, SrtTakesItsPassphraseStreamIdAndLatencyFromTheConfig) {
  SrtListener listener(std::string("passphrase=") + kPassphrase);
  cunbo.write_config("[[destinations]]\nurl = \"" + listener.url() + "\"\npassphrase = \"" +
                                           kPassphrase + "\"\nstreamid = \"shop-7\"\nlatency_ms = 400\n");
  const RunResult r = run_stream({"--duration", "4"}, 4);
  EXPECT_TRUE(r.status.success()) << describe(r);
  EXPECT_THAT(r.out + r.err, Not(HasSubstr(kPassphrase)));
  EXPECT_THAT(events().text, Not(HasSubstr(kPassphrase)));
  EXPECT_TRUE(events().first("state", 1, "live").has_value()) << events().text;
  listener.stop();
  const ProbeResult probed = probe_media(listener.received(1));
  ASSERT_TRUE(probed.file) << probed.error;
  const StreamInfo* video = probed.file->first(StreamKind::video);
  ASSERT_TRUE(video);
  EXPECT_NEAR(stream_timing(*probed.file, video->index).duration_s, 4, 0.5);

  const RunResult shown = cunbo.run({"config", "show"});
  EXPECT_TRUE(shown.status.success()) << shown.describe();
  EXPECT_THAT(shown.out, HasSubstr("passphrase")) << shown.out;
  EXPECT_THAT(shown.out, Not(HasSubstr(kPassphrase))) << shown.out;
}

// A passphrase SRT cannot use is refused before anything starts, in plain words.
TEST_F(Stream, AnSrtPassphraseTooShortIsRefusedBeforeGoingLive) {
  cunbo.write_config(
                  "[[destinations]]\nurl = \"srt://127.0.0.1:9\"\npassphrase = \"short\"\n");
  const RunResult r = run_stream({"--duration", "4"}, 4);
  EXPECT_TRUE(r.status.exited && r.status.code == 2) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("10 到 79 个字符")) << describe(r);
  EXPECT_THAT(r.err, Not(HasSubstr("short"))) << describe(r);
}

}  // namespace
}  // namespace cunbo::test
