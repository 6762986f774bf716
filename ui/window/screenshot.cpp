#include "ui/window/screenshot.h"

#include <fstream>
#include <vector>

#include <SDL.h>

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

std::optional<std::string> save_screenshot(SDL_Renderer* renderer, const std::filesystem::path& path) {
  int w = 0;
  int h = 0;
  if (SDL_GetRendererOutputSize(renderer, &w, &h) != 0) return std::string("SDL_GetRendererOutputSize: ") + SDL_GetError();
  std::vector<uint8_t> rgb(static_cast<size_t>(w) * static_cast<size_t>(h) * 3);
  if (SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGB24, rgb.data(), w * 3) != 0)
    return std::string("SDL_RenderReadPixels: ") + SDL_GetError();
  return write_png(path, rgb.data(), w, h, w * 3);
}

}  // namespace cunbo::ui
