#include "ui/window/screenshot.h"

#include <fstream>

#include "media/av.h"

namespace cunbo::ui {

std::optional<std::string> write_png(const std::filesystem::path& path, const uint8_t* rgb, int width, int height,
                                     int pitch) {
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
  if (!codec) return "libavcodec has no PNG encoder";
  av::CodecContext ctx(avcodec_alloc_context3(codec));
  if (!ctx) return "avcodec_alloc_context3 failed";
  ctx->width = width;
  ctx->height = height;
  ctx->pix_fmt = AV_PIX_FMT_RGB24;
  ctx->time_base = AVRational{1, 1};
  if (const int err = avcodec_open2(ctx.get(), codec, nullptr); err < 0) return "PNG encoder: " + av::error_string(err);

  av::Frame frame = av::make_frame();
  frame->format = AV_PIX_FMT_RGB24;
  frame->width = width;
  frame->height = height;
  // The encoder only reads the pixels: point the frame at them instead of copying.
  frame->data[0] = const_cast<uint8_t*>(rgb);
  frame->linesize[0] = pitch;
  frame->pts = 0;
  if (const int err = avcodec_send_frame(ctx.get(), frame.get()); err < 0) return "PNG encoder: " + av::error_string(err);
  av::Packet packet = av::make_packet();
  if (const int err = avcodec_receive_packet(ctx.get(), packet.get()); err < 0) {
    return "PNG encoder: " + av::error_string(err);
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(packet->data), packet->size);
  out.close();
  if (!out) return "cannot write " + path.string();
  return std::nullopt;
}

}  // namespace cunbo::ui
