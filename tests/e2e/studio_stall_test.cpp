// A window whose UI thread hangs (a stuck display driver, a compositor that stopped answering,
// a system that throttles the window) must not cost the stream anything: the session supervises
// itself on its own thread. Real parts only: a real window under Xvfb, and the stall is Xvfb
// itself frozen (SIGSTOP), so every present of the window waits for it; the program under test
// has no hook for this.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <regex>

#include "tests/support/cunbo_cli.h"
#include "tests/support/media_probe.h"
#include "tests/support/nginx_rtmp.h"
#include "tests/support/stream_events.h"
#include "tests/support/subprocess.h"
#include "tests/support/tcp_relay.h"
#include "tests/support/wait.h"
#include "tests/support/xvfb.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

// How long the display stays frozen, in the session's own time.
constexpr double kStallSeconds = 3.0;

class StudioStall : public ::testing::Test {
 protected:
  CunboSandbox cunbo{CUNBO_BINARY, "cunbo-stall"};
  Xvfb x;

  // The window on the frozen-able display. Leak checks are off for this one process (see
  // studio_window_test.cpp: SDL's system libraries on a real display keep a few allocations).
  std::unique_ptr<Subprocess> start_window(std::vector<std::string> args) {
    args.insert(args.end(), {"--video", "test", "--audio", "test", "--go-live-after-frames", "5", "--frame-stats"});
    return cunbo.start(args, {{"DISPLAY", x.display()},
                              {"SDL_VIDEODRIVER", std::nullopt},
                              {"SDL_AUDIODRIVER", "dummy"},
                              {"XDG_STATE_HOME", (cunbo.work_dir() / "state").string()},
                              {"XDG_CACHE_HOME", (cunbo.work_dir() / "cache").string()},
                              {"ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1"}});
  }

  // The event log of the one session under way (beside its recording, or in the state folder).
  [[nodiscard]] std::filesystem::path event_log() const {
    for (const auto& dir : {cunbo.videos_dir(), cunbo.work_dir() / "state"})
      for (const auto& f : files_under(dir))
        if (f.string().ends_with(".events.jsonl")) return f;
    return {};
  }

  // Freezes the display until the session's clock has run kStallSeconds on; returns the
  // session times the stall certainly covered, [from, to].
  std::pair<double, double> stall_the_ui(const std::filesystem::path& log) {
    const double before = read_event_log(log).last_t();
    x.freeze();
    // The log gains a line at least every half second (the queue, the encoder's state): its
    // newest time right after the freeze is at most half a second before it.
    const double from = before + 0.5;
    const bool ran = wait_for_log(log, deadline_after(std::chrono::milliseconds(static_cast<int>(kStallSeconds * 1000)) + 10s),
                                  [&](const EventLog& l) { return l.last_t() >= from + kStallSeconds; });
    const double to = read_event_log(log).last_t();
    x.thaw();
    EXPECT_TRUE(ran) << "the session's clock did not run on while the window was frozen";
    return {from, to};
  }

  static bool wait_for_log(const std::filesystem::path& log, Deadline deadline,
                           const std::function<bool(const EventLog&)>& condition) {
    return wait_until(deadline, [&] { return condition(read_event_log(log)); });
  }

  // The longest UI frame, from --frame-stats ("max-ms 3012.5"): proof the UI thread was stuck.
  static double longest_frame_ms(const std::string& err) {
    std::smatch m;
    static const std::regex kMax(R"(max-ms ([0-9.]+))");
    return std::regex_search(err, m, kMax) ? std::atof(m[1].str().c_str()) : -1;
  }
};

TEST_F(StudioStall, AStalledUiThreadDropsNoFrameFromTheRecording) {
  auto window = start_window({"--practice"});
  ASSERT_TRUE(wait_until(deadline_after(30s), [&] {
    const auto log = event_log();
    return !log.empty() && read_event_log(log).last_t() >= 1.0;
  })) << window->err();
  const double to = stall_the_ui(event_log()).second;
  // A little more recording after the thaw, then the host closes the window (SIGTERM).
  ASSERT_TRUE(wait_for_log(event_log(), deadline_after(20s), [&](const EventLog& l) { return l.last_t() >= to + 1.5; }));
  ASSERT_TRUE(window->send_signal(SIGTERM));
  const RunResult r = window->finish(deadline_after(60s));
  ASSERT_TRUE(r.status.success()) << r.describe();
  EXPECT_GE(longest_frame_ms(r.err), 0.8 * kStallSeconds * 1000) << "the UI thread was never stuck:\n" << r.err;

  const auto recordings = recordings_under(cunbo.videos_dir());
  ASSERT_EQ(recordings.size(), 1U);
  const ProbeResult probe = probe_media(recordings[0]);
  ASSERT_TRUE(probe.file) << probe.error;
  const StreamInfo* video = probe.file->first(StreamKind::video);
  ASSERT_NE(video, nullptr);
  const StreamTiming timing = stream_timing(*probe.file, video->index);
  EXPECT_GT(timing.duration_s, to) << "the recording lasted through the stall and after it";
  EXPECT_LE(timing.largest_gap_s, 0.1) << "a gap in the video while the UI was stalled";
  EXPECT_NEAR(timing.packets, 30.0 * timing.duration_s, 0.03 * 30.0 * timing.duration_s + 2);
}

TEST_F(StudioStall, AdaptiveBitrateKeepsWorkingWhileTheUiIsStalled) {
  NginxRtmp nginx;
  TcpRelay relay(nginx.port());
  cunbo.write_config("[[destinations]]\nurl = \"rtmp://127.0.0.1:" + std::to_string(relay.port()) +
                     "/live\"\nkey = \"k-stall\"\n");
  auto window = start_window({});
  ASSERT_TRUE(wait_until(deadline_after(30s), [&] {
    const auto log = event_log();
    return !log.empty() && read_event_log(log).first("state", 1, "live").has_value() &&
           read_event_log(log).last_t() >= 2.0;
  })) << window->err();
  const std::filesystem::path log = event_log();
  EXPECT_TRUE(read_event_log(log).of("bitrate").empty()) << "the bitrate changed before the uplink did";

  // The uplink drops to ~500 kbit/s (a quarter of the 2000 kbit/s 720p target) as the UI freezes.
  relay.set_upload_limit(62'500);
  const auto [from, to] = stall_the_ui(log);
  relay.set_upload_limit(0);

  ASSERT_TRUE(window->send_signal(SIGTERM));
  const RunResult r = window->finish(deadline_after(60s));
  ASSERT_TRUE(r.status.success()) << r.describe();
  EXPECT_GE(longest_frame_ms(r.err), 0.8 * kStallSeconds * 1000) << "the UI thread was never stuck:\n" << r.err;

  const EventLog events = read_event_log(log);
  double lowered_at = -1;
  for (const auto& change : events.of("bitrate")) {
    const double t = event_number(change, "t");
    if (t >= from && t <= to && event_number(change, "kbps") < 2000) {
      lowered_at = t;
      break;
    }
  }
  EXPECT_GE(lowered_at, 0) << "no lower bitrate between t=" << from << " and t=" << to
                           << " while the UI was stuck\n" << events.text;
}

}  // namespace
}  // namespace cunbo::test
