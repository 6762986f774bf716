#include "tests/support/frame_grab.h"
#include "media/utf8_path.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace cunbo::test {

av::Frame YuvPicture::to_frame() const {
  av::Frame f = av::make_frame();
  f->format = AV_PIX_FMT_YUV420P;
  f->width = width;
  f->height = height;
  f->colorspace = colorspace;
  f->color_range = AVCOL_RANGE_MPEG;
  if (av_frame_get_buffer(f.get(), 0) < 0) throw std::runtime_error("allocating a picture");
  const std::vector<uint8_t>* planes[] = {&y, &u, &v};
  for (int p = 0; p < 3; ++p) {
    const int w = p ? (width + 1) / 2 : width;
    const int h = p ? (height + 1) / 2 : height;
    for (int row = 0; row < h; ++row)
      std::memcpy(f->data[p] + static_cast<ptrdiff_t>(row) * f->linesize[p],
                  planes[p]->data() + static_cast<size_t>(row) * static_cast<size_t>(w), static_cast<size_t>(w));
  }
  return f;
}

YuvPicture YuvPicture::from_frame(const AVFrame& frame, double pts_s) {
  if (frame.format != AV_PIX_FMT_YUV420P && frame.format != AV_PIX_FMT_YUVJ420P)
    throw std::runtime_error("not a yuv420p picture");
  YuvPicture pic;
  pic.width = frame.width;
  pic.height = frame.height;
  pic.pts_s = pts_s;
  pic.colorspace = frame.colorspace;
  std::vector<uint8_t>* planes[] = {&pic.y, &pic.u, &pic.v};
  for (int p = 0; p < 3; ++p) {
    const int w = p ? (frame.width + 1) / 2 : frame.width;
    const int h = p ? (frame.height + 1) / 2 : frame.height;
    planes[p]->resize(static_cast<size_t>(w) * static_cast<size_t>(h));
    for (int row = 0; row < h; ++row)
      std::memcpy(planes[p]->data() + static_cast<size_t>(row) * static_cast<size_t>(w),
                  frame.data[p] + static_cast<ptrdiff_t>(row) * frame.linesize[p], static_cast<size_t>(w));
  }
  return pic;
}

std::vector<YuvPicture> decode_pictures(const std::filesystem::path& path,
                                        const std::function<bool(double pts_s)>& want) {
  AVFormatContext* raw = nullptr;
  if (avformat_open_input(&raw, path_utf8(path).c_str(), nullptr, nullptr) < 0)
    throw std::runtime_error("cannot open " + path.string());
  av::InputFormat in(raw);
  if (avformat_find_stream_info(in.get(), nullptr) < 0) throw std::runtime_error("no stream info");
  const AVCodec* codec = nullptr;
  const int index = av_find_best_stream(in.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  if (index < 0 || !codec) throw std::runtime_error("no video stream in " + path.string());
  const AVStream* stream = in->streams[index];
  av::CodecContext dec(avcodec_alloc_context3(codec));
  avcodec_parameters_to_context(dec.get(), stream->codecpar);
  if (avcodec_open2(dec.get(), codec, nullptr) < 0) throw std::runtime_error("cannot open the decoder");

  std::vector<YuvPicture> out;
  av::Frame frame = av::make_frame();
  auto drain = [&] {
    while (avcodec_receive_frame(dec.get(), frame.get()) == 0) {
      const int64_t ts = frame->best_effort_timestamp;
      const double pts = ts == AV_NOPTS_VALUE ? 0 : static_cast<double>(ts) * av_q2d(stream->time_base);
      if (want(pts)) out.push_back(YuvPicture::from_frame(*frame, pts));
      av_frame_unref(frame.get());
    }
  };
  av::Packet packet = av::make_packet();
  while (av_read_frame(in.get(), packet.get()) >= 0) {
    if (packet->stream_index == index) {
      avcodec_send_packet(dec.get(), packet.get());
      drain();
    }
    av_packet_unref(packet.get());
  }
  avcodec_send_packet(dec.get(), nullptr);
  drain();
  return out;
}

double psnr(const YuvPicture& a, const YuvPicture& b, const PixelRect& region, bool inside) {
  if (a.width != b.width || a.height != b.height) throw std::runtime_error("pictures of different sizes");
  double sum = 0;
  int64_t n = 0;
  auto add = [&](const std::vector<uint8_t>& pa, const std::vector<uint8_t>& pb, int w, int h, int shift) {
    for (int row = 0; row < h; ++row)
      for (int col = 0; col < w; ++col) {
        if (region.contains(col << shift, row << shift) != inside) continue;
        const size_t i = static_cast<size_t>(row) * static_cast<size_t>(w) + static_cast<size_t>(col);
        const double d = static_cast<double>(pa[i]) - static_cast<double>(pb[i]);
        sum += d * d;
        ++n;
      }
  };
  add(a.y, b.y, a.width, a.height, 0);
  add(a.u, b.u, (a.width + 1) / 2, (a.height + 1) / 2, 1);
  add(a.v, b.v, (a.width + 1) / 2, (a.height + 1) / 2, 1);
  if (n == 0 || sum == 0) return 99;
  return 10 * std::log10(255.0 * 255.0 / (sum / static_cast<double>(n)));
}

double changed_share(const YuvPicture& a, const YuvPicture& b, const PixelRect& region, int threshold) {
  if (a.width != b.width || a.height != b.height) throw std::runtime_error("pictures of different sizes");
  int64_t changed = 0;
  int64_t n = 0;
  for (int row = std::max(0, region.y); row < std::min(a.height, region.y + region.h); ++row)
    for (int col = std::max(0, region.x); col < std::min(a.width, region.x + region.w); ++col) {
      const size_t i = static_cast<size_t>(row) * static_cast<size_t>(a.width) + static_cast<size_t>(col);
      changed += std::abs(static_cast<int>(a.y[i]) - static_cast<int>(b.y[i])) > threshold;
      ++n;
    }
  return n ? static_cast<double>(changed) / static_cast<double>(n) : 0;
}

}  // namespace cunbo::test
