#include "media/audio_encoder.h"

#include <algorithm>
#include <array>
#include <vector>

#include <spdlog/spdlog.h>

namespace cunbo {

AudioEncoder::AudioEncoder(const AudioSettings& settings, av::CodecContext context, int stream_index)
    : settings_(settings),
      context_(std::move(context)),
      params_(avcodec_parameters_alloc()),
      stream_index_(stream_index),
      timeline_(settings.sample_rate),
      fifo_(av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, settings.channels, settings.sample_rate)),
      frame_(av::make_frame()),
      packet_(av::make_packet()) {
  avcodec_parameters_from_context(params_.get(), context_.get());
  frame_->format = AV_SAMPLE_FMT_FLTP;
  frame_->sample_rate = settings.sample_rate;
  frame_->nb_samples = context_->frame_size;
  av_channel_layout_copy(&frame_->ch_layout, &context_->ch_layout);
  if (av_frame_get_buffer(frame_.get(), 0) < 0) throw std::bad_alloc();
}

AudioEncoder::~AudioEncoder() { av_channel_layout_uninit(&swr_in_layout_); }

std::variant<std::unique_ptr<AudioEncoder>, std::string> AudioEncoder::open(
    const AudioSettings& s, int stream_index, const std::optional<AudioChainSettings>& chain) {
  av::initialise();
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
  if (!codec) return std::string("this FFmpeg has no AAC encoder");
  av::CodecContext c(avcodec_alloc_context3(codec));
  c->sample_fmt = AV_SAMPLE_FMT_FLTP;
  c->sample_rate = s.sample_rate;
  av_channel_layout_default(&c->ch_layout, s.channels);
  c->bit_rate = int64_t{s.bitrate_kbps} * 1000;
  c->profile = FF_PROFILE_AAC_LOW;
  c->time_base = AVRational{1, s.sample_rate};
  c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  int err = avcodec_open2(c.get(), codec, nullptr);
  if (err < 0) return "cannot open the AAC encoder: " + av::error_string(err);
  std::unique_ptr<AudioChain> filters;
  if (chain) {
    auto made = AudioChain::open(s.sample_rate, s.channels, *chain);
    if (auto* error = std::get_if<std::string>(&made)) return *error;
    filters = std::move(std::get<std::unique_ptr<AudioChain>>(made));
  }
  spdlog::info("[audio-encoder] AAC-LC {} Hz {} ch {} kbit/s", s.sample_rate, s.channels, s.bitrate_kbps);
  std::unique_ptr<AudioEncoder> encoder(new AudioEncoder(s, std::move(c), stream_index));
  encoder->chain_ = std::move(filters);
  return encoder;
}

bool AudioEncoder::configure_resampler(const AVFrame& in) {
  if (swr_ && in.sample_rate == swr_in_rate_ && in.format == swr_in_format_ &&
      av_channel_layout_compare(&in.ch_layout, &swr_in_layout_) == 0)
    return true;
  SwrContext* raw = nullptr;
  AVChannelLayout in_layout{};
  if (in.ch_layout.nb_channels > 0) av_channel_layout_copy(&in_layout, &in.ch_layout);
  else av_channel_layout_default(&in_layout, 1);
  if (in_layout.order == AV_CHANNEL_ORDER_UNSPEC) av_channel_layout_default(&in_layout, in_layout.nb_channels);
  int err = swr_alloc_set_opts2(&raw, &context_->ch_layout, AV_SAMPLE_FMT_FLTP, settings_.sample_rate, &in_layout,
                                static_cast<AVSampleFormat>(in.format), in.sample_rate, 0, nullptr);
  av::Swr swr(raw);
  if (err >= 0) err = swr_init(swr.get());
  av_channel_layout_uninit(&in_layout);
  if (err < 0) {
    spdlog::error("[audio-encoder] cannot resample {} Hz {}: {}", in.sample_rate,
                  av_get_sample_fmt_name(static_cast<AVSampleFormat>(in.format)), av::error_string(err));
    return false;
  }
  swr_ = std::move(swr);
  swr_in_rate_ = in.sample_rate;
  swr_in_format_ = in.format;
  av_channel_layout_uninit(&swr_in_layout_);
  av_channel_layout_copy(&swr_in_layout_, &in.ch_layout);
  return true;
}

void AudioEncoder::push_frame(const AVFrame& in, int64_t capture_us) {
  level_.measure(in, capture_us);
  std::lock_guard lock(mutex_);
  if (!started_ || finished_ || in.nb_samples <= 0 || !configure_resampler(in)) return;

  const int64_t count = av_rescale(in.nb_samples, settings_.sample_rate, in.sample_rate);
  const AudioTimeline::Plan plan = timeline_.on_input(capture_us - origin_us_, count, written_);
  if (plan.silence_before > 0) write_silence(plan.silence_before);
  if (plan.compensation != 0 &&
      swr_set_compensation(swr_.get(), static_cast<int>(plan.compensation),
                           static_cast<int>(plan.compensation_distance)) < 0)
    spdlog::debug("[audio-encoder] drift compensation refused");

  const int capacity = swr_get_out_samples(swr_.get(), in.nb_samples);
  if (capacity <= 0) return;
  uint8_t** out = nullptr;
  if (av_samples_alloc_array_and_samples(&out, nullptr, settings_.channels, capacity, AV_SAMPLE_FMT_FLTP, 0) < 0) return;
  int converted = swr_convert(swr_.get(), out, capacity, const_cast<const uint8_t**>(in.extended_data), in.nb_samples);
  if (converted > 0) {
    int skip = static_cast<int>(std::min<int64_t>(plan.skip, converted));
    if (skip < converted) {
      std::vector<const float*> planes(static_cast<size_t>(settings_.channels));
      for (int ch = 0; ch < settings_.channels; ++ch)
        planes[static_cast<size_t>(ch)] = reinterpret_cast<const float*>(out[ch]) + skip;
      lay(planes.data(), converted - skip);
    }
  }
  av_freep(&out[0]);
  av_freep(&out);
  encode_ready(false);
}

void AudioEncoder::on_idle(int64_t now_us) {
  std::lock_guard lock(mutex_);
  if (!started_ || finished_) return;
  // No input for a while (device lost): keep the audio continuous so outputs and the
  // recording never wait on it. Stay a gap's length behind so a returning device joins cleanly.
  const int64_t target = timeline_.samples_at(now_us - origin_us_ - AudioTimeline::kGapUs);
  if (target > written_) write_silence(target - written_);
  encode_ready(false);
}

void AudioEncoder::write_silence(int64_t samples) {
  std::vector<float> zeros(static_cast<size_t>(std::min<int64_t>(samples, 4096)), 0.0f);
  std::vector<const float*> planes(static_cast<size_t>(settings_.channels), zeros.data());
  while (samples > 0) {
    const int n = static_cast<int>(std::min<int64_t>(samples, static_cast<int64_t>(zeros.size())));
    lay(planes.data(), n);
    samples -= n;
  }
}

void AudioEncoder::lay(const float* const* planes, int count) {
  written_ += count;
  if (chain_) chain_->process(planes, count, [this](const float* const* p, int n) { write_fifo(p, n); });
  else write_fifo(planes, count);
}

void AudioEncoder::write_fifo(const float* const* planes, int count) {
  // av_audio_fifo_write takes the planes as void**; it only reads them.
  std::array<void*, AV_NUM_DATA_POINTERS> writable{};  // no allocation per write: the audio thread's path
  for (int ch = 0; ch < std::min(settings_.channels, AV_NUM_DATA_POINTERS); ++ch)
    writable[static_cast<size_t>(ch)] = const_cast<float*>(planes[ch]);  // NOLINT: read only
  av_audio_fifo_write(fifo_.get(), writable.data(), count);
}

void AudioEncoder::set_chain(const AudioChainSettings& settings) {
  std::lock_guard lock(mutex_);
  if (chain_) chain_->set(settings);
}

void AudioEncoder::encode_ready(bool final) {
  const int frame_size = context_->frame_size;
  // The chain holds back its delay's worth: at the end, out with it.
  if (chain_ && (final || written_ >= end_samples_))
    chain_->flush([this](const float* const* p, int n) { write_fifo(p, n); });
  while (!finished_) {
    const int64_t until_end = end_samples_ - encoded_;
    const int available = av_audio_fifo_size(fifo_.get());
    int n = static_cast<int>(std::min<int64_t>(frame_size, until_end));
    if (n <= 0) {  // reached the end
      finish_locked();
      return;
    }
    if (available < n) {
      if (!final || available == 0) return;
      n = available;  // the last, short frame (the AAC encoder accepts one)
    }
    if (av_frame_make_writable(frame_.get()) < 0) return;
    frame_->nb_samples = n;
    av_audio_fifo_read(fifo_.get(), reinterpret_cast<void**>(frame_->data), n);
    frame_->pts = encoded_;
    encoded_ += n;
    int err = avcodec_send_frame(context_.get(), frame_.get());
    frame_->nb_samples = frame_size;
    if (err < 0) {
      spdlog::error("[audio-encoder] send_frame failed: {}", av::error_string(err));
      return;
    }
    drain();
    if (n < frame_size) {  // a short frame must be the last one
      finish_locked();
      return;
    }
  }
}

void AudioEncoder::drain() {
  for (;;) {
    int err = avcodec_receive_packet(context_.get(), packet_.get());
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return;
    if (err < 0) {
      spdlog::error("[audio-encoder] receive_packet failed: {}", av::error_string(err));
      return;
    }
    packet_->stream_index = stream_index_;
    packet_->time_base = context_->time_base;
    if (sink_) sink_->push(*packet_);
    av_packet_unref(packet_.get());
  }
}

void AudioEncoder::finish_locked() {
  if (finished_) return;
  finished_ = true;
  if (avcodec_send_frame(context_.get(), nullptr) >= 0) drain();
  finished_cv_.notify_all();
}

void AudioEncoder::set_origin(int64_t origin_us) {
  std::lock_guard lock(mutex_);
  origin_us_ = origin_us;
  started_ = true;
}

void AudioEncoder::set_end(int64_t end_us) {
  std::lock_guard lock(mutex_);
  end_samples_ = timeline_.samples_at(end_us - origin_us_);
  encode_ready(false);
}

bool AudioEncoder::wait_finished(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return finished_cv_.wait_until(lock, deadline, [this] { return finished_; });
}

void AudioEncoder::finish() {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  if (end_samples_ != std::numeric_limits<int64_t>::max() && written_ < end_samples_)
    write_silence(end_samples_ - written_);
  encode_ready(true);
  finish_locked();
}

int64_t AudioEncoder::samples_encoded() const {
  std::lock_guard lock(mutex_);
  return encoded_;
}

}  // namespace cunbo
