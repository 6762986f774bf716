// A host ends practice with Ctrl-C (SIGINT), the system ends it with SIGTERM, or the laptop
// dies (SIGKILL stands in): the recording must be there and play.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

#include "tests/support/cunbo_cli.h"
#include "tests/support/media_probe.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

class Stopping : public ::testing::Test {
 protected:
  // Starts a long recording and waits until its progress line has been showing for
  // `recording_for` (the session is running by then, however long startup took) and the
  // file has data in it.
  std::unique_ptr<Subprocess> start_recording(const std::filesystem::path& out, const std::string& seconds,
                                              Clock::duration recording_for, Clock::time_point* began = nullptr) {
    auto child =
        cunbo.start({"practice", "--video", "test", "--audio", "test", "--duration", seconds, "--out", out.string()});
    const bool progress = child->wait_for_output(child->started_at() + 20s, [](std::string_view, std::string_view err) {
      return err.find('\r') != std::string_view::npos;
    });
    EXPECT_TRUE(progress) << "no progress line within 20 s; stderr: " << child->err();
    const Clock::time_point progress_seen = Clock::now();
    if (began) *began = progress_seen;
    const bool recording = wait_until(progress_seen + recording_for + 20s, [&] {
      std::error_code ec;
      return !child->running() ||
             (Clock::now() >= progress_seen + recording_for && std::filesystem::file_size(out, ec) > 0 && !ec);
    });
    EXPECT_TRUE(recording) << out << " did not appear or stayed empty";
    EXPECT_TRUE(child->running()) << "cunbo ended before it was stopped\nstderr: " << child->err();
    return child;
  }

  void expect_stops_cleanly_on(int sig) {
    const auto out = cunbo.work_dir() / "stopped.mkv";
    auto child = start_recording(out, "60", 1500ms);
    ASSERT_TRUE(child->running());

    const Clock::time_point signalled = Clock::now();
    ASSERT_TRUE(child->send_signal(sig));
    const std::optional<ExitStatus> status = child->wait_for_exit(signalled + 2s);
    ASSERT_TRUE(status.has_value()) << sigabbrev_np(sig)
                                    << ": still running 2 s after the signal\nstderr: " << child->err();
    const RunResult r = child->finish(deadline_after(1s));
    EXPECT_TRUE(r.status.success()) << r.describe();
    expect_last_line_names(r, out);

    // Finalised: the container declares its duration, both streams are there and end together.
    const ProbeResult probe = probe_media(out);
    ASSERT_TRUE(probe.file) << probe.error;
    const MediaFile& file = *probe.file;
    ASSERT_EQ(file.count(StreamKind::video), 1);
    ASSERT_EQ(file.count(StreamKind::audio), 1);
    const StreamTiming vt = stream_timing(file, file.first(StreamKind::video)->index);
    const StreamTiming at = stream_timing(file, file.first(StreamKind::audio)->index);
    const std::string timings =
        "signalled " + std::to_string(std::chrono::duration<double>(signalled - child->started_at()).count()) +
        " s after the start; video " + std::to_string(vt.first_pts_s) + "–" + std::to_string(vt.end_s) + " s, audio " +
        std::to_string(at.first_pts_s) + "–" + std::to_string(at.end_s) + " s\n" + r.describe();
    SCOPED_TRACE(timings);
    EXPECT_GT(file.duration_s, 1.0) << "the file is not finalised: it declares no duration";
    EXPECT_NEAR(file.duration_s, std::max(vt.end_s, at.end_s), 0.1);
    EXPECT_GE(vt.duration_s, 1.4) << "video of a 1.5 s session";
    EXPECT_NEAR(at.duration_s, vt.duration_s, 0.1) << "sound and picture end together";

    const DecodedVideo frames = decode_video(out);
    ASSERT_TRUE(frames.error.empty()) << frames.error;
    EXPECT_EQ(frames.decode_errors, 0);
    EXPECT_EQ(static_cast<int>(frames.frames.size()), vt.packets);
  }

  // Kills a 10 s recording named `name` 3 s in, as a power cut would.
  void expect_survives_sigkill(const std::string& name) {
    const auto out = cunbo.work_dir() / name;
    Clock::time_point began;
    auto child = start_recording(out, "10", 3s, &began);
    ASSERT_TRUE(child->running());
    // The session ran at least this long (its first progress line comes after it started).
    const double ran_s = std::chrono::duration<double>(Clock::now() - began).count();
    ASSERT_TRUE(child->send_signal(SIGKILL));
    const RunResult r = child->finish(deadline_after(10s));
    EXPECT_EQ(r.status.signal, SIGKILL) << r.describe();

    // Everything recorded is there and plays.
    const ProbeResult probe = probe_media(out);
    ASSERT_TRUE(probe.file) << "the recording of a killed session does not open: " << probe.error;
    const MediaFile& file = *probe.file;
    ASSERT_EQ(file.count(StreamKind::video), 1);
    ASSERT_EQ(file.count(StreamKind::audio), 1);
    const StreamTiming vt = stream_timing(file, file.first(StreamKind::video)->index);
    const StreamTiming at = stream_timing(file, file.first(StreamKind::audio)->index);
    // A power cut keeps everything up to the last half second: the file holds the session up
    // to at least half a second before the kill.
    EXPECT_GE(vt.end_s, ran_s - 0.5) << "video kept of a session killed after " << ran_s << " s";
    EXPECT_GE(at.end_s, ran_s - 0.5) << "audio kept of a session killed after " << ran_s << " s";

    const DecodedVideo frames = decode_video(out);
    ASSERT_TRUE(frames.error.empty()) << frames.error;
    // Every picture the file holds plays (one cut off by the kill may be lost). How many there
    // are depends on how fast the machine encoded; what was kept is checked by time above.
    EXPECT_GE(static_cast<int>(frames.frames.size()), vt.packets - 1);
    EXPECT_GT(frames.frames.size(), 0u);
    EXPECT_LE(frames.decode_errors, 1) << "only a frame cut off by the kill may be damaged";
  }

  CunboSandbox cunbo{CUNBO_BINARY, "cunbo-stopping"};
};

TEST_F(Stopping, CtrlCEndsTheRecordingCleanly) { expect_stops_cleanly_on(SIGINT); }

TEST_F(Stopping, SigtermEndsTheRecordingCleanly) { expect_stops_cleanly_on(SIGTERM); }

TEST_F(Stopping, RecordingSurvivesSigkill) { expect_survives_sigkill("killed.mkv"); }

// A fragmented MP4 holds no index that only the end would write: killed, it still plays up to
// its last fragment. FLV is a stream of tags by nature.
TEST_F(Stopping, Mp4RecordingSurvivesSigkill) { expect_survives_sigkill("killed.mp4"); }

TEST_F(Stopping, FlvRecordingSurvivesSigkill) { expect_survives_sigkill("killed.flv"); }

}  // namespace
}  // namespace cunbo::test
