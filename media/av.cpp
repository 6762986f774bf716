#include "media/av.h"

#include <mutex>

#include <spdlog/spdlog.h>

namespace cunbo::av {

std::string error_string(int errnum) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(errnum, buf, sizeof buf);
  return buf;
}

Frame ref_frame(const AVFrame* src) {
  Frame f = make_frame();
  if (f && av_frame_ref(f.get(), src) < 0) f.reset();
  return f;
}

Packet ref_packet(const AVPacket* src) {
  Packet p = make_packet();
  if (p && av_packet_ref(p.get(), src) < 0) p.reset();
  return p;
}

namespace {

// FFmpeg's messages are technical detail: they go to our log at a matching level, one line each.
// URLs in them could carry a stream key; outputs therefore never hand FFmpeg a URL with a key
// in log-visible form at a level above debug (see the output modules).
void log_callback(void* avcl, int level, const char* fmt, va_list args) {
  if (level > av_log_get_level()) return;
  thread_local std::string line;
  char part[1024];
  int print_prefix = 1;
  av_log_format_line2(avcl, level, fmt, args, part, sizeof part, &print_prefix);
  line += part;
  if (line.empty() || line.back() != '\n') return;
  line.pop_back();
  spdlog::level::level_enum lvl = spdlog::level::debug;
  if (level <= AV_LOG_ERROR) lvl = spdlog::level::err;
  else if (level <= AV_LOG_WARNING) lvl = spdlog::level::warn;
  else if (level <= AV_LOG_INFO) lvl = spdlog::level::info;
  spdlog::log(lvl, "[ffmpeg] {}", line);
  line.clear();
}

}  // namespace

void initialise() {
  static std::once_flag once;
  std::call_once(once, [] {
    avdevice_register_all();
    av_log_set_level(AV_LOG_WARNING);
    av_log_set_callback(log_callback);
  });
}

}  // namespace cunbo::av
