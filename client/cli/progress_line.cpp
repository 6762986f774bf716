#include "client/cli/progress_line.h"

#include <fmt/format.h>

#include "client/base/money.h"
#include "client/base/strings.h"

namespace cunbo {

std::string ProgressLine::format(const SessionStats& s, double fps) {
  const int64_t seconds = s.elapsed_us / 1'000'000;
  const std::string clock = fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  const int64_t kbps = s.elapsed_us > 0 ? s.bytes_encoded * 8 * 1000 / s.elapsed_us : 0;
  std::string line = tr("progress.line", clock, fps, kbps, s.frames_dropped);
  if (s.orders > 0) line += "  " + tr("progress.orders", s.orders, format_yuan(s.order_cents));
  for (size_t i = 0; i < s.destinations.size(); ++i) {
    const DestinationStats& d = s.destinations[i];
    const OutputStatus& st = d.status;
    std::string state;
    switch (st.state) {
      case OutputState::connecting: state = tr("state.connecting"); break;
      case OutputState::live: state = tr(s.video_kbps < s.target_kbps ? "state.live_reduced" : "state.live"); break;
      case OutputState::congested: state = tr("state.congested"); break;
      case OutputState::reconnecting: {
        const std::string why =
            st.last_failure == OutputFailure::none ? "" : tr(std::string("reason.") + to_string(st.last_failure));
        if (st.connections == 0) {  // it never connected: nothing is being connected "again"
          state = tr("state.unreachable", why.empty() ? tr("msg.off_air_no_reason") : why);
          break;
        }
        const int64_t in_s = std::max<int64_t>(0, (st.retry_at_us - s.now_us + 999'999) / 1'000'000);
        state = tr("state.reconnecting", st.attempt, in_s);
        if (!why.empty()) state += " " + why;
        break;
      }
      case OutputState::key_rejected: state = tr("state.key_rejected"); break;
      case OutputState::stopped: state = tr("state.stopped"); break;
    }
    line += "  " + tr("progress.dest", i + 1, state, d.kbps, st.queue_ms, st.drops);
  }
  if (s.camera_lost) line += "  " + tr("msg.camera_lost");
  if (s.mic_lost) line += "  " + tr("msg.mic_lost");
  if (s.recording_failed) line += "  " + tr("msg.recording_failed");
  return line;
}

void ProgressLine::update(const SessionStats& s) {
  const int64_t window = s.elapsed_us - window_start_us_;
  if (window >= kFpsWindowUs) {
    fps_ = static_cast<double>(s.frames_encoded - window_frames_) * 1e6 / static_cast<double>(window);
    window_frames_ = s.frames_encoded;
    window_start_us_ = s.elapsed_us;
  }
  std::string line = format(s, fps_);
  const size_t width = line.size();
  if (width < last_width_) line.append(last_width_ - width, ' ');  // wipe a longer previous line
  last_width_ = width;
  std::fprintf(out_, "\r%s", line.c_str());
  std::fflush(out_);
}

void ProgressLine::finish(const SessionStats& s) {
  update(s);
  if (s.elapsed_us > 0) {  // the whole session's average
    std::string line = format(s, static_cast<double>(s.frames_encoded) * 1e6 / static_cast<double>(s.elapsed_us));
    std::fprintf(out_, "\r%s", line.c_str());
  }
  std::fputc('\n', out_);
  std::fflush(out_);
}

}  // namespace cunbo
