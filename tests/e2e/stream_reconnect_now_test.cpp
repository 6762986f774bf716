// SIGUSR1 is "reconnect now" (the window's 立即重连 button will call the same): a host who
// just fixed the cable or the router does not wait out the back-off.
#include <gtest/gtest.h>

#include <csignal>

#include "client/base/exit_codes.h"
#include "tests/e2e/stream_harness.h"
#include "tests/support/nginx_rtmp.h"

namespace cunbo::test {
namespace {

// Connection attempts so far: each starts with a connecting/reconnecting event without a reason.
int tries(const EventLog& log) {
  int n = 0;
  for (const auto& s : log.of("state", 1)) {
    const std::string state = event_text(s, "state");
    if ((state == "connecting" || state == "reconnecting") && event_text(s, "reason").empty()) ++n;
  }
  return n;
}

TEST_F(Stream, ReconnectNowSkipsTheBackOffWait) {
  const int nobody = pick_free_loopback_port();
  const auto stream = start_stream({"--dest", "rtmp://127.0.0.1:" + std::to_string(nobody) + "/live/k"});
  // Wait for the second failure: the next try is then more than a second away.
  ASSERT_TRUE(wait_for_log(deadline_after(15s),
                           [](const EventLog& l) {
                             for (const auto& s : l.of("state", 1))
                               if (event_number(s, "attempt", 0) >= 2 && !event_text(s, "reason").empty()) return true;
                             return false;
                           },
                           stream.get()))
      << describe(*stream);
  const EventLog before = events();
  double retry_in_s = 0;
  for (const auto& s : before.of("state", 1))
    if (!event_text(s, "reason").empty()) retry_in_s = event_number(s, "retry_in_s", 0);
  ASSERT_GT(retry_in_s, 0.9) << before.text;
  const int tries_before = tries(before);

  const Clock::time_point asked = Clock::now();
  ASSERT_TRUE(stream->send_signal(SIGUSR1));
  EXPECT_TRUE(wait_for_log(asked + 500ms, [&](const EventLog& l) { return tries(l) > tries_before; }, stream.get()))
      << "no new attempt within 0.5 s of SIGUSR1 (the back-off had " << retry_in_s << " s to go)\n"
      << describe(*stream);

  ASSERT_TRUE(stream->send_signal(SIGINT));
  const RunResult r = stream->finish(deadline_after(kStreamOverhead));
  // Nothing ever took the stream: the run says so with its own exit status (issue #11).
  EXPECT_TRUE(r.status.exited && r.status.code == exit_code::kNeverLive) << describe(r);
}

}  // namespace
}  // namespace cunbo::test
