// The one place that includes FFmpeg's C headers, and the owning handles for its objects.
// Business code never calls av_*_free directly: every handle lives in one of these.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavdevice/avdevice.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libavutil/sha.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

namespace cunbo::av {

// AVERROR → text (av_err2str is a C compound-literal macro that does not compile in C++).
std::string error_string(int errnum);

// Frees the frame's references (see free_frame).
void free_frame(AVFrame* frame) noexcept;
struct FrameDeleter { void operator()(AVFrame* f) const noexcept { free_frame(f); } };
struct PacketDeleter { void operator()(AVPacket* p) const noexcept { av_packet_free(&p); } };
struct CodecContextDeleter { void operator()(AVCodecContext* c) const noexcept { avcodec_free_context(&c); } };
struct SwsDeleter { void operator()(SwsContext* s) const noexcept { sws_freeContext(s); } };
struct SwrDeleter { void operator()(SwrContext* s) const noexcept { swr_free(&s); } };
struct AudioFifoDeleter { void operator()(AVAudioFifo* f) const noexcept { av_audio_fifo_free(f); } };
struct FilterGraphDeleter { void operator()(AVFilterGraph* g) const noexcept { avfilter_graph_free(&g); } };
struct FilterInOutDeleter { void operator()(AVFilterInOut* io) const noexcept { avfilter_inout_free(&io); } };
struct InputFormatDeleter { void operator()(AVFormatContext* f) const noexcept { avformat_close_input(&f); } };
// An output context owns its AVIOContext unless the muxer has AVFMT_NOFILE.
struct OutputFormatDeleter {
  void operator()(AVFormatContext* f) const noexcept {
    if (f->oformat && !(f->oformat->flags & AVFMT_NOFILE)) avio_closep(&f->pb);
    avformat_free_context(f);
  }
};

using Frame = std::unique_ptr<AVFrame, FrameDeleter>;
using Packet = std::unique_ptr<AVPacket, PacketDeleter>;
using CodecContext = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using Sws = std::unique_ptr<SwsContext, SwsDeleter>;
using Swr = std::unique_ptr<SwrContext, SwrDeleter>;
using AudioFifo = std::unique_ptr<AVAudioFifo, AudioFifoDeleter>;
using FilterGraph = std::unique_ptr<AVFilterGraph, FilterGraphDeleter>;  // owns its filters
using FilterInOut = std::unique_ptr<AVFilterInOut, FilterInOutDeleter>;
using InputFormat = std::unique_ptr<AVFormatContext, InputFormatDeleter>;
using OutputFormat = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;

// Options handed to FFmpeg; whatever FFmpeg leaves unconsumed is freed with it.
class Dictionary {
 public:
  Dictionary() = default;
  ~Dictionary() { av_dict_free(&dict_); }
  Dictionary(const Dictionary&) = delete;
  Dictionary& operator=(const Dictionary&) = delete;
  void set(const std::string& key, const std::string& value) { av_dict_set(&dict_, key.c_str(), value.c_str(), 0); }
  [[nodiscard]] AVDictionary** address() { return &dict_; }

 private:
  AVDictionary* dict_ = nullptr;
};

[[nodiscard]] inline Frame make_frame() { return Frame(av_frame_alloc()); }
[[nodiscard]] inline Packet make_packet() { return Packet(av_packet_alloc()); }

// A new reference to the same frame / packet data (no copy).
[[nodiscard]] Frame ref_frame(const AVFrame* src);
[[nodiscard]] Packet ref_packet(const AVPacket* src);

// Registers devices and routes FFmpeg's own log into ours. Idempotent, thread-safe.
void initialise();

// A secret (stream key, token) that must never reach a log: every FFmpeg log line has it
// replaced by **** before it is written. Thread-safe.
void register_secret(const std::string& secret);
// Replaces every registered secret in `text` by ****.
[[nodiscard]] std::string redact(std::string text);
// The last error-level line FFmpeg logged on this thread (redacted), and clears it. Lets an
// output tell a TLS failure or a server's refusal apart from a plain network error.
[[nodiscard]] std::string take_last_error();

// Which steps of a protocol FFmpeg reached, and what it said on the way: while a watch lives,
// every message on this thread is looked at, those below the log level too (not logged), and
// seen(i) says whether one began with prefixes[i] (e.g. "Handshaking...": the TLS layer under
// RTMPS was up; "Sending publish command": the RTMP handshake and connect went through and the
// publish was sent; "Peer certificate failed verification": GnuTLS refused the server). One
// watch per thread at a time.
class MessageWatch {
 public:
  explicit MessageWatch(std::vector<std::string> prefixes);
  ~MessageWatch();
  MessageWatch(const MessageWatch&) = delete;
  MessageWatch& operator=(const MessageWatch&) = delete;
  [[nodiscard]] bool seen(size_t i) const { return seen_.at(i); }

 private:
  friend void note_watched(const char* text);
  std::vector<std::string> prefixes_;
  std::vector<bool> seen_;
};

}  // namespace cunbo::av
