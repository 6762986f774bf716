#include "client/progress_line.h"

#include <fmt/format.h>

#include "client/strings.h"

namespace cunbo {

std::string ProgressLine::format(const SessionStats& s, double fps) {
  const int64_t seconds = s.elapsed_us / 1'000'000;
  const std::string clock = fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  const int64_t kbps = s.elapsed_us > 0 ? s.bytes_encoded * 8 * 1000 / s.elapsed_us : 0;
  std::string line = tr("progress.line", clock, fps, kbps, s.frames_dropped);
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
