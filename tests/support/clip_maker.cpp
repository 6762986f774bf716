#include "tests/support/clip_maker.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <numbers>
#include <stdexcept>
#include <string>

#include "media/av.h"
#include "tests/support/clip_marks.h"
#include "media/utf8_path.h"

namespace cunbo::test {
namespace {

void check(int rc, const std::string& what) {
  if (rc < 0) throw std::runtime_error("make_clip: " + what + ": " + av::error_string(rc));
}

struct Track {
  AVStream* stream = nullptr;
  av::CodecContext codec;
};

// Sends one frame (or the flush, when `frame` is null) and writes every packet that comes out.
void encode(AVFormatContext* out, Track& track, const AVFrame* frame) {
  check(avcodec_send_frame(track.codec.get(), frame), "sending a frame to the encoder");
  av::Packet packet = av::make_packet();
  for (;;) {
    const int rc = avcodec_receive_packet(track.codec.get(), packet.get());
    if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
    check(rc, "encoding");
    // Each picture lasts one frame; encoders leave that out, and Matroska would lose it.
    if (packet->duration == 0 && track.codec->codec_type == AVMEDIA_TYPE_VIDEO) packet->duration = 1;
    av_packet_rescale_ts(packet.get(), track.codec->time_base, track.stream->time_base);
    packet->stream_index = track.stream->index;
    check(av_interleaved_write_frame(out, packet.get()), "writing a packet");
  }
}

Track add_track(AVFormatContext* out, const AVCodec* encoder, const std::function<void(AVCodecContext*)>& configure) {
  if (encoder == nullptr) throw std::runtime_error("make_clip: encoder not available in this FFmpeg");
  Track track;
  track.stream = avformat_new_stream(out, nullptr);
  if (track.stream == nullptr) throw std::runtime_error("make_clip: cannot add a stream");
  track.codec.reset(avcodec_alloc_context3(encoder));
  configure(track.codec.get());
  if ((out->oformat->flags & AVFMT_GLOBALHEADER) != 0) track.codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  check(avcodec_open2(track.codec.get(), encoder, nullptr), std::string("opening the ") + encoder->name + " encoder");
  check(avcodec_parameters_from_context(track.stream->codecpar, track.codec.get()), "copying codec parameters");
  track.stream->time_base = track.codec->time_base;
  if (track.codec->codec_type == AVMEDIA_TYPE_VIDEO) track.stream->avg_frame_rate = track.codec->framerate;
  return track;
}

void fill_video_frame(AVFrame* frame, int luma) {
  const auto y = static_cast<uint8_t>(luma);
  if (frame->format == AV_PIX_FMT_YUYV422) {
    for (int row = 0; row < frame->height; ++row) {
      uint8_t* line = frame->data[0] + static_cast<ptrdiff_t>(row) * frame->linesize[0];
      for (int col = 0; col < frame->width; col += 2) {
        line[col * 2 + 0] = y;
        line[col * 2 + 1] = 128;
        line[col * 2 + 2] = y;
        line[col * 2 + 3] = 128;
      }
    }
    return;
  }
  // Planar 4:2:0: gray luma, neutral chroma.
  for (int row = 0; row < frame->height; ++row) {
    std::memset(frame->data[0] + static_cast<ptrdiff_t>(row) * frame->linesize[0], y,
                static_cast<size_t>(frame->width));
  }
  for (int plane = 1; plane <= 2; ++plane) {
    for (int row = 0; row < (frame->height + 1) / 2; ++row) {
      std::memset(frame->data[plane] + static_cast<ptrdiff_t>(row) * frame->linesize[plane], 128,
                  static_cast<size_t>((frame->width + 1) / 2));
    }
  }
}

// A fixed picture: diagonal luma gradient with a checker of hard edges, chroma ramps.
void fill_still_picture(AVFrame* frame, int luma_percent) {
  auto luma = [luma_percent](int x, int y) {
    const int base = 40 + (x + 2 * y) * 150 / (1280 + 2 * 720);
    return static_cast<uint8_t>((((x / 80 + y / 80) % 2) ? base + 40 : base) * luma_percent / 100);
  };
  auto cb = [frame](int x) { return static_cast<uint8_t>(90 + 80 * x / std::max(1, frame->width)); };
  auto cr = [frame](int y) { return static_cast<uint8_t>(170 - 80 * y / std::max(1, frame->height)); };
  if (frame->format == AV_PIX_FMT_YUYV422) {
    for (int row = 0; row < frame->height; ++row) {
      uint8_t* line = frame->data[0] + static_cast<ptrdiff_t>(row) * frame->linesize[0];
      for (int col = 0; col + 1 < frame->width; col += 2) {
        line[col * 2 + 0] = luma(col, row);
        line[col * 2 + 1] = cb(col);
        line[col * 2 + 2] = luma(col + 1, row);
        line[col * 2 + 3] = cr(row);
      }
    }
    return;
  }
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame->format));
  for (int row = 0; row < frame->height; ++row)
    for (int col = 0; col < frame->width; ++col)
      frame->data[0][static_cast<ptrdiff_t>(row) * frame->linesize[0] + col] = luma(col, row);
  for (int row = 0; row < AV_CEIL_RSHIFT(frame->height, d->log2_chroma_h); ++row)
    for (int col = 0; col < AV_CEIL_RSHIFT(frame->width, d->log2_chroma_w); ++col) {
      frame->data[1][static_cast<ptrdiff_t>(row) * frame->linesize[1] + col] = cb(col << d->log2_chroma_w);
      frame->data[2][static_cast<ptrdiff_t>(row) * frame->linesize[2] + col] = cr(row << d->log2_chroma_h);
    }
}

}  // namespace

void make_clip(const std::filesystem::path& path, const ClipSpec& spec) {
  AVFormatContext* raw = nullptr;
  check(avformat_alloc_output_context2(&raw, nullptr, nullptr, path_utf8(path).c_str()),
        "choosing a container for " + path.string());
  av::OutputFormat out(raw);

  const bool mjpeg = spec.video == ClipSpec::VideoCodec::mjpeg;
  Track video = add_track(out.get(), avcodec_find_encoder(mjpeg ? AV_CODEC_ID_MJPEG : AV_CODEC_ID_RAWVIDEO),
                          [&](AVCodecContext* c) {
                            c->width = spec.width;
                            c->height = spec.height;
                            c->time_base = AVRational{1, spec.fps};
                            c->framerate = AVRational{spec.fps, 1};
                            if (mjpeg) {
                              // Full-range 4:2:0, as webcams send it, at a high fixed quality.
                              c->pix_fmt = AV_PIX_FMT_YUVJ420P;
                              c->color_range = AVCOL_RANGE_JPEG;
                              c->flags |= AV_CODEC_FLAG_QSCALE;
                              c->global_quality = FF_QP2LAMBDA * 2;
                            } else {
                              c->pix_fmt = AV_PIX_FMT_YUYV422;
                            }
                          });
  Track audio;
  if (spec.with_audio) {
    audio = add_track(out.get(), avcodec_find_encoder(AV_CODEC_ID_PCM_S16LE), [&](AVCodecContext* c) {
      c->sample_fmt = AV_SAMPLE_FMT_S16;
      c->sample_rate = spec.sample_rate;
      av_channel_layout_default(&c->ch_layout, spec.channels);
      c->time_base = AVRational{1, spec.sample_rate};
    });
  }

  if ((out->oformat->flags & AVFMT_NOFILE) == 0) {
    check(avio_open(&out->pb, path_utf8(path).c_str(), AVIO_FLAG_WRITE), "creating " + path.string());
  }
  check(avformat_write_header(out.get(), nullptr), "writing the header of " + path.string());

  av::Frame picture = av::make_frame();
  picture->format = video.codec->pix_fmt;
  picture->width = spec.width;
  picture->height = spec.height;
  picture->color_range = video.codec->color_range;
  check(av_frame_get_buffer(picture.get(), 0), "allocating a picture");

  const int64_t total_samples = static_cast<int64_t>(spec.sample_rate) * spec.frame_count / spec.fps;
  constexpr int kSamplesPerFrame = 1024;
  int64_t samples_written = 0;
  av::Frame sound = av::make_frame();

  // Interleave by time: before each picture, all the audio up to its end.
  for (int i = 0; i < spec.frame_count; ++i) {
    if (spec.with_audio) {
      const int64_t audio_until = std::min(total_samples, static_cast<int64_t>(spec.sample_rate) * (i + 1) / spec.fps);
      while (samples_written < audio_until) {
        const int n = static_cast<int>(std::min<int64_t>(kSamplesPerFrame, total_samples - samples_written));
        av_frame_unref(sound.get());
        sound->format = AV_SAMPLE_FMT_S16;
        sound->sample_rate = spec.sample_rate;
        sound->nb_samples = n;
        check(av_channel_layout_copy(&sound->ch_layout, &audio.codec->ch_layout), "copying a channel layout");
        check(av_frame_get_buffer(sound.get(), 0), "allocating audio");
        auto* pcm = reinterpret_cast<int16_t*>(sound->data[0]);
        for (int s = 0; s < n; ++s) {
          const double t = static_cast<double>(samples_written + s) / spec.sample_rate;
          const auto value = static_cast<int16_t>(
              std::lround(32767.0 * spec.tone_amplitude * std::sin(2 * std::numbers::pi * spec.tone_hz * t)));
          for (int c = 0; c < spec.channels; ++c) pcm[s * spec.channels + c] = value;
        }
        sound->pts = samples_written;
        encode(out.get(), audio, sound.get());
        samples_written += n;
      }
    }
    check(av_frame_make_writable(picture.get()), "making a picture writable");
    if (spec.still_picture) fill_still_picture(picture.get(), spec.still_luma_percent);
    else fill_video_frame(picture.get(), clip_frame_luma(i, spec.frame_count));
    picture->pts = i;
    encode(out.get(), video, picture.get());
  }
  encode(out.get(), video, nullptr);
  if (spec.with_audio) encode(out.get(), audio, nullptr);
  check(av_write_trailer(out.get()), "finishing " + path.string());
}

}  // namespace cunbo::test
