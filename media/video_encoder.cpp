#include "media/video_encoder.h"

#include <cstring>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "media/thread_name.h"

namespace cunbo {

VideoEncoder::VideoEncoder(VideoSettings settings, AVColorSpace colorspace, av::CodecContext context,
                           int stream_index)
    : settings_(std::move(settings)),
      colorspace_(colorspace),
      context_(std::move(context)),
      params_(avcodec_parameters_alloc()),
      packet_(av::make_packet()),
      stream_index_(stream_index),
      requested_kbps_(settings_.bitrate_kbps),
      applied_kbps_(settings_.bitrate_kbps) {
  avcodec_parameters_from_context(params_.get(), context_.get());
}

namespace {

std::variant<av::CodecContext, std::string> open_context(const VideoSettings& s, int kbps, AVColorSpace colorspace) {
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (!codec) return std::string("this FFmpeg has no libx264 encoder");
  av::CodecContext c(avcodec_alloc_context3(codec));
  if (!c) return std::string("out of memory");
  c->width = s.width;
  c->height = s.height;
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->time_base = AVRational{1, s.fps};
  c->framerate = AVRational{s.fps, 1};
  c->gop_size = s.fps * s.keyframe_interval_s;
  c->keyint_min = c->gop_size;
  c->max_b_frames = 0;
  c->bit_rate = int64_t{kbps} * 1000;
  c->rc_max_rate = c->bit_rate;
  c->rc_buffer_size = static_cast<int>(c->bit_rate);  // 1 s of VBV: steady for a weak uplink
  c->profile = FF_PROFILE_H264_HIGH;
  c->color_range = AVCOL_RANGE_MPEG;
  c->colorspace = colorspace;
  c->color_primaries = colorspace == AVCOL_SPC_BT709 ? AVCOL_PRI_BT709 : AVCOL_PRI_SMPTE170M;
  c->color_trc = colorspace == AVCOL_SPC_BT709 ? AVCOL_TRC_BT709 : AVCOL_TRC_SMPTE170M;
  // Every sink (Matroska, FLV) wants SPS/PPS out of band.
  c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;

  av::Dictionary opts;
  opts.set("preset", s.x264_preset);
  opts.set("tune", "zerolatency");
  opts.set("profile", "high");
  opts.set("forced-idr", "1");  // a requested keyframe is an IDR a new viewer can start from
  // Keyframes exactly every GOP: platforms and CDNs segment on them; no scene-cut extras.
  opts.set("x264-params", fmt::format("scenecut=0:keyint={0}:min-keyint={0}", c->gop_size));
  int err = 0;
  {
    const ThreadNameScope scope("x264");  // its frame and lookahead threads start here
    err = avcodec_open2(c.get(), codec, opts.address());
  }
  if (err < 0) return "cannot open the H.264 encoder: " + av::error_string(err);
  return c;
}

// The headers every sink was opened with (SPS/PPS): a reopened encoder must produce the same.
bool same_headers(const AVCodecParameters& params, const AVCodecContext& c) {
  return params.extradata_size == c.extradata_size &&
         (c.extradata_size == 0 || std::memcmp(params.extradata, c.extradata, static_cast<size_t>(c.extradata_size)) == 0);
}

}  // namespace

std::variant<std::unique_ptr<VideoEncoder>, std::string> VideoEncoder::open(const VideoSettings& s,
                                                                            AVColorSpace colorspace,
                                                                            int stream_index) {
  av::initialise();
  auto c = open_context(s, s.bitrate_kbps, colorspace);
  if (auto* error = std::get_if<std::string>(&c)) return *error;
  spdlog::info("[video-encoder] libx264 {}x{} {} fps {} kbit/s preset {}", s.width, s.height, s.fps,
               s.bitrate_kbps, s.x264_preset);
  std::unique_ptr<VideoEncoder> encoder(
      new VideoEncoder(s, colorspace, std::move(std::get<av::CodecContext>(c)), stream_index));
  encoder->faults_ = EncoderFaultSeam::from_environment();
  return encoder;
}

bool VideoEncoder::same_headers_as(const VideoEncoder& other) const { return same_headers(*other.params_, *context_); }

bool VideoEncoder::reopen(int64_t pts) {
  if (restarts_.load() > 0 && pts - last_restart_pts_ < int64_t{kRestartSpacingS} * settings_.fps) {
    spdlog::error("[video-encoder] failed again {} frames after the last restart: giving up", pts - last_restart_pts_);
    return false;
  }
  // Opened as at the start (the level in its headers follows the VBV), then set to the rate it had.
  auto c = open_context(settings_, settings_.bitrate_kbps, colorspace_);
  if (auto* error = std::get_if<std::string>(&c)) {
    spdlog::error("[video-encoder] reopening failed: {}", *error);
    return false;
  }
  if (!same_headers(*params_, *std::get<av::CodecContext>(c))) {
    spdlog::error("[video-encoder] the reopened encoder's headers differ from the stream's: giving up");
    return false;
  }
  context_ = std::move(std::get<av::CodecContext>(c));
  set_rate(applied_kbps_);
  last_restart_pts_ = pts;
  restarts_.fetch_add(1);
  spdlog::warn("[video-encoder] reopened at frame {} ({} kbit/s); it starts on a keyframe", pts, applied_kbps_);
  return true;
}

bool VideoEncoder::encode(AVFrame& frame, PacketSink& sink) {
  if (failed_.load()) return false;
  if (const int kbps = requested_kbps_.load(); kbps != applied_kbps_) {
    set_rate(kbps);
    applied_kbps_ = kbps;
    spdlog::info("[video-encoder] bitrate now {} kbit/s", kbps);
  }
  // A thinned frame rate leaves ticks out evenly: tick t is encoded when t+1 starts a new
  // share of the six (share 3: every other tick; 4: two of every three).
  const int64_t share = frame_share_.load();
  if (share < kFrameShares && (frame.pts + 1) * share / kFrameShares == frame.pts * share / kFrameShares) {
    frames_left_out_.fetch_add(1);
    return true;
  }
  // The keyframe interval is kept in time, not in frames (x264 counts frames): a thinned frame
  // rate or the ticks a too-slow machine dropped still get a keyframe every 2 s of stream time.
  const bool interval_due = frame.pts - last_key_pts_ >= context_->gop_size;
  if (keyframe_requested_.exchange(false) || interval_due) frame.pict_type = AV_PICTURE_TYPE_I;
  else frame.pict_type = AV_PICTURE_TYPE_NONE;
  if (send(frame, sink)) return true;
  // A failed encoder is opened anew (its first frame is a keyframe, so every sink carries on)
  // and given the frame again; failing again soon after, it is given up for the session.
  if (reopen(frame.pts) && send(frame, sink)) return true;
  failed_.store(true);
  return false;
}

// libx264 takes a changed rate between frames (FFmpeg reconfigures it from the context).
void VideoEncoder::set_rate(int kbps) {
  context_->bit_rate = int64_t{kbps} * 1000;
  context_->rc_max_rate = context_->bit_rate;
  context_->rc_buffer_size = static_cast<int>(context_->bit_rate);
}

bool VideoEncoder::send(AVFrame& frame, PacketSink& sink) {
  // The test seam's planned failure takes the place of the real call (libx264's own error).
  const int err = faults_.fails_now(frame.pts) ? AVERROR_EXTERNAL : avcodec_send_frame(context_.get(), &frame);
  if (err < 0) {
    spdlog::error("[video-encoder] send_frame failed: {}", av::error_string(err));
    return false;
  }
  return drain(sink);
}

void VideoEncoder::flush(PacketSink& sink) {
  if (avcodec_send_frame(context_.get(), nullptr) >= 0) drain(sink);
}

bool VideoEncoder::drain(PacketSink& sink) {
  for (;;) {
    int err = avcodec_receive_packet(context_.get(), packet_.get());
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return true;
    if (err < 0) {
      spdlog::error("[video-encoder] receive_packet failed: {}", av::error_string(err));
      return false;
    }
    packet_->stream_index = stream_index_;
    packet_->time_base = context_->time_base;
    if (packet_->flags & AV_PKT_FLAG_KEY) last_key_pts_ = packet_->pts;
    sink.push(*packet_);
    av_packet_unref(packet_.get());
  }
}

}  // namespace cunbo
