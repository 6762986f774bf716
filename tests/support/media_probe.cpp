#include "tests/support/media_probe.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <mutex>

#include "media/av.h"
#include "media/utf8_path.h"

namespace cunbo::test {
namespace {

// A recording that was cut off (SIGKILL) makes the demuxer complain; that is expected, and
// the assertions say what matters.
void quiet_ffmpeg() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_FATAL); });
}

double seconds(int64_t ts, AVRational time_base) { return static_cast<double>(ts) * av_q2d(time_base); }

struct OpenedInput {
  av::InputFormat format;
  std::string error;
};

OpenedInput open_input(const std::filesystem::path& path) {
  quiet_ffmpeg();
  OpenedInput opened;
  AVFormatContext* raw = nullptr;
  int rc = avformat_open_input(&raw, path_utf8(path).c_str(), nullptr, nullptr);
  if (rc < 0) {
    opened.error = "cannot open " + path.string() + ": " + av::error_string(rc);
    return opened;
  }
  opened.format.reset(raw);
  rc = avformat_find_stream_info(raw, nullptr);
  if (rc < 0) {
    opened.error = "cannot read stream info of " + path.string() + ": " + av::error_string(rc);
    opened.format.reset();
  }
  return opened;
}

struct OpenedDecoder {
  av::CodecContext codec;
  int stream = -1;
  std::string error;
};

OpenedDecoder open_decoder(AVFormatContext* format, AVMediaType type) {
  OpenedDecoder opened;
  const AVCodec* decoder = nullptr;
  const int stream = av_find_best_stream(format, type, -1, -1, &decoder, 0);
  if (stream < 0 || decoder == nullptr) {
    opened.error = std::string("no ") + av_get_media_type_string(type) + " stream that can be decoded";
    return opened;
  }
  av::CodecContext codec(avcodec_alloc_context3(decoder));
  AVStream* st = format->streams[stream];
  int rc = avcodec_parameters_to_context(codec.get(), st->codecpar);
  if (rc >= 0) {
    codec->pkt_timebase = st->time_base;
    rc = avcodec_open2(codec.get(), decoder, nullptr);
  }
  if (rc < 0) {
    opened.error = std::string("cannot open the ") + decoder->name + " decoder: " + av::error_string(rc);
    return opened;
  }
  opened.codec = std::move(codec);
  opened.stream = stream;
  return opened;
}

// Feeds every packet of one stream through the decoder, then flushes it; `on_frame` sees each
// decoded frame. Returns the number of packets or frames the decoder rejected.
template <typename OnFrame>
int decode_stream(AVFormatContext* format, AVCodecContext* codec, int stream, OnFrame&& on_frame) {
  int errors = 0;
  av::Packet packet = av::make_packet();
  av::Frame frame = av::make_frame();
  auto drain = [&] {
    for (;;) {
      const int rc = avcodec_receive_frame(codec, frame.get());
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
      if (rc < 0) {
        ++errors;
        return;
      }
      on_frame(frame.get());
      av_frame_unref(frame.get());
    }
  };
  while (av_read_frame(format, packet.get()) >= 0) {
    if (packet->stream_index == stream) {
      if (avcodec_send_packet(codec, packet.get()) < 0) ++errors;
      drain();
    }
    av_packet_unref(packet.get());
  }
  avcodec_send_packet(codec, nullptr);
  drain();
  return errors;
}

double frame_seconds(const AVFrame* frame, AVRational time_base) {
  const int64_t ts = frame->best_effort_timestamp != AV_NOPTS_VALUE ? frame->best_effort_timestamp : frame->pts;
  return ts == AV_NOPTS_VALUE ? 0.0 : seconds(ts, time_base);
}

// Box-filtered gray thumbnail taken straight from the luma component (planar or packed 8-bit
// YUV), so the values are the file's own, with no range conversion; false for other formats.
bool luma_thumbnail(const AVFrame* frame, std::vector<uint8_t>& thumbnail, double& mean_luma) {
  const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame->format));
  if (desc == nullptr || (desc->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM)) != 0 ||
      desc->comp[0].depth != 8 || frame->width <= 0 || frame->height <= 0) {
    return false;
  }
  constexpr int kW = DecodedVideoFrame::kThumbWidth;
  constexpr int kH = DecodedVideoFrame::kThumbHeight;
  std::vector<double> sums(static_cast<std::size_t>(kW * kH));
  std::vector<int> counts(static_cast<std::size_t>(kW * kH));
  const AVComponentDescriptor& y = desc->comp[0];
  double total = 0;
  for (int row = 0; row < frame->height; ++row) {
    const uint8_t* line = frame->data[y.plane] + static_cast<ptrdiff_t>(row) * frame->linesize[y.plane] + y.offset;
    const int cell_row = row * kH / frame->height;
    for (int col = 0; col < frame->width; ++col) {
      const uint8_t v = line[static_cast<ptrdiff_t>(col) * y.step];
      const auto cell = static_cast<std::size_t>(cell_row * kW + col * kW / frame->width);
      sums[cell] += v;
      ++counts[cell];
      total += v;
    }
  }
  thumbnail.resize(sums.size());
  for (std::size_t i = 0; i < sums.size(); ++i) {
    thumbnail[i] = counts[i] > 0 ? static_cast<uint8_t>(std::lround(sums[i] / counts[i])) : 0;
  }
  mean_luma = total / (static_cast<double>(frame->width) * frame->height);
  return true;
}

}  // namespace

const StreamInfo* MediaFile::first(StreamKind kind) const {
  for (const StreamInfo& s : streams) {
    if (s.kind == kind) return &s;
  }
  return nullptr;
}

int MediaFile::count(StreamKind kind) const {
  return static_cast<int>(
      std::count_if(streams.begin(), streams.end(), [&](const StreamInfo& s) { return s.kind == kind; }));
}

std::vector<PacketInfo> MediaFile::packets_of(int stream) const {
  std::vector<PacketInfo> out;
  std::copy_if(packets.begin(), packets.end(), std::back_inserter(out),
               [&](const PacketInfo& p) { return p.stream == stream; });
  return out;
}

ProbeResult probe_media(const std::filesystem::path& path) {
  ProbeResult result;
  OpenedInput input = open_input(path);
  if (!input.format) {
    result.error = input.error;
    return result;
  }
  AVFormatContext* fmt = input.format.get();
  MediaFile file;
  file.format = fmt->iformat->name;
  if (fmt->duration != AV_NOPTS_VALUE && fmt->duration_estimation_method != AVFMT_DURATION_FROM_BITRATE) {
    file.duration_s = static_cast<double>(fmt->duration) / AV_TIME_BASE;
  }
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    const AVStream* st = fmt->streams[i];
    const AVCodecParameters* par = st->codecpar;
    StreamInfo info;
    info.index = static_cast<int>(i);
    info.kind = par->codec_type == AVMEDIA_TYPE_VIDEO   ? StreamKind::video
                : par->codec_type == AVMEDIA_TYPE_AUDIO ? StreamKind::audio
                                                        : StreamKind::other;
    info.codec = avcodec_get_name(par->codec_id);
    info.profile = par->profile;
    if (const char* name = avcodec_profile_name(par->codec_id, par->profile)) info.profile_name = name;
    info.width = par->width;
    info.height = par->height;
    if (info.kind == StreamKind::video) {
      if (const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(par->format))) info.pix_fmt = name;
      const AVRational rate = st->r_frame_rate.num > 0 ? st->r_frame_rate : st->avg_frame_rate;
      info.frame_rate = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
      info.video_delay = par->video_delay;
    }
    info.sample_rate = par->sample_rate;
    info.channels = par->ch_layout.nb_channels;
    info.bit_rate = par->bit_rate;
    if (st->duration != AV_NOPTS_VALUE) info.duration_s = seconds(st->duration, st->time_base);
    file.streams.push_back(info);
  }

  av::Packet packet = av::make_packet();
  while (av_read_frame(fmt, packet.get()) >= 0) {
    const AVRational tb = fmt->streams[packet->stream_index]->time_base;
    PacketInfo p;
    p.stream = packet->stream_index;
    p.has_pts = packet->pts != AV_NOPTS_VALUE;
    if (p.has_pts) p.pts_s = seconds(packet->pts, tb);
    p.has_dts = packet->dts != AV_NOPTS_VALUE;
    if (p.has_dts) p.dts_s = seconds(packet->dts, tb);
    p.duration_s = seconds(packet->duration, tb);
    p.keyframe = (packet->flags & AV_PKT_FLAG_KEY) != 0;
    p.size = packet->size;
    file.packets.push_back(p);
    av_packet_unref(packet.get());
  }
  result.file = std::move(file);
  return result;
}

StreamTiming stream_timing(const MediaFile& file, int stream) {
  StreamTiming timing;
  std::vector<PacketInfo> packets = file.packets_of(stream);
  std::optional<double> last_pts;
  std::optional<double> last_dts;
  for (const PacketInfo& p : packets) {
    if (p.has_pts) {
      if (last_pts && p.pts_s <= *last_pts) timing.pts_monotonic = false;
      last_pts = p.pts_s;
    }
    if (p.has_dts) {
      if (last_dts && p.dts_s < *last_dts) timing.dts_monotonic = false;
      last_dts = p.dts_s;
    }
  }
  std::erase_if(packets, [](const PacketInfo& p) { return !p.has_pts; });
  std::stable_sort(packets.begin(), packets.end(),
                   [](const PacketInfo& a, const PacketInfo& b) { return a.pts_s < b.pts_s; });
  timing.packets = static_cast<int>(packets.size());
  if (packets.empty()) return timing;
  timing.first_pts_s = packets.front().pts_s;
  // Matroska often leaves a block's duration out; then a packet lasts until the next one,
  // and the last one as long as the typical packet.
  std::vector<double> steps;
  for (std::size_t i = 1; i < packets.size(); ++i) steps.push_back(packets[i].pts_s - packets[i - 1].pts_s);
  double typical_step = 0;
  if (!steps.empty()) {
    auto mid = steps.begin() + static_cast<ptrdiff_t>(steps.size() / 2);
    std::nth_element(steps.begin(), mid, steps.end());
    typical_step = *mid;
  }
  for (std::size_t i = 0; i < packets.size(); ++i) {
    double duration = packets[i].duration_s;
    if (duration <= 0) duration = i + 1 < packets.size() ? packets[i + 1].pts_s - packets[i].pts_s : typical_step;
    timing.end_s = std::max(timing.end_s, packets[i].pts_s + duration);
    if (packets[i].keyframe) timing.keyframe_indices.push_back(static_cast<int>(i));
    // In whole microseconds: the difference of two pts in seconds is not exactly the file's
    // (three frame periods, 0.100 s in FLV's milliseconds, came out as 0.1000000000000005).
    if (i > 0)
      timing.largest_gap_s =
          std::max(timing.largest_gap_s, std::round((packets[i].pts_s - packets[i - 1].pts_s) * 1e6) / 1e6);
  }
  timing.duration_s = timing.end_s - timing.first_pts_s;
  const double span = packets.back().pts_s - packets.front().pts_s;
  if (span > 0) timing.packets_per_second = static_cast<double>(packets.size() - 1) / span;
  return timing;
}

double DecodedVideoFrame::center_luma() const {
  std::vector<uint8_t> middle;
  for (int y = kThumbHeight / 4; y < kThumbHeight * 3 / 4; ++y) {
    for (int x = kThumbWidth / 4; x < kThumbWidth * 3 / 4; ++x) {
      middle.push_back(thumbnail[static_cast<std::size_t>(y * kThumbWidth + x)]);
    }
  }
  if (middle.empty()) return 0;
  auto mid = middle.begin() + static_cast<ptrdiff_t>(middle.size() / 2);
  std::nth_element(middle.begin(), mid, middle.end());
  return *mid;
}

DecodedVideo decode_video(const std::filesystem::path& path) {
  DecodedVideo result;
  OpenedInput input = open_input(path);
  if (!input.format) {
    result.error = input.error;
    return result;
  }
  OpenedDecoder decoder = open_decoder(input.format.get(), AVMEDIA_TYPE_VIDEO);
  if (!decoder.codec) {
    result.error = path.string() + ": " + decoder.error;
    return result;
  }
  const AVRational tb = input.format->streams[decoder.stream]->time_base;
  av::Sws sws;
  result.decode_errors =
      decode_stream(input.format.get(), decoder.codec.get(), decoder.stream, [&](const AVFrame* frame) {
        DecodedVideoFrame out;
        out.pts_s = frame_seconds(frame, tb);
        out.keyframe = frame->key_frame != 0;
        out.picture_type = av_get_picture_type_char(frame->pict_type);
        if (!luma_thumbnail(frame, out.thumbnail, out.mean_luma)) {
          // Not YUV: let swscale make the gray picture.
          out.thumbnail.resize(DecodedVideoFrame::kThumbWidth * DecodedVideoFrame::kThumbHeight);
          sws.reset(sws_getCachedContext(sws.release(), frame->width, frame->height,
                                         static_cast<AVPixelFormat>(frame->format), DecodedVideoFrame::kThumbWidth,
                                         DecodedVideoFrame::kThumbHeight, AV_PIX_FMT_GRAY8, SWS_AREA, nullptr, nullptr,
                                         nullptr));
          if (!sws) {
            ++result.decode_errors;
            return;
          }
          uint8_t* dst[4] = {out.thumbnail.data(), nullptr, nullptr, nullptr};
          int dst_stride[4] = {DecodedVideoFrame::kThumbWidth, 0, 0, 0};
          sws_scale(sws.get(), frame->data, frame->linesize, 0, frame->height, dst, dst_stride);
          double sum = 0;
          for (uint8_t v : out.thumbnail) sum += v;
          out.mean_luma = sum / static_cast<double>(out.thumbnail.size());
        }
        result.frames.push_back(std::move(out));
      });
  std::stable_sort(result.frames.begin(), result.frames.end(),
                   [](const DecodedVideoFrame& a, const DecodedVideoFrame& b) { return a.pts_s < b.pts_s; });
  return result;
}

DecodedAudio decode_audio(const std::filesystem::path& path) {
  DecodedAudio result;
  OpenedInput input = open_input(path);
  if (!input.format) {
    result.error = input.error;
    return result;
  }
  OpenedDecoder decoder = open_decoder(input.format.get(), AVMEDIA_TYPE_AUDIO);
  if (!decoder.codec) {
    result.error = path.string() + ": " + decoder.error;
    return result;
  }
  const AVRational tb = input.format->streams[decoder.stream]->time_base;
  av::Swr swr;
  std::vector<std::vector<float>> planes;
  bool first = true;
  result.decode_errors =
      decode_stream(input.format.get(), decoder.codec.get(), decoder.stream, [&](const AVFrame* frame) {
        if (first) {
          first = false;
          result.sample_rate = frame->sample_rate;
          result.channels = frame->ch_layout.nb_channels;
          result.first_pts_s = frame_seconds(frame, tb);
          SwrContext* raw = nullptr;
          // Same layout and rate; only the sample format changes, so no samples are delayed.
          // (FFmpeg 5.1 takes the layouts as non-const pointers, hence the copy.)
          AVChannelLayout layout{};
          av_channel_layout_copy(&layout, &frame->ch_layout);
          const int rc =
              swr_alloc_set_opts2(&raw, &layout, AV_SAMPLE_FMT_FLTP, frame->sample_rate, &layout,
                                  static_cast<AVSampleFormat>(frame->format), frame->sample_rate, 0, nullptr);
          av_channel_layout_uninit(&layout);
          if (rc < 0) {
            ++result.decode_errors;
            return;
          }
          swr.reset(raw);
          if (swr_init(swr.get()) < 0) {
            swr.reset();
            ++result.decode_errors;
            return;
          }
          planes.resize(static_cast<std::size_t>(result.channels));
        }
        if (!swr || frame->ch_layout.nb_channels != result.channels) {
          ++result.decode_errors;
          return;
        }
        std::vector<uint8_t*> out(planes.size());
        for (std::size_t c = 0; c < planes.size(); ++c) {
          planes[c].resize(static_cast<std::size_t>(frame->nb_samples));
          out[c] = reinterpret_cast<uint8_t*>(planes[c].data());
        }
        const int converted = swr_convert(swr.get(), out.data(), frame->nb_samples,
                                          const_cast<const uint8_t**>(frame->extended_data), frame->nb_samples);
        if (converted < 0) {
          ++result.decode_errors;
          return;
        }
        result.samples.insert(result.samples.end(), planes[0].begin(), planes[0].begin() + converted);
      });
  return result;
}

double thumbnail_difference(const DecodedVideoFrame& a, const DecodedVideoFrame& b) {
  if (a.thumbnail.size() != b.thumbnail.size() || a.thumbnail.empty()) return 255;
  double sum = 0;
  for (std::size_t i = 0; i < a.thumbnail.size(); ++i) sum += std::abs(int{a.thumbnail[i]} - int{b.thumbnail[i]});
  return sum / static_cast<double>(a.thumbnail.size());
}

}  // namespace cunbo::test
