#include "client/platform/image_decode.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "media/av.h"

namespace cunbo {

namespace {

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}
uint32_t le24(const uint8_t* p) { return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16); }

std::optional<ImageHeader> probe_jpeg(std::span<const uint8_t> b) {
  size_t at = 2;
  while (at + 4 <= b.size()) {
    if (b[at] != 0xFF) return std::nullopt;
    const uint8_t marker = b[at + 1];
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length
      at += 2;
      continue;
    }
    const size_t length = (size_t{b[at + 2]} << 8) | b[at + 3];
    if (length < 2) return std::nullopt;
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (at + 9 > b.size()) return std::nullopt;
      const int height = (b[at + 5] << 8) | b[at + 6];
      const int width = (b[at + 7] << 8) | b[at + 8];
      return ImageHeader{ImageHeader::Format::jpeg, width, height};
    }
    if (marker == 0xDA) return std::nullopt;  // scan data before any frame header
    at += 2 + length;
  }
  return std::nullopt;
}

std::optional<ImageHeader> probe_webp(std::span<const uint8_t> b) {
  if (b.size() < 30) return std::nullopt;
  const uint8_t* chunk = b.data() + 12;
  if (std::memcmp(chunk, "VP8 ", 4) == 0) {  // lossy: a key frame's start code, then 14-bit sizes
    const uint8_t* f = b.data() + 20;
    if (f[3] != 0x9D || f[4] != 0x01 || f[5] != 0x2A) return std::nullopt;
    return ImageHeader{ImageHeader::Format::webp, (f[6] | (f[7] << 8)) & 0x3FFF, (f[8] | (f[9] << 8)) & 0x3FFF};
  }
  if (std::memcmp(chunk, "VP8L", 4) == 0) {  // lossless: signature 0x2F, then width-1, height-1 in 14 bits each
    const uint8_t* f = b.data() + 20;
    if (f[0] != 0x2F) return std::nullopt;
    const uint32_t bits = uint32_t{f[1]} | (uint32_t{f[2]} << 8) | (uint32_t{f[3]} << 16) | (uint32_t{f[4]} << 24);
    return ImageHeader{ImageHeader::Format::webp, static_cast<int>(bits & 0x3FFF) + 1,
                       static_cast<int>((bits >> 14) & 0x3FFF) + 1};
  }
  if (std::memcmp(chunk, "VP8X", 4) == 0) {  // extended: the canvas size, 24 bits each, minus one
    const uint8_t* f = b.data() + 24;
    return ImageHeader{ImageHeader::Format::webp, static_cast<int>(le24(f)) + 1, static_cast<int>(le24(f + 3)) + 1};
  }
  return std::nullopt;
}

// Serves libavformat the bytes already in memory.
struct MemoryReader {
  std::span<const uint8_t> data;
  size_t pos = 0;
};

int read_memory(void* opaque, uint8_t* buf, int size) {
  auto* r = static_cast<MemoryReader*>(opaque);
  const size_t n = std::min(static_cast<size_t>(std::max(size, 0)), r->data.size() - r->pos);
  if (n == 0) return AVERROR_EOF;
  std::memcpy(buf, r->data.data() + r->pos, n);
  r->pos += n;
  return static_cast<int>(n);
}

int64_t seek_memory(void* opaque, int64_t offset, int whence) {
  auto* r = static_cast<MemoryReader*>(opaque);
  const auto size = static_cast<int64_t>(r->data.size());
  if (whence & AVSEEK_SIZE) return size;
  int64_t target = offset;
  if ((whence & ~AVSEEK_FORCE) == SEEK_CUR) target += static_cast<int64_t>(r->pos);
  else if ((whence & ~AVSEEK_FORCE) == SEEK_END) target += size;
  if (target < 0 || target > size) return AVERROR(EINVAL);
  r->pos = static_cast<size_t>(target);
  return target;
}

// A custom AVIOContext is not closed by avformat_close_input: it and its buffer are ours.
struct AvioDeleter {
  void operator()(AVIOContext* io) const noexcept {
    av_freep(&io->buffer);
    avio_context_free(&io);
  }
};
using Avio = std::unique_ptr<AVIOContext, AvioDeleter>;

ImageError broken(std::string detail) { return ImageError{ImageError::Code::broken, std::move(detail)}; }

// Which of the three formats the first bytes claim, without trusting anything after them.
std::optional<ImageHeader::Format> sniff_format(std::span<const uint8_t> b) {
  static constexpr uint8_t kPng[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  if (b.size() >= 8 && std::memcmp(b.data(), kPng, 8) == 0) return ImageHeader::Format::png;
  if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return ImageHeader::Format::jpeg;
  if (b.size() >= 12 && std::memcmp(b.data(), "RIFF", 4) == 0 && std::memcmp(b.data() + 8, "WEBP", 4) == 0)
    return ImageHeader::Format::webp;
  return std::nullopt;
}

// libavformat reading bytes in memory. Heap-allocated and never moved: `io` points at
// `reader`. Members in this order: `input` is closed before `io` is freed.
struct MemoryInput {
  MemoryReader reader;
  Avio io;
  av::InputFormat input;
};

std::variant<std::unique_ptr<MemoryInput>, ImageError> open_in_memory(std::span<const uint8_t> bytes,
                                                                      ImageHeader::Format format) {
  const char* demuxer = format == ImageHeader::Format::png    ? "png_pipe"
                        : format == ImageHeader::Format::jpeg ? "jpeg_pipe"
                                                              : "webp_pipe";
  const AVInputFormat* input_format = av_find_input_format(demuxer);
  if (!input_format) return broken(fmt::format("FFmpeg lacks {}", demuxer));

  auto in = std::make_unique<MemoryInput>();
  in->reader = MemoryReader{bytes, 0};
  constexpr int kIoBuffer = 16 * 1024;
  std::unique_ptr<unsigned char, decltype(&av_free)> buffer(static_cast<unsigned char*>(av_malloc(kIoBuffer)),
                                                            &av_free);
  if (!buffer) return broken("out of memory");
  in->io.reset(avio_alloc_context(buffer.get(), kIoBuffer, 0, &in->reader, read_memory, nullptr, seek_memory));
  if (!in->io) return broken("out of memory");
  (void)buffer.release();  // the AVIOContext owns it now
  AVFormatContext* raw = avformat_alloc_context();
  if (!raw) return broken("out of memory");
  raw->pb = in->io.get();
  raw->flags |= AVFMT_FLAG_CUSTOM_IO;
  if (int err = avformat_open_input(&raw, nullptr, input_format, nullptr); err < 0)
    return broken(av::error_string(err));  // raw is freed on failure
  in->input.reset(raw);
  return in;
}

// The first picture of the one stream, within the limits.
std::variant<av::Frame, ImageError> decode_picture(AVFormatContext& input, const ImageLimits& limits) {
  if (input.nb_streams < 1) return broken("no picture in it");
  const AVCodecParameters* par = input.streams[0]->codecpar;
  if (par->codec_id != AV_CODEC_ID_MJPEG && par->codec_id != AV_CODEC_ID_PNG && par->codec_id != AV_CODEC_ID_WEBP)
    return ImageError{ImageError::Code::unsupported, avcodec_get_name(par->codec_id)};

  const AVCodec* codec = avcodec_find_decoder(par->codec_id);
  if (!codec) return broken(fmt::format("no decoder for {}", avcodec_get_name(par->codec_id)));
  av::CodecContext decoder(avcodec_alloc_context3(codec));
  if (!decoder || avcodec_parameters_to_context(decoder.get(), par) < 0) return broken("out of memory");
  // A second guard behind the header check: the decoder refuses to allocate a bigger picture.
  decoder->max_pixels = static_cast<int64_t>(limits.max_dimension) * limits.max_dimension;
  decoder->thread_count = 1;
  if (int err = avcodec_open2(decoder.get(), codec, nullptr); err < 0) return broken(av::error_string(err));

  av::Packet packet = av::make_packet();
  av::Frame frame = av::make_frame();
  if (!packet || !frame) return broken("out of memory");
  bool flushed = false;
  while (true) {
    const int got = avcodec_receive_frame(decoder.get(), frame.get());
    if (got == 0) break;
    if (got == AVERROR_EOF) return broken("no picture decoded");
    if (got != AVERROR(EAGAIN)) return broken(av::error_string(got));
    if (flushed) return broken("no picture decoded");
    const int read = av_read_frame(&input, packet.get());
    if (read < 0) {
      flushed = true;
      if (int err = avcodec_send_packet(decoder.get(), nullptr); err < 0 && err != AVERROR_EOF)
        return broken(av::error_string(err));
      continue;
    }
    const int sent = avcodec_send_packet(decoder.get(), packet.get());
    av_packet_unref(packet.get());
    if (sent < 0 && sent != AVERROR(EAGAIN)) return broken(av::error_string(sent));
  }
  if (frame->width <= 0 || frame->height <= 0 || frame->width > limits.max_dimension ||
      frame->height > limits.max_dimension)
    return ImageError{ImageError::Code::too_many_pixels, fmt::format("decoded {}x{}", frame->width, frame->height)};
  return frame;
}

}  // namespace

std::optional<ImageHeader> probe_image_header(std::span<const uint8_t> b) {
  const auto format = sniff_format(b);
  if (!format) return std::nullopt;
  switch (*format) {
    case ImageHeader::Format::png: {
      if (b.size() < 24 || std::memcmp(b.data() + 12, "IHDR", 4) != 0) return std::nullopt;
      const uint32_t w = be32(b.data() + 16);
      const uint32_t h = be32(b.data() + 20);
      if (w > 0x7FFFFFFF || h > 0x7FFFFFFF) return std::nullopt;
      return ImageHeader{ImageHeader::Format::png, static_cast<int>(w), static_cast<int>(h)};
    }
    case ImageHeader::Format::jpeg: return probe_jpeg(b);
    case ImageHeader::Format::webp: return probe_webp(b);
  }
  return std::nullopt;
}

std::variant<RgbaImage, ImageError> decode_image(std::span<const uint8_t> bytes, int box_w, int box_h,
                                                 const ImageLimits& limits) {
  av::initialise();
  box_w = std::clamp(box_w, 1, limits.max_dimension);
  box_h = std::clamp(box_h, 1, limits.max_dimension);
  // Checked before anything is decoded: a small file can declare an enormous picture.
  if (!sniff_format(bytes)) return ImageError{ImageError::Code::unsupported, "not a JPEG, PNG or WebP image"};
  const auto header = probe_image_header(bytes);
  if (!header) return broken("no readable size in the header");
  if (header->width <= 0 || header->height <= 0) return broken("zero size in the header");
  if (header->width > limits.max_dimension || header->height > limits.max_dimension)
    return ImageError{ImageError::Code::too_many_pixels,
                      fmt::format("{}x{} (limit {})", header->width, header->height, limits.max_dimension)};

  auto opened = open_in_memory(bytes, header->format);
  if (auto* err = std::get_if<ImageError>(&opened)) return std::move(*err);
  auto decoded = decode_picture(*std::get<std::unique_ptr<MemoryInput>>(opened)->input, limits);
  if (auto* err = std::get_if<ImageError>(&decoded)) return std::move(*err);
  const AVFrame& frame = *std::get<av::Frame>(decoded);
  auto fitted = fit_image(frame, box_w, box_h);
  if (!fitted) {
    const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(frame.format));
    return broken(fmt::format("cannot convert {}", name ? name : "?"));
  }
  return std::move(*fitted);
}

}  // namespace cunbo
