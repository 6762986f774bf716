#include "media/audio_chain.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace cunbo {

namespace {

// The noise reduction's settings when on; off, it reduces by next to nothing (its least) and the
// gate closes by nothing, the graph unchanged.
constexpr const char* kReductionOn = "20";   // dB
constexpr const char* kReductionOff = "0.01";
constexpr const char* kGateRangeOn = "0.03";  // −30 dB in the pauses
constexpr const char* kGateRangeOff = "1";
constexpr double kGateAtDb = -30;  // the gate's own threshold, the highest it may close below

std::string gain_text(double db) {
  return fmt::format("{:.2f}dB", std::clamp(db, AudioChainSettings::kMinGainDb, AudioChainSettings::kMaxGainDb));
}

}  // namespace

AudioChain::AudioChain(int sample_rate, int channels, const AudioChainSettings& settings)
    : sample_rate_(sample_rate),
      channels_(channels),
      settings_(settings),
      in_(av::make_frame()),
      filtered_(av::make_frame()),
      // afftdn (FFmpeg 5.1) works on 50 ms windows and gives each sample back half a window late.
      to_drop_(sample_rate / 40) {}

std::variant<std::unique_ptr<AudioChain>, std::string> AudioChain::open(int sample_rate, int channels,
                                                                        const AudioChainSettings& settings) {
  std::unique_ptr<AudioChain> chain(new AudioChain(sample_rate, channels, settings));
  if (std::string error = chain->build(); !error.empty()) return error;
  return chain;
}

std::string AudioChain::build() {
  graph_.reset(avfilter_graph_alloc());
  if (!graph_) return "out of memory";
  graph_->nb_threads = 1;  // on the audio thread, as the encoder
  AVChannelLayout layout{};
  av_channel_layout_default(&layout, channels_);
  char layout_name[64] = {};
  av_channel_layout_describe(&layout, layout_name, sizeof layout_name);
  av_channel_layout_uninit(&layout);
  const std::string source_args = fmt::format("time_base=1/{0}:sample_rate={0}:sample_fmt=fltp:channel_layout={1}",
                                              sample_rate_, layout_name);
  int err = avfilter_graph_create_filter(&source_, avfilter_get_by_name("abuffer"), "in", source_args.c_str(), nullptr,
                                         graph_.get());
  if (err >= 0)
    err = avfilter_graph_create_filter(&sink_, avfilter_get_by_name("abuffersink"), "out", nullptr, nullptr,
                                       graph_.get());
  if (err < 0) return "cannot make the sound filters: " + av::error_string(err);
  const std::string chain = fmt::format(
      "volume@gain=volume={}:precision=float,"
      "highpass=f=80,"
      "afftdn@denoise=nr={}:nf=-50:tn=1,"
      // agate does not take a new threshold while running (FFmpeg 5.1): its threshold stays at
      // kGateAtDb and the sound is raised into it, and lowered again after, by the floor's distance.
      "volume@gate_in=volume={:.2f}dB:precision=float,"
      "agate@gate=threshold={}:ratio=8:range={}:attack=5:release=250,"
      "volume@gate_out=volume={:.2f}dB:precision=float,"
      "acompressor=threshold=0.35:ratio=2:attack=10:release=200,"
      // Above what AAC keeps, so that its band limit cannot ring the limited peaks over the limit.
      "lowpass=f=14000,"
      "alimiter=limit=0.63:level=0:latency=1,"
      "aformat=sample_fmts=fltp",
      gain_text(settings_.gain_db), settings_.denoise ? kReductionOn : kReductionOff, kGateAtDb - gate_db_,
      std::pow(10.0, kGateAtDb / 20), settings_.denoise ? kGateRangeOn : kGateRangeOff, gate_db_ - kGateAtDb);
  AVFilterInOut* outputs = avfilter_inout_alloc();
  AVFilterInOut* inputs = avfilter_inout_alloc();
  if (!outputs || !inputs) {
    avfilter_inout_free(&outputs);
    avfilter_inout_free(&inputs);
    return "out of memory";
  }
  outputs->name = av_strdup("in");
  outputs->filter_ctx = source_;
  inputs->name = av_strdup("out");
  inputs->filter_ctx = sink_;
  err = avfilter_graph_parse_ptr(graph_.get(), chain.c_str(), &inputs, &outputs, nullptr);
  avfilter_inout_free(&outputs);
  avfilter_inout_free(&inputs);
  if (err >= 0) err = avfilter_graph_config(graph_.get(), nullptr);
  if (err < 0) return "cannot make the sound filters: " + av::error_string(err);
  spdlog::info("[audio-chain] {} Hz {} ch, denoise {}, gain {:+.1f} dB", sample_rate_, channels_,
               settings_.denoise ? "on" : "off", settings_.gain_db);
  return {};
}

void AudioChain::command(const char* target, const char* name, const std::string& value) {
  char response[64] = {};
  if (const int err = avfilter_graph_send_command(graph_.get(), target, name, value.c_str(), response, sizeof response, 0);
      err < 0)
    spdlog::warn("[audio-chain] {} {}={} refused: {}", target, name, value, av::error_string(err));
}

void AudioChain::set(const AudioChainSettings& settings) {
  if (settings == settings_) return;
  if (settings.denoise != settings_.denoise) {
    command("afftdn@denoise", "nr", settings.denoise ? kReductionOn : kReductionOff);
    command("agate@gate", "range", settings.denoise ? kGateRangeOn : kGateRangeOff);
  }
  if (settings.gain_db != settings_.gain_db) command("volume@gain", "volume", gain_text(settings.gain_db));
  settings_ = settings;
  spdlog::info("[audio-chain] denoise {}, gain {:+.1f} dB", settings_.denoise ? "on" : "off", settings_.gain_db);
}

void AudioChain::follow_noise(const float* samples, int count) {
  constexpr double kFloorToGateDb = 8;
  constexpr double kLowestGateDb = -50;
  const int window = sample_rate_ / 50;
  const double gain = std::pow(10.0, settings_.gain_db / 20);
  for (int i = 0; i < count; ++i) {
    const double v = samples[i] * gain;
    window_sum_ += v * v;
    if (++window_count_ < window) continue;
    // Digital silence (what fills a gap before the device delivers) is no room's noise.
    if (const double mean_square = window_sum_ / window_count_; mean_square > 1e-10)
      second_min_ = std::min(second_min_, mean_square);
    window_sum_ = 0;
    window_count_ = 0;
    if (++windows_this_second_ < 50) continue;
    if (second_min_ < 1e9) second_mins_.push_back(second_min_);
    if (second_mins_.size() > 5) second_mins_.erase(second_mins_.begin());
    second_min_ = 1e9;
    windows_this_second_ = 0;
    if (second_mins_.empty()) continue;
    const double floor = *std::min_element(second_mins_.begin(), second_mins_.end());
    const double floor_db = 10 * std::log10(std::max(floor, 1e-12));
    const double gate_db = std::clamp(floor_db + kFloorToGateDb, kLowestGateDb, kGateAtDb);
    if (std::abs(gate_db - gate_db_) >= 1) {
      command("volume@gate_in", "volume", fmt::format("{:.2f}dB", kGateAtDb - gate_db));
      command("volume@gate_out", "volume", fmt::format("{:.2f}dB", gate_db - kGateAtDb));
      command("afftdn@denoise", "nf", fmt::format("{:.1f}", std::clamp(floor_db, -80.0, -20.0)));
      gate_db_ = gate_db;
      spdlog::debug("[audio-chain] noise floor {:.1f} dBFS: the gate closes below {:.1f}", floor_db, gate_db);
    }
  }
}

void AudioChain::process(const float* const* planes, int count, const Output& out) {
  if (flushed_ || count <= 0) return;
  follow_noise(planes[0], count);
  av::Frame frame = av::make_frame();
  frame->format = AV_SAMPLE_FMT_FLTP;
  frame->sample_rate = sample_rate_;
  frame->nb_samples = count;
  av_channel_layout_default(&frame->ch_layout, channels_);
  if (av_frame_get_buffer(frame.get(), 0) < 0) return;
  for (int ch = 0; ch < channels_; ++ch)
    std::memcpy(frame->extended_data[ch], planes[ch], static_cast<size_t>(count) * sizeof(float));
  frame->pts = fed_;
  fed_ += count;
  send(frame.get(), out);
}

void AudioChain::send(const AVFrame* frame, const Output& out) {
  // A frame the graph keeps its own reference to; null: the end.
  if (const int err = av_buffersrc_write_frame(source_, frame); err < 0) {
    spdlog::error("[audio-chain] cannot filter: {}", av::error_string(err));
    return;
  }
  std::array<const float*, AV_NUM_DATA_POINTERS> shifted{};
  while (av_buffersink_get_frame(sink_, filtered_.get()) >= 0) {
    const int skip = static_cast<int>(std::min<int64_t>(to_drop_, filtered_->nb_samples));
    to_drop_ -= skip;
    const int n = static_cast<int>(std::min<int64_t>(filtered_->nb_samples - skip, limit_ - emitted_));
    if (n > 0) {
      for (int ch = 0; ch < std::min(channels_, AV_NUM_DATA_POINTERS); ++ch)
        shifted[static_cast<size_t>(ch)] = reinterpret_cast<const float*>(filtered_->extended_data[ch]) + skip;
      out(shifted.data(), n);
      emitted_ += n;
    }
    av_frame_unref(filtered_.get());
  }
}

void AudioChain::flush(const Output& out) {
  if (flushed_) return;
  // The delay's worth of silence pushes the last of the sound out; only as much comes back as went in.
  limit_ = fed_;
  const int tail = sample_rate_ / 40 + 1024;
  std::vector<float> zeros(static_cast<size_t>(tail), 0.0f);
  std::vector<const float*> planes(static_cast<size_t>(channels_), zeros.data());
  process(planes.data(), tail, out);
  send(nullptr, out);
  flushed_ = true;
}

}  // namespace cunbo
