// The audio path: whatever the source delivers is resampled to 48 kHz stereo, laid on a
// gap-free timeline (AudioTimeline), cleaned (AudioChain, when asked for: every sample laid,
// silence included, goes through it in order), cut into AAC's frame size through an audio FIFO
// and encoded (AAC-LC). Runs on the capture thread that pushes the frames (a pure transform);
// the session thread only sets the end and finishes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

#include "media/audio_chain.h"
#include "media/audio_level.h"
#include "media/audio_timeline.h"
#include "media/av.h"
#include "media/encoder_settings.h"
#include "media/frame_sink.h"
#include "media/packet_sink.h"

namespace cunbo {

class AudioEncoder final : public FrameSink {
 public:
  // `chain`: the clean-sound filters' settings; nullopt: the sound as captured.
  [[nodiscard]] static std::variant<std::unique_ptr<AudioEncoder>, std::string> open(
      const AudioSettings& settings, int stream_index, const std::optional<AudioChainSettings>& chain = std::nullopt);
  ~AudioEncoder() override;

  // Where packets go. Set before the source starts.
  void connect(PacketSink& sink) { sink_ = &sink; }

  void push_frame(const AVFrame& frame, int64_t capture_us) override;
  void on_idle(int64_t now_us) override;

  // Sample 0 is session time `origin_us` (the video's tick 0); input before it is discarded.
  void set_origin(int64_t origin_us);
  // No sample at or after `end_us` is encoded. Once the input has reached it the encoder is
  // flushed and wait_finished() returns true.
  void set_end(int64_t end_us);
  // 降噪 and the mic gain, live (thread-safe); no-op without a chain.
  void set_chain(const AudioChainSettings& settings);
  [[nodiscard]] bool wait_finished(std::chrono::steady_clock::time_point deadline);
  // Completes the audio up to the end with silence (the source fell short) and flushes.
  void finish();

  [[nodiscard]] EncodedStream stream() const { return {params_.get(), context_->time_base, AVRational{0, 1}}; }
  [[nodiscard]] int64_t samples_encoded() const;
  // How loud the input is (every frame pushed is measured, before the origin too).
  [[nodiscard]] const AudioLevelMeter& level() const { return level_; }

 private:
  struct ParamsDeleter { void operator()(AVCodecParameters* p) const noexcept { avcodec_parameters_free(&p); } };
  AudioEncoder(const AudioSettings& settings, av::CodecContext context, int stream_index);

  // All below run with mutex_ held.
  bool configure_resampler(const AVFrame& frame);
  void write_silence(int64_t samples);
  // Lays samples on the timeline: through the chain (when there is one) into the FIFO.
  void lay(const float* const* planes, int count);
  void write_fifo(const float* const* planes, int count);
  void encode_ready(bool final);
  void drain();
  void finish_locked();

  AudioSettings settings_;
  av::CodecContext context_;
  std::unique_ptr<AVCodecParameters, ParamsDeleter> params_;
  int stream_index_;
  PacketSink* sink_ = nullptr;
  AudioLevelMeter level_;  // thread-safe on its own

  mutable std::mutex mutex_;
  std::condition_variable finished_cv_;
  AudioTimeline timeline_;
  av::Swr swr_;
  int swr_in_rate_ = 0;
  int swr_in_format_ = -1;
  AVChannelLayout swr_in_layout_{};
  std::unique_ptr<AudioChain> chain_;
  av::AudioFifo fifo_;
  av::Frame frame_;     // one AAC frame's worth, reused
  av::Packet packet_;
  int64_t written_ = 0;  // samples laid on the timeline (FIFO input), silence included
  int64_t encoded_ = 0;  // samples handed to the encoder
  int64_t end_samples_ = std::numeric_limits<int64_t>::max();
  int64_t origin_us_ = 0;
  bool started_ = false;  // origin set
  bool finished_ = false;
};

}  // namespace cunbo
