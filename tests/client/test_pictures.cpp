#include "tests/client/test_pictures.h"

#include <fstream>
#include <stdexcept>

namespace cunbo::test {

std::vector<uint8_t> encode_picture(AVCodecID codec_id, int w, int h) {
  const AVCodec* codec = avcodec_find_encoder(codec_id);
  if (!codec) throw std::runtime_error(std::string("no encoder for ") + avcodec_get_name(codec_id));
  const AVPixelFormat format = codec_id == AV_CODEC_ID_PNG     ? AV_PIX_FMT_RGB24
                               : codec_id == AV_CODEC_ID_MJPEG ? AV_PIX_FMT_YUV444P
                                                               : AV_PIX_FMT_YUV420P;
  av::CodecContext enc(avcodec_alloc_context3(codec));
  enc->width = w;
  enc->height = h;
  enc->pix_fmt = format;
  enc->time_base = {1, 25};
  if (codec_id == AV_CODEC_ID_MJPEG) enc->color_range = AVCOL_RANGE_JPEG;
  if (int err = avcodec_open2(enc.get(), codec, nullptr); err < 0)
    throw std::runtime_error("cannot open the encoder: " + av::error_string(err));

  // Drawn as RGB, converted to the encoder's format.
  av::Frame rgb = av::make_frame();
  rgb->width = w;
  rgb->height = h;
  rgb->format = AV_PIX_FMT_RGB24;
  if (av_frame_get_buffer(rgb.get(), 32) < 0) throw std::runtime_error("frame");
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      uint8_t* p = rgb->data[0] + y * rgb->linesize[0] + x * 3;
      const bool left = x < w / 2;
      p[0] = left ? 220 : 20;
      p[1] = 20;
      p[2] = left ? 20 : 220;
    }
  }
  av::Frame frame = av::make_frame();
  frame->width = w;
  frame->height = h;
  frame->format = format;
  if (av_frame_get_buffer(frame.get(), 32) < 0) throw std::runtime_error("frame");
  av::Sws sws(sws_getContext(w, h, AV_PIX_FMT_RGB24, w, h, format, SWS_BICUBIC, nullptr, nullptr, nullptr));
  if (codec_id == AV_CODEC_ID_MJPEG) {
    const int* cs = sws_getCoefficients(SWS_CS_DEFAULT);
    sws_setColorspaceDetails(sws.get(), cs, 1, cs, 1, 0, 1 << 16, 1 << 16);
  }
  sws_scale(sws.get(), rgb->data, rgb->linesize, 0, h, frame->data, frame->linesize);
  frame->pts = 0;

  std::vector<uint8_t> bytes;
  av::Packet packet = av::make_packet();
  auto drain = [&] {
    while (avcodec_receive_packet(enc.get(), packet.get()) == 0) {
      bytes.insert(bytes.end(), packet->data, packet->data + packet->size);
      av_packet_unref(packet.get());
    }
  };
  if (avcodec_send_frame(enc.get(), frame.get()) < 0) throw std::runtime_error("send_frame");
  drain();
  avcodec_send_frame(enc.get(), nullptr);
  drain();
  if (bytes.empty()) throw std::runtime_error("nothing encoded");
  return bytes;
}

void write_file(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::array<int, 3> rgb_at(const RgbaImage& image, int x, int y) {
  const uint8_t* p = image.pixels.data() + (static_cast<size_t>(y) * static_cast<size_t>(image.width) + static_cast<size_t>(x)) * 4;
  return {p[0], p[1], p[2]};
}

std::vector<AVCodecID> encodable_picture_formats() {
  std::vector<AVCodecID> formats;
  for (AVCodecID id : {AV_CODEC_ID_PNG, AV_CODEC_ID_MJPEG, AV_CODEC_ID_WEBP}) {
    if (avcodec_find_encoder(id)) formats.push_back(id);
  }
  return formats;
}

}  // namespace cunbo::test
