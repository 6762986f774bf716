#include "media/capture_source.h"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "media/thread_name.h"
#include "media/utf8_path.h"

namespace cunbo {

struct CaptureSource::Decoder {
  MediaKind kind = MediaKind::video;
  av::CodecContext context;
  int stream_index = -1;
  AVRational time_base{1, 1};
  int64_t nominal_frame_us = 0;  // video: 1/frame rate, used when a frame has no duration
};

struct CaptureSource::Input {
  av::InputFormat format;
  std::vector<Decoder> decoders;  // the video's first, when there is one

  [[nodiscard]] Decoder* decoder_for(int stream_index) {
    for (Decoder& d : decoders)
      if (d.stream_index == stream_index) return &d;
    return nullptr;
  }
};

namespace {

constexpr int64_t kReopenIntervalUs = 1'000'000;
constexpr int64_t kIdleTickUs = 100'000;
constexpr int64_t kMaxPacingLagUs = 500'000;
// A network camera that goes silent without closing (Wi-Fi gone, battery flat) is said lost
// after this long, instead of a read waiting for ever; a connect nobody answers gives up too.
// A refused connect (the phone's app closed) fails at once.
constexpr int64_t kNetworkTimeoutUs = 3'000'000;

int interrupt_callback(void* opaque) { return static_cast<std::atomic<bool>*>(opaque)->load() ? 1 : 0; }

CaptureError error_from(int err, const std::string& what, const std::string& detail) {
  CaptureError e;
  e.what = what;
  e.detail = detail + ": " + av::error_string(err);
  if (err == AVERROR(ENOENT) || err == AVERROR(ENODEV) || err == AVERROR(ENXIO)) e.code = CaptureError::Code::not_found;
  else if (err == AVERROR(EACCES) || err == AVERROR(EPERM)) e.code = CaptureError::Code::permission_denied;
  else if (err == AVERROR(EBUSY)) e.code = CaptureError::Code::busy;
  else if (err == AVERROR_INVALIDDATA) e.code = CaptureError::Code::unreadable;
  else e.code = CaptureError::Code::other;
  return e;
}

std::string test_generator(const CaptureOptions& o) {
  if (o.kind == MediaKind::video)
    return fmt::format("testsrc2=size={}x{}:rate={},format=yuv420p", o.width, o.height, o.fps);
  return fmt::format("sine=frequency=1000:sample_rate={}", o.sample_rate);
}

// Demuxer options to try in order: a camera is first asked for MJPEG at the output size (what
// USB webcams deliver fastest), then left to its own default format (YUYV on most).
std::vector<std::vector<std::pair<std::string, std::string>>> open_attempts(const CaptureOptions& o) {
  const SourceSpec& s = o.spec;
  if (s.input_format == "v4l2") {
    std::string size = fmt::format("{}x{}", o.width, o.height);
    std::string rate = std::to_string(o.fps);
    return {{{"input_format", "mjpeg"}, {"video_size", size}, {"framerate", rate}},
            {{"video_size", size}, {"framerate", rate}},
            {}};
  }
  if (s.input_format == "pulse" || s.input_format == "alsa") {
    return {{{"sample_rate", std::to_string(o.sample_rate)}, {"channels", "2"}}, {}};
  }
  if (s.network) {
    // rw_timeout is every protocol's; "timeout" is TCP's own, and bounds its connect.
    const std::string timeout = std::to_string(kNetworkTimeoutUs);
    return {{{"rw_timeout", timeout}, {"timeout", timeout}}};
  }
  return {{}};
}

}  // namespace

CaptureSource::CaptureSource(CaptureOptions options, const SessionClock& clock)
    : options_(std::move(options)), clock_(clock) {}

CaptureSource::~CaptureSource() {
  request_stop();
  join();
}

std::variant<std::unique_ptr<CaptureSource>, CaptureError> CaptureSource::open(const CaptureOptions& options,
                                                                              const SessionClock& clock) {
  av::initialise();
  std::unique_ptr<CaptureSource> source(new CaptureSource(options, clock));
  // A device library's own threads (PulseAudio's mainloop) start here: named after the source.
  const ThreadNameScope scope(options.with_audio ? "capture av"
                              : options.kind == MediaKind::video ? "capture video" : "capture audio");
  auto opened = open_input(source->options_, &source->stop_flag_);
  if (auto* err = std::get_if<CaptureError>(&opened)) {
    const SourceSpec& s = options.spec;
    const bool waitable = s.kind == SourceSpec::Kind::device || s.network;
    if (!options.keep_trying || !waitable || err->code == CaptureError::Code::unsupported_device) return *err;
    spdlog::warn("[capture] cannot open {} ({}); trying every {} s", s.text, err->detail, kReopenIntervalUs / 1'000'000);
    source->lost_.store(true);
    source->unopened_ = std::move(*err);
    return source;
  }
  source->input_ = std::move(std::get<std::unique_ptr<Input>>(opened));
  const Decoder& first = source->input_->decoders.front();
  if (first.kind == MediaKind::video && first.context->colorspace == AVCOL_SPC_BT709)
    source->colorspace_ = AVCOL_SPC_BT709;
  return source;
}

std::variant<std::unique_ptr<CaptureSource::Input>, CaptureError> CaptureSource::open_input(
    const CaptureOptions& o, std::atomic<bool>* stop_flag) {
  const SourceSpec& s = o.spec;
  std::vector<MediaKind> kinds{o.kind};
  if (o.with_audio && o.kind == MediaKind::video) kinds.push_back(MediaKind::audio);
  std::string url = s.url;
  const AVInputFormat* input_format = nullptr;

  if (s.network) {
    url = s.url;  // opened as given; every wait in it is cut short by the stop flag
  } else if (s.kind == SourceSpec::Kind::file) {
    // Check the file ourselves first: "not found" and "no permission" read better than
    // whatever the demuxer makes of them.
    const std::filesystem::path path = utf8_path(s.url);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return error_from(AVERROR(ENOENT), s.url, "file");
    if (!std::ifstream(path, std::ios::binary)) return error_from(AVERROR(EACCES), s.url, "file");
    url = "file:" + s.url;
  } else if (s.kind == SourceSpec::Kind::test) {
    url = test_generator(o);
  }
  if (!s.input_format.empty()) {
    input_format = av_find_input_format(s.input_format.c_str());
    if (!input_format) {
      CaptureError e;
      e.code = CaptureError::Code::unsupported_device;
      e.what = s.text;
      e.detail = "FFmpeg has no input device '" + s.input_format + "' in this build";
      return e;
    }
  }

  int last_err = 0;
  for (const auto& attempt : open_attempts(o)) {
    av::Dictionary opts;
    for (const auto& [key, value] : attempt) opts.set(key, value);
    AVFormatContext* raw = avformat_alloc_context();
    raw->interrupt_callback = {interrupt_callback, stop_flag};
    int err = avformat_open_input(&raw, url.c_str(), input_format, opts.address());
    if (err < 0) {  // avformat_open_input frees the context on failure
      last_err = err;
      spdlog::debug("[capture] open {} with {} option(s) failed: {}", s.text, attempt.size(), av::error_string(err));
      continue;
    }
    av::InputFormat format(raw);
    if (s.kind != SourceSpec::Kind::device) {
      if ((err = avformat_find_stream_info(format.get(), nullptr)) < 0)
        return error_from(err, s.text, "reading stream info");
    }
    auto input = std::make_unique<CaptureSource::Input>();
    for (const MediaKind kind : kinds) {
      const bool video = kind == MediaKind::video;
      const AVCodec* codec = nullptr;
      const int index =
          av_find_best_stream(format.get(), video ? AVMEDIA_TYPE_VIDEO : AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
      if (index < 0 || !codec) {
        CaptureError e;
        e.code = CaptureError::Code::no_stream;
        e.what = s.text;
        e.detail = index < 0 ? "no such stream" : "no decoder for the stream";
        e.stream = kind;
        return e;
      }
      AVStream* stream = format->streams[index];
      av::CodecContext context(avcodec_alloc_context3(codec));
      if ((err = avcodec_parameters_to_context(context.get(), stream->codecpar)) < 0)
        return error_from(err, s.text, "decoder parameters");
      context->thread_count = 1;  // frame threading would add a frame of latency per thread
      context->pkt_timebase = stream->time_base;
      if ((err = avcodec_open2(context.get(), codec, nullptr)) < 0) return error_from(err, s.text, "opening decoder");
      spdlog::info("[capture] opened {} ({} {}, {})", s.text, video ? "video" : "audio", codec->name,
                   video ? fmt::format("{}x{}", context->width, context->height)
                         : fmt::format("{} Hz", context->sample_rate));
      const AVRational rate = stream->avg_frame_rate.num > 0 ? stream->avg_frame_rate : stream->r_frame_rate;
      input->decoders.push_back(Decoder{kind, std::move(context), index, stream->time_base,
                                        rate.num > 0 ? av_rescale(1'000'000, rate.den, rate.num) : 1'000'000 / o.fps});
    }
    input->format = std::move(format);
    for (unsigned i = 0; i < input->format->nb_streams; ++i)
      if (!input->decoder_for(static_cast<int>(i))) input->format->streams[i]->discard = AVDISCARD_ALL;
    return input;
  }
  return error_from(last_err, s.kind == SourceSpec::Kind::file ? s.url : s.text, "opening input");
}

void CaptureSource::start(FrameSink& sink, FrameSink* audio_sink) {
  sinks_[static_cast<int>(options_.kind)] = &sink;
  if (options_.with_audio) sinks_[static_cast<int>(MediaKind::audio)] = audio_sink;
  thread_ = std::jthread([this](std::stop_token stop) {
    name_this_thread(options_.with_audio ? "capture av" : options_.kind == MediaKind::video ? "capture video"
                                                                                         : "capture audio");
    run(stop);
  });
}

void CaptureSource::request_stop() {
  stop_flag_.store(true);
  thread_.request_stop();
  wake_.notify_all();
}

void CaptureSource::join() {
  if (thread_.joinable()) thread_.join();
}

bool CaptureSource::sleep_until_us(std::stop_token stop, int64_t deadline_us) {
  std::unique_lock lock(mutex_);
  wake_.wait_until(lock, stop, clock_.at_us(deadline_us), [] { return false; });
  return !stop.stop_requested();
}

std::optional<CaptureError> CaptureSource::unopened() const {
  const std::lock_guard lock(mutex_);
  return unopened_;
}

void CaptureSource::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    // Not open yet (a device waited for from the start) or open and read until it ends.
    if (input_) {
      if (read_loop(stop) || stop.stop_requested()) break;
      // The device went away (unplugged, driver error): keep the rest of the session going and
      // try to reopen it every second.
      lost_.store(true);
      spdlog::warn("[capture] {} lost; reopening every {} s", options_.spec.text, kReopenIntervalUs / 1'000'000);
      input_.reset();
    }
    int64_t next_try = clock_.now_us() + kReopenIntervalUs;
    while (!stop.stop_requested()) {
      for (FrameSink* sink : sinks_)
        if (sink) sink->on_idle(clock_.now_us());
      if (clock_.now_us() >= next_try) {
        auto opened = open_input(options_, &stop_flag_);
        if (auto* in = std::get_if<std::unique_ptr<Input>>(&opened)) {
          input_ = std::move(*in);
          pace_origin_us_ = -1;
          loop_offset_us_ = 0;
          {
            const std::lock_guard lock(mutex_);
            unopened_.reset();
          }
          lost_.store(false);
          spdlog::info("[capture] {} is back", options_.spec.text);
          break;
        }
        {
          const std::lock_guard lock(mutex_);
          if (unopened_) unopened_ = std::get<CaptureError>(std::move(opened));  // the reason of the moment
        }
        next_try = clock_.now_us() + kReopenIntervalUs;
      }
      sleep_until_us(stop, clock_.now_us() + kIdleTickUs);
    }
  }
}

bool CaptureSource::drain(std::stop_token stop, Decoder& decoder, AVFrame& frame) {
  for (;;) {
    int err = avcodec_receive_frame(decoder.context.get(), &frame);
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return true;
    if (err < 0) {
      spdlog::warn("[capture] {}: decode error: {}", options_.spec.text, av::error_string(err));
      return true;  // one broken frame is skipped, not fatal
    }
    bool keep_going = deliver(stop, decoder, frame);
    av_frame_unref(&frame);
    if (!keep_going) return false;
  }
}

bool CaptureSource::read_loop(std::stop_token stop) {
  Input& in = *input_;
  av::Packet packet = av::make_packet();
  av::Frame frame = av::make_frame();

  while (!stop.stop_requested()) {
    int err = av_read_frame(in.format.get(), packet.get());
    if (err == AVERROR(EAGAIN)) {
      if (!sleep_until_us(stop, clock_.now_us() + 5'000)) return true;
      continue;
    }
    if (err == AVERROR_EOF && options_.spec.loop) {
      // End of a file: flush the decoders, then start over, continuing the timeline seamlessly.
      for (Decoder& decoder : in.decoders) {
        avcodec_send_packet(decoder.context.get(), nullptr);
        if (!drain(stop, decoder, *frame)) return true;
        avcodec_flush_buffers(decoder.context.get());
      }
      loop_offset_us_ += media_end_us_ - pace_first_pts_us_;
      media_end_us_ = pace_first_pts_us_;
      err = avformat_seek_file(in.format.get(), -1, INT64_MIN, 0, INT64_MAX, 0);
      if (err < 0) {
        spdlog::error("[capture] {}: cannot loop (seek failed: {})", options_.spec.text, av::error_string(err));
        return false;
      }
      continue;
    }
    if (err < 0) {
      if (stop.stop_requested() || err == AVERROR_EXIT) return true;
      spdlog::warn("[capture] {}: read failed: {}", options_.spec.text, av::error_string(err));
      return false;
    }
    if (Decoder* decoder = in.decoder_for(packet->stream_index)) {
      err = avcodec_send_packet(decoder->context.get(), packet.get());
      if (err < 0 && err != AVERROR(EAGAIN))
        spdlog::warn("[capture] {}: decode error: {}", options_.spec.text, av::error_string(err));
      if (!drain(stop, *decoder, *frame)) return true;
    }
    av_packet_unref(packet.get());
  }
  return true;
}

bool CaptureSource::deliver(std::stop_token stop, Decoder& decoder, AVFrame& frame) {
  const bool audio = decoder.kind == MediaKind::audio;
  int64_t duration_us = 0;
  if (audio && frame.sample_rate > 0) duration_us = av_rescale(frame.nb_samples, 1'000'000, frame.sample_rate);
  else if (frame.pkt_duration > 0) duration_us = av_rescale_q(frame.pkt_duration, decoder.time_base, AVRational{1, 1'000'000});
  else duration_us = decoder.nominal_frame_us;

  int64_t capture_us = 0;
  if (options_.spec.realtime_pacing) {
    int64_t media_us = media_end_us_;
    if (frame.best_effort_timestamp != AV_NOPTS_VALUE)
      media_us = av_rescale_q(frame.best_effort_timestamp, decoder.time_base, AVRational{1, 1'000'000});
    if (pace_origin_us_ < 0) {
      pace_origin_us_ = clock_.now_us();
      pace_first_pts_us_ = media_us;
      media_end_us_ = media_us;
    }
    capture_us = pace_origin_us_ + (media_us - pace_first_pts_us_) + loop_offset_us_;
    int64_t now = clock_.now_us();
    if (now - capture_us > kMaxPacingLagUs) {  // we were held up: re-anchor rather than burst
      pace_origin_us_ += now - capture_us;
      capture_us = now;
    }
    if (capture_us > now && !sleep_until_us(stop, capture_us)) return false;
    media_end_us_ = std::max(media_end_us_, media_us + duration_us);
  } else {
    // A device hands over a buffer once it is full: its first sample is one duration old.
    capture_us = clock_.now_us() - (audio ? duration_us : 0);
  }
  if (decoder.kind == options_.kind) frames_.fetch_add(1);
  FrameSink* sink = sinks_[static_cast<int>(decoder.kind)];
  if (sink) sink->push_frame(frame, capture_us);
  return true;
}

}  // namespace cunbo
