// Ctrl-C in the middle of an outage: the host wants to stop now, not when the network lets
// the program finish a write or a handshake. Within 2 s, with the recording finalised.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>

#include "client/base/exit_codes.h"
#include "tests/e2e/stream_harness.h"
#include "tests/support/nginx_rtmp.h"
#include "tests/support/tcp_relay.h"

namespace cunbo::test {
namespace {


std::string relay_url(const TcpRelay& relay, const std::string& key) {
  return "rtmp://127.0.0.1:" + std::to_string(relay.port()) + "/live/" + key;
}

bool ever_in_state(const EventLog& log, int dest, const std::string& state) {
  const auto states = log.states(dest);
  return std::find(states.begin(), states.end(), state) != states.end();
}

class StreamStop : public Stream {
 protected:
  // SIGINT now: the program is gone within 2 s, exits with `code` (0; kNeverLive when nothing ever
  // took the stream), and its recording is finalised and whole.
  void expect_prompt_clean_stop(Subprocess& stream, int code = exit_code::kOk) {
    ASSERT_TRUE(stream.running()) << describe(stream);
    const Clock::time_point signalled = Clock::now();
    ASSERT_TRUE(stream.send_signal(SIGINT));
    const std::optional<ExitStatus> status = stream.wait_for_exit(signalled + 2s);
    EXPECT_TRUE(status.has_value()) << "still running 2 s after Ctrl-C\n" << describe(stream);
    const RunResult r = stream.finish(deadline_after(kStreamOverhead));
    EXPECT_TRUE(r.status.exited && r.status.code == code) << describe(r);
    expect_last_line_names(r, recording());

    Recorded local;
    ASSERT_TRUE(probe_recording(recording(), local));
    EXPECT_GT(local.file.duration_s, 1.0) << "the recording is not finalised: it declares no duration";
    EXPECT_NEAR(local.file.duration_s, std::max(local.video.end_s, local.audio.end_s), 0.15);
    const int64_t excused = frames_excused(recording());
    EXPECT_NEAR(local.video.packets + excused, local.video.duration_s * kFps, 2)
        << "frames missing from the recording (" << excused << " reported dropped)";
    EXPECT_LE(local.video.largest_gap_s, 0.1);
    EXPECT_NEAR(local.audio.duration_s, local.video.duration_s, 0.15);
    EXPECT_LE(local.audio.largest_gap_s, 0.1);
  }

  [[nodiscard]] bool wait_until_live(const Subprocess& stream) const {
    return wait_for_log(deadline_after(15s), [](const EventLog& l) { return l.first("state", 1, "live").has_value(); },
                        &stream);
  }
};

TEST_F(StreamStop, StopsWithinTwoSecondsMidOutage) {
  NginxRtmp nginx;
  TcpRelay relay(nginx.port());
  const auto stream = start_stream({"--dest", relay_url(relay, "stall")});
  ASSERT_TRUE(wait_until_live(*stream)) << describe(*stream);
  // A moment of real recording first, so there is something to finalise.
  ASSERT_TRUE(wait_for_log(deadline_after(15s), [](const EventLog& l) { return l.last_t() >= 1.5; }, stream.get()))
      << describe(*stream);
  relay.stall();
  // Mid-outage: the socket no longer takes data and the program's queue for it grows.
  const bool outage = wait_for_log(
      deadline_after(15s),
      [](const EventLog& l) {
        const auto queue = l.of("queue", 1);
        return (!queue.empty() && event_number(queue.back(), "ms", 0) >= 500) || ever_in_state(l, 1, "congested") ||
               ever_in_state(l, 1, "reconnecting");
      },
      stream.get());
  ASSERT_TRUE(outage) << "the stalled link never shows\n" << describe(*stream);
  expect_prompt_clean_stop(*stream);
}

TEST_F(StreamStop, StopsWithinTwoSecondsWhileReconnecting) {
  NginxRtmp nginx;
  const auto stream = start_stream({"--dest", nginx.url_with_key("gone")});
  ASSERT_TRUE(wait_until_live(*stream)) << describe(*stream);
  ASSERT_TRUE(wait_for_log(deadline_after(15s), [](const EventLog& l) { return l.last_t() >= 1.5; }, stream.get()))
      << describe(*stream);
  nginx.kill();
  ASSERT_TRUE(wait_for_log(deadline_after(10s), [](const EventLog& l) { return ever_in_state(l, 1, "reconnecting"); },
                           stream.get()))
      << describe(*stream);
  expect_prompt_clean_stop(*stream);
}

// The server accepts the TCP connection and then never answers the RTMP handshake (a
// black-holed link, or a server that hung): the program is stuck in a connect, not a write.
TEST_F(StreamStop, StopsWithinTwoSecondsDuringAnUnansweredHandshake) {
  NginxRtmp nginx;
  TcpRelay relay(nginx.port());
  relay.stall();
  const auto stream = start_stream({"--dest", relay_url(relay, "hung")});
  ASSERT_TRUE(relay.wait_for_connections(1, deadline_after(15s))) << describe(*stream);
  // Give the program a moment of real recording so there is something to finalise.
  ASSERT_TRUE(wait_for_log(deadline_after(15s), [](const EventLog& l) { return l.last_t() >= 1.5; }, stream.get()))
      << describe(*stream);
  EXPECT_FALSE(events().first("state", 1, "live").has_value()) << "live through a link that passes nothing?";
  expect_prompt_clean_stop(*stream, exit_code::kNeverLive);  // never on air: said so (issue #11)
}

}  // namespace
}  // namespace cunbo::test
