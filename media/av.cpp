#include "media/av.h"

#include <cstdio>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "media/device_list.h"

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace cunbo::av {

std::string error_string(int errnum) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(errnum, buf, sizeof buf);
  return buf;
}

// A picture's buffers go back to FFmpeg's buffer pools when their last reference is dropped,
// and the pool hands them out again for the next picture: the thread that drops the last
// reference may be another than the one that read the picture (the preview on the main thread,
// the video thread that made it). av_buffer_unref orders the two with an acquire-release
// atomic inside libavutil, which ThreadSanitizer does not see (Debian's FFmpeg is not
// instrumented). The same order is told to it here, per buffer: every holder releases before
// it drops its reference and acquires after, so whoever dropped the last one has seen every
// other holder's accesses before the buffer is reused. Nothing in other builds.
void free_frame(AVFrame* frame) noexcept {
#if defined(__SANITIZE_THREAD__)
  if (!frame) return;
  uint8_t* data[AV_NUM_DATA_POINTERS] = {};
  for (int i = 0; i < AV_NUM_DATA_POINTERS; ++i) {
    if (!frame->buf[i]) continue;
    data[i] = frame->buf[i]->data;
    __tsan_release(data[i]);
  }
  av_frame_free(&frame);
  for (uint8_t* d : data)
    if (d) __tsan_acquire(d);
#else
  av_frame_free(&frame);
#endif
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

std::mutex g_secrets_mutex;
std::vector<std::string> g_secrets;
thread_local std::string t_last_error;
thread_local MessageWatch* t_watch = nullptr;  // set by a MessageWatch on this thread

}  // namespace

void register_secret(const std::string& secret) {
  if (secret.empty()) return;
  std::lock_guard lock(g_secrets_mutex);
  g_secrets.push_back(secret);
}

std::string redact(std::string text) {
  std::lock_guard lock(g_secrets_mutex);
  for (const std::string& secret : g_secrets) {
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 4))
      text.replace(at, secret.size(), "****");
  }
  return text;
}

std::string take_last_error() { return std::exchange(t_last_error, {}); }

void note_watched(const char* text) {
  for (size_t i = 0; i < t_watch->prefixes_.size(); ++i)
    if (std::string_view(text).starts_with(t_watch->prefixes_[i])) t_watch->seen_[i] = true;
}

MessageWatch::MessageWatch(std::vector<std::string> prefixes)
    : prefixes_(std::move(prefixes)), seen_(prefixes_.size(), false) {
  t_watch = this;
}

MessageWatch::~MessageWatch() { t_watch = nullptr; }

namespace {

// FFmpeg's messages are technical detail: they go to our log at a matching level, one line each.
// URLs in them can carry a stream key: registered secrets are masked before anything is kept.
void log_callback(void* avcl, int level, const char* fmt, va_list args) {
  if (level > av_log_get_level()) {
    // Not for the log; a watch on this thread may want to know it was said.
    if (t_watch && level <= AV_LOG_DEBUG) {
      char text[256];
      std::vsnprintf(text, sizeof text, fmt, args);
      note_watched(text);
    }
    return;
  }
  thread_local std::string line;
  char part[1024];
  int print_prefix = 1;
  if (t_watch) {
    va_list copy;
    va_copy(copy, args);
    char text[256];
    std::vsnprintf(text, sizeof text, fmt, copy);
    va_end(copy);
    note_watched(text);
  }
  av_log_format_line2(avcl, level, fmt, args, part, sizeof part, &print_prefix);
  line += part;
  if (line.empty() || line.back() != '\n') return;
  line.pop_back();
  line = redact(std::move(line));
  if (level <= AV_LOG_ERROR) t_last_error = line;
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
    route_device_library_messages();
    avdevice_register_all();
    av_log_set_level(AV_LOG_WARNING);
    av_log_set_callback(log_callback);
  });
}

}  // namespace cunbo::av
