#include "client/platform/image_loader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <utility>

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include "client/base/paths.h"
#include "media/av.h"
#include "media/image_fit.h"

namespace cunbo {

namespace {

// An image URL may be a signed CDN link: the query string stays out of the log.
std::string loggable(std::string_view url) { return std::string(url.substr(0, url.find('?'))); }

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

// ---- download -------------------------------------------------------------------------------

struct CurlDeleter {
  void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};

struct Download {
  std::vector<uint8_t> bytes;
  size_t max_bytes = 0;
  bool too_large = false;
  const std::atomic<bool>* stop = nullptr;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* d = static_cast<Download*>(user);
  const size_t n = size * count;
  if (d->bytes.size() + n > d->max_bytes) {
    d->too_large = true;
    return CURL_WRITEFUNC_ERROR;  // aborts the transfer at once
  }
  d->bytes.insert(d->bytes.end(), data, data + n);
  return n;
}

int on_progress(void* user, curl_off_t /*dltotal*/, curl_off_t /*dlnow*/, curl_off_t /*ultotal*/,
                curl_off_t /*ulnow*/) {
  const auto* d = static_cast<Download*>(user);
  return d->stop && d->stop->load() ? 1 : 0;
}

std::variant<std::vector<uint8_t>, ImageError> read_local_file(const std::filesystem::path& path,
                                                               const ImageLimits& limits) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return ImageError{ImageError::Code::unreachable, path.string() + ": " + ec.message()};
  if (size > limits.max_bytes)
    return ImageError{ImageError::Code::too_large, fmt::format("{} bytes (limit {})", size, limits.max_bytes)};
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes(size);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
    return ImageError{ImageError::Code::unreachable, path.string() + ": cannot be read"};
  return bytes;
}

// ---- decode ---------------------------------------------------------------------------------

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

std::variant<std::vector<uint8_t>, ImageError> fetch_image_bytes(const std::string& url, const ImageLimits& limits,
                                                                 const std::atomic<bool>* stop) {
  if (url.empty()) return ImageError{ImageError::Code::unreachable, "no image URL"};
  if (url.find("://") == std::string::npos) return read_local_file(url, limits);

  static std::once_flag curl_once;
  std::call_once(curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return ImageError{ImageError::Code::unreachable, "curl_easy_init failed"};

  Download download;
  download.max_bytes = limits.max_bytes;
  download.stop = stop;
  char error[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  // TLS verification and the proxy variables (http_proxy, https_proxy, no_proxy) are libcurl's
  // defaults: deliberately left alone.
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits.max_bytes));
  curl_easy_setopt(c, CURLOPT_USERAGENT, "cunbo");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &download);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &download);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);

  const CURLcode result = curl_easy_perform(c);
  if (download.too_large || result == CURLE_FILESIZE_EXCEEDED)
    return ImageError{ImageError::Code::too_large, fmt::format("more than {} bytes", limits.max_bytes)};
  if (result == CURLE_ABORTED_BY_CALLBACK) return ImageError{ImageError::Code::stopped, "stopped"};
  if (result != CURLE_OK)
    return ImageError{ImageError::Code::unreachable, *error ? std::string(error) : curl_easy_strerror(result)};
  return std::move(download.bytes);
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

  const char* demuxer = header->format == ImageHeader::Format::png    ? "png_pipe"
                        : header->format == ImageHeader::Format::jpeg ? "jpeg_pipe"
                                                                      : "webp_pipe";
  const AVInputFormat* input_format = av_find_input_format(demuxer);
  if (!input_format) return broken(fmt::format("FFmpeg lacks {}", demuxer));

  MemoryReader reader{bytes, 0};
  constexpr int kIoBuffer = 16 * 1024;
  auto* io_buffer = static_cast<unsigned char*>(av_malloc(kIoBuffer));
  if (!io_buffer) return broken("out of memory");
  Avio io(avio_alloc_context(io_buffer, kIoBuffer, 0, &reader, read_memory, nullptr, seek_memory));
  if (!io) {
    av_free(io_buffer);
    return broken("out of memory");
  }
  AVFormatContext* raw = avformat_alloc_context();
  if (!raw) return broken("out of memory");
  raw->pb = io.get();
  raw->flags |= AVFMT_FLAG_CUSTOM_IO;
  if (int err = avformat_open_input(&raw, nullptr, input_format, nullptr); err < 0)
    return broken(av::error_string(err));  // raw is freed on failure
  av::InputFormat input(raw);               // closed before `io` is freed (declared after it)
  if (input->nb_streams < 1) return broken("no picture in it");
  const AVCodecParameters* par = input->streams[0]->codecpar;
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
    const int read = av_read_frame(input.get(), packet.get());
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
  auto fitted = fit_image(*frame, box_w, box_h);
  if (!fitted) {
    const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(frame->format));
    return broken(fmt::format("cannot convert {}", name ? name : "?"));
  }
  return std::move(*fitted);
}

RgbaImage make_placeholder(int box_w, int box_h) {
  RgbaImage image;
  image.width = std::clamp(box_w, 1, 4096);
  image.height = std::clamp(box_h, 1, 4096);
  image.placeholder = true;
  image.pixels.assign(static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 4, 0);
  const double w = image.width;
  const double h = image.height;
  const double side = std::min(w, h);
  const double radius = std::max(2.0, side / 10);
  // The pattern: a sun and a mountain in a darker grey, centred, half the tile's short side.
  const double cx = w / 2;
  const double cy = h / 2;
  const double s = side / 2;
  const double sun_x = cx + 0.25 * s;
  const double sun_y = cy - 0.25 * s;
  const double sun_r = 0.12 * s;
  const double base_y = cy + 0.3 * s;
  const double peak_x = cx - 0.1 * s;
  const double peak_y = cy - 0.2 * s;
  const double half_base = 0.45 * s;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const double px = x + 0.5;
      const double py = y + 0.5;
      // Rounded corners: coverage from the distance to the nearest corner's centre.
      const double dx = std::max({radius - px, px - (w - radius), 0.0});
      const double dy = std::max({radius - py, py - (h - radius), 0.0});
      const double coverage = std::clamp(radius - std::hypot(dx, dy) + 0.5, 0.0, 1.0);
      uint8_t grey = 228;
      const bool in_sun = std::hypot(px - sun_x, py - sun_y) <= sun_r;
      const bool in_mountain = py <= base_y && py >= peak_y &&
                               std::abs(px - peak_x) <= half_base * (py - peak_y) / (base_y - peak_y);
      if (in_mountain) grey = 188;
      else if (in_sun) grey = 204;
      uint8_t* p = image.pixels.data() + (static_cast<size_t>(y) * static_cast<size_t>(image.width) + static_cast<size_t>(x)) * 4;
      p[0] = p[1] = p[2] = grey;
      p[3] = static_cast<uint8_t>(std::lround(coverage * 255));
    }
  }
  return image;
}

std::filesystem::path image_cache_dir() { return cache_dir() / "images"; }

std::string image_cache_key(std::string_view url) {
  std::unique_ptr<AVSHA, decltype(&av_free)> sha(av_sha_alloc(), &av_free);
  uint8_t digest[32] = {};
  if (sha && av_sha_init(sha.get(), 256) == 0) {
    av_sha_update(sha.get(), reinterpret_cast<const uint8_t*>(url.data()), url.size());
    av_sha_final(sha.get(), digest);
  }
  std::string hex;
  for (uint8_t b : digest) hex += fmt::format("{:02x}", b);
  return hex;
}

// ---- the worker -----------------------------------------------------------------------------

ImageLoader::ImageLoader(ImageLoaderOptions options) : options_(std::move(options)) {
  worker_ = std::thread([this] { run(); });
}

ImageLoader::~ImageLoader() {
  request_stop();
  join();
}

void ImageLoader::request_stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
}

void ImageLoader::join() {
  if (worker_.joinable()) worker_.join();
}

void ImageLoader::request(const std::string& url, int box_w, int box_h, Callback callback) {
  Key key{url, box_w, box_h};
  std::unique_lock lock(mutex_);
  if (stop_) return;
  for (Job& job : queue_) {
    if (job.key == key) {
      job.callbacks.push_back(std::move(callback));
      return;
    }
  }
  queue_.push_back(Job{std::move(key), {std::move(callback)}});
  lock.unlock();
  wake_.notify_one();
}

std::future<RgbaImage> ImageLoader::request(const std::string& url, int box_w, int box_h) {
  auto promise = std::make_shared<std::promise<RgbaImage>>();
  std::future<RgbaImage> future = promise->get_future();
  request(url, box_w, box_h, [promise](const RgbaImage& image) { promise->set_value(image); });
  return future;
}

void ImageLoader::run() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    const auto& [url, box_w, box_h] = job.key;
    RgbaImage image = load(url, box_w, box_h);
    if (stop_) return;
    for (const Callback& callback : job.callbacks) callback(image);
  }
}

RgbaImage ImageLoader::load(const std::string& url, int box_w, int box_h) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = by_key_.find(Key{url, box_w, box_h}); it != by_key_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      return it->second->second;  // a copy: callbacks run unlocked
    }
  }
  // The disk holds the downloaded bytes, not pixels: every card size decodes from it without
  // the network.
  const std::filesystem::path cached = options_.cache_dir / image_cache_key(url);
  std::error_code ec;
  if (std::filesystem::exists(cached, ec)) {
    auto bytes = read_local_file(cached, options_.limits);
    if (auto* b = std::get_if<std::vector<uint8_t>>(&bytes)) {
      auto decoded = decode_image(*b, box_w, box_h, options_.limits);
      if (auto* image = std::get_if<RgbaImage>(&decoded)) {
        remember(Key{url, box_w, box_h}, *image);
        return std::move(*image);
      }
    }
    spdlog::warn("[images] the cached copy of {} is unusable; downloading again", loggable(url));
    std::filesystem::remove(cached, ec);
  }

  ++downloads_;
  auto fetched = fetch_image_bytes(url, options_.limits, &stop_);
  std::variant<RgbaImage, ImageError> decoded = ImageError{};
  if (auto* err = std::get_if<ImageError>(&fetched)) {
    decoded = *err;
  } else {
    const auto& bytes = std::get<std::vector<uint8_t>>(fetched);
    decoded = decode_image(bytes, box_w, box_h, options_.limits);
    if (std::holds_alternative<RgbaImage>(decoded)) {
      // Only pictures that decode are kept. Temp file then rename: a crash never leaves half
      // a picture under the real name.
      std::filesystem::create_directories(options_.cache_dir, ec);
      std::string tmp = (options_.cache_dir / (image_cache_key(url) + ".XXXXXX")).string();
      const int fd = ::mkstemp(tmp.data());
      bool ok = fd >= 0;
      if (ok) {
        ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
        ok = ::close(fd) == 0 && ok;
        ok = ok && std::rename(tmp.c_str(), cached.c_str()) == 0;
        if (!ok) std::remove(tmp.c_str());
      }
      if (!ok) spdlog::warn("[images] cannot keep {} in {}: {}", loggable(url), options_.cache_dir.string(),
                            std::strerror(errno));
    }
  }
  if (auto* image = std::get_if<RgbaImage>(&decoded)) {
    remember(Key{url, box_w, box_h}, *image);
    return std::move(*image);
  }
  const ImageError& err = std::get<ImageError>(decoded);
  if (err.code == ImageError::Code::stopped) return make_placeholder(box_w, box_h);
  static constexpr const char* kWhat[] = {"unreachable", "too large", "too many pixels", "not JPEG/PNG/WebP",
                                          "broken", "stopped"};
  spdlog::warn("[images] {}: {} ({}); showing a placeholder", loggable(url), kWhat[static_cast<int>(err.code)],
               err.detail);
  RgbaImage placeholder = make_placeholder(box_w, box_h);
  // An unreachable picture is tried again next time; one that is broken stays broken.
  if (err.code != ImageError::Code::unreachable) remember(Key{url, box_w, box_h}, placeholder);
  return placeholder;
}

void ImageLoader::remember(const Key& key, const RgbaImage& image) {
  std::lock_guard lock(mutex_);
  if (by_key_.count(key) || image.pixels.size() > options_.memory_cache_bytes) return;
  lru_.emplace_front(key, image);
  by_key_[key] = lru_.begin();
  cached_bytes_ += image.pixels.size();
  while (cached_bytes_ > options_.memory_cache_bytes && !lru_.empty()) {
    cached_bytes_ -= lru_.back().second.pixels.size();
    by_key_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

}  // namespace cunbo
