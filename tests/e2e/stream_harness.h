// What every `cunbo stream` whole-program test shares: a sandboxed host machine, the command
// line with test sources and a local recording in the sandbox, the event log beside it, and
// waiting on that log (the program's own account of what happened) with deadlines.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/cunbo_cli.h"
#include "tests/support/media_probe.h"
#include "tests/support/real_time.h"
#include "tests/support/stream_events.h"
#include "tests/support/subprocess.h"
#include "tests/support/wait.h"

namespace cunbo::test {

using namespace std::chrono_literals;

// Startup and finalising on top of the requested duration; generous so the same suite passes
// in the ASan/UBSan build, where the real-time encode has less headroom.
inline constexpr auto kStreamOverhead = 30s;
inline constexpr double kFps = 30;

class Stream : public ::testing::Test {
 protected:
  CunboSandbox cunbo{CUNBO_BINARY, "cunbo-stream"};

  [[nodiscard]] std::filesystem::path recording() const { return cunbo.work_dir() / "live.mkv"; }
  [[nodiscard]] std::filesystem::path events_path() const { return event_log_path(recording()); }
  [[nodiscard]] EventLog events() const { return read_event_log(events_path()); }

  // XDG_STATE_HOME in the sandbox too (the event log's home with --no-record).
  [[nodiscard]] EnvChanges env() const { return {{"XDG_STATE_HOME", (cunbo.work_dir() / "state").string()}}; }

  // `cunbo stream --video test --audio test --record <sandbox>/live.mkv <extra…>`.
  [[nodiscard]] std::vector<std::string> stream_args(const std::vector<std::string>& extra) const {
    std::vector<std::string> args{"stream", "--video", "test", "--audio", "test", "--record", recording().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  [[nodiscard]] RunResult run_stream(const std::vector<std::string>& extra, double seconds) const {
    return cunbo.run(stream_args(extra), env(),
                     std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds)) +
                         kStreamOverhead);
  }

  [[nodiscard]] std::unique_ptr<Subprocess> start_stream(const std::vector<std::string>& extra) const {
    return cunbo.start(stream_args(extra), env());
  }

  // Waits until the event log satisfies `condition`; gives up early if `process` ended.
  [[nodiscard]] bool wait_for_log(Deadline deadline, const std::function<bool(const EventLog&)>& condition,
                                  const Subprocess* process = nullptr) const {
    bool met = false;
    static_cast<void>(wait_until(deadline, [&] {
      met = condition(events());
      return met || (process != nullptr && !process->running());
    }));
    return met || condition(events());
  }

  // A failure message: the run, then the event log.
  [[nodiscard]] std::string describe(const RunResult& r) const { return r.describe() + "\nevent log:\n" + events().text; }
  [[nodiscard]] std::string describe(const Subprocess& p) const {
    return p.command() + "\nstderr (tail):\n" + tail(p.err()) + "\nevent log:\n" + events().text;
  }

  static std::string tail(const std::string& text, std::size_t n = 3000) {
    if (text.size() <= n) return text;
    std::string t("…");
    t.append(text, text.size() - n, n);
    return t;
  }
};

// The video / audio timing of a recording, or a gtest failure saying why it cannot be read.
struct Recorded {
  MediaFile file;
  StreamTiming video;
  StreamTiming audio;
  const StreamInfo* video_info = nullptr;
  const StreamInfo* audio_info = nullptr;
};

// Probes `path` into `out`; use as ASSERT_TRUE(probe_recording(path, out)).
inline ::testing::AssertionResult probe_recording(const std::filesystem::path& path, Recorded& out) {
  ProbeResult probe = probe_media(path);
  if (!probe.file) return ::testing::AssertionFailure() << path << " cannot be opened: " << probe.error;
  out.file = std::move(*probe.file);
  out.video_info = out.file.first(StreamKind::video);
  out.audio_info = out.file.first(StreamKind::audio);
  if (out.video_info == nullptr || out.audio_info == nullptr) {
    return ::testing::AssertionFailure() << path << " lacks a video or an audio stream";
  }
  out.video = stream_timing(out.file, out.video_info->index);
  out.audio = stream_timing(out.file, out.audio_info->index);
  return ::testing::AssertionSuccess();
}

// Presentation times of the keyframes, relative to the first video frame.
inline std::vector<double> keyframe_times(const Recorded& r) {
  std::vector<PacketInfo> packets = r.file.packets_of(r.video_info->index);
  std::vector<double> pts;
  for (const PacketInfo& p : packets) pts.push_back(p.pts_s);
  std::sort(pts.begin(), pts.end());
  std::vector<double> times;
  for (const PacketInfo& p : packets) {
    if (p.keyframe) times.push_back(p.pts_s - (pts.empty() ? 0 : pts.front()));
  }
  std::sort(times.begin(), times.end());
  return times;
}

inline std::string join(const std::vector<double>& values) {
  std::string s;
  for (double v : values) {
    if (!s.empty()) s.append(" ");
    s.append(std::to_string(v));
  }
  return s;
}

}  // namespace cunbo::test
