// H.264 through libavcodec/libx264 with the platform defaults (DESIGN.md): High, yuv420p,
// keyframe every 2 s, no B-frames, CBR-like VBV, tune=zerolatency. Pure transform: runs on the
// video thread. Packets go to a PacketSink with `stream_index` set and pts/dts in 1/fps.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <variant>

#include "media/av.h"
#include "media/encoder_fault_seam.h"
#include "media/encoder_settings.h"
#include "media/packet_sink.h"

namespace cunbo {

class VideoEncoder {
 public:
  [[nodiscard]] static std::variant<std::unique_ptr<VideoEncoder>, std::string> open(const VideoSettings& settings,
                                                                                     AVColorSpace colorspace,
                                                                                     int stream_index);

  // Encodes one output frame (pts in 1/fps) and hands every finished packet to `sink`.
  // An encoder that fails is reopened with the same settings and headers and given the frame
  // again, which it makes a keyframe, so the outputs and the recording carry on (restarts()
  // counts it). Returns false when that is not possible, or it fails again within
  // kRestartSpacingS: the encoder is then failed() for good (logged).
  bool encode(AVFrame& frame, PacketSink& sink);
  // Drains the encoder at the end of the session.
  void flush(PacketSink& sink);

  // Thread-safe: the next frame becomes an IDR keyframe (a reconnecting output needs one).
  void request_keyframe() { keyframe_requested_.store(true); }

  // Thread-safe: the bitrate (and VBV, 1 s of it) from the next frame on. libx264 takes the
  // change between frames without a new keyframe; resolution never changes.
  void set_bitrate_kbps(int kbps) { requested_kbps_.store(kbps); }
  [[nodiscard]] int bitrate_kbps() const { return requested_kbps_.load(); }

  // Thread-safe: encode `share` of every kFrameShares frames from the next one on, spread evenly
  // (BitrateController's frame-rate ladder: 6 = all, 4 = 20 of 30 fps, 3 = 15); the others are
  // left out (their ticks simply have no frame), a keyframe still every keyframe interval.
  void set_frame_share(int share) { frame_share_.store(share); }
  [[nodiscard]] int frame_share() const { return frame_share_.load(); }
  [[nodiscard]] int fps_now() const { return settings_.fps * frame_share_.load() / kFrameShares; }
  [[nodiscard]] int64_t frames_left_out() const { return frames_left_out_.load(); }

  [[nodiscard]] EncodedStream stream() const { return {params_.get(), context_->time_base, context_->framerate}; }
  [[nodiscard]] const VideoSettings& settings() const { return settings_; }
  [[nodiscard]] AVColorSpace colorspace() const { return colorspace_; }
  [[nodiscard]] int stream_index() const { return stream_index_; }
  // The same SPS/PPS as `other`: a sink opened with other's stream can carry this one's packets.
  [[nodiscard]] bool same_headers_as(const VideoEncoder& other) const;
  [[nodiscard]] int restarts() const { return restarts_.load(); }  // thread-safe
  [[nodiscard]] bool failed() const { return failed_.load(); }     // thread-safe

  static constexpr int kRestartSpacingS = 10;

 private:
  struct ParamsDeleter { void operator()(AVCodecParameters* p) const noexcept { avcodec_parameters_free(&p); } };
  VideoEncoder(VideoSettings settings, AVColorSpace colorspace, av::CodecContext context, int stream_index);
  bool send(AVFrame& frame, PacketSink& sink);
  bool drain(PacketSink& sink);
  bool reopen(int64_t pts);
  void set_rate(int kbps);

  VideoSettings settings_;
  AVColorSpace colorspace_;
  av::CodecContext context_;
  std::unique_ptr<AVCodecParameters, ParamsDeleter> params_;
  av::Packet packet_;
  int stream_index_;
  std::atomic<bool> keyframe_requested_{false};
  std::atomic<int> requested_kbps_;
  int applied_kbps_;  // video thread only
  int64_t last_restart_pts_ = 0;  // video thread only
  int64_t last_key_pts_ = 0;      // video thread only
  std::atomic<int> frame_share_{kFrameShares};
  std::atomic<int64_t> frames_left_out_{0};
  std::atomic<int> restarts_{0};
  std::atomic<bool> failed_{false};
  EncoderFaultSeam faults_;  // tests only (see its header); video thread only
};

}  // namespace cunbo
