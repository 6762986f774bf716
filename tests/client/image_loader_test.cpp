// Product pictures: real JPEG, PNG and WebP made here with libavcodec, served from files and
// from a real HTTP server in the test process.
#include "client/platform/image_loader.h"

#include <httplib.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <thread>

#include "media/av.h"
#include "tests/support/temp_dir.h"

namespace cunbo {
namespace {

using namespace std::chrono_literals;

// A w x h picture, left half red and right half blue, encoded with `codec_id`.
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

std::string file_url(const std::filesystem::path& path) { return "file://" + path.string(); }

// Red, green, blue of the pixel at (x, y).
std::array<int, 3> rgb_at(const RgbaImage& image, int x, int y) {
  const uint8_t* p = image.pixels.data() + (static_cast<size_t>(y) * static_cast<size_t>(image.width) + static_cast<size_t>(x)) * 4;
  return {p[0], p[1], p[2]};
}

// A real HTTP server on a free loopback port, counting the requests it serves.
class ImageServer {
 public:
  ImageServer() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("cannot bind the image server");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~ImageServer() {
    server_.stop();
    thread_.join();
  }
  [[nodiscard]] std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  [[nodiscard]] int requests() const { return requests_.load(); }

  void serve(const std::string& path, std::vector<uint8_t> bytes, const std::string& type) {
    server_.Get(path, [this, bytes = std::move(bytes), type](const httplib::Request&, httplib::Response& res) {
      ++requests_;
      res.set_content(reinterpret_cast<const char*>(bytes.data()), bytes.size(), type.c_str());
    });
  }
  // Sends `total` bytes in chunks without a Content-Length, so only counting can stop it.
  void serve_endless(const std::string& path, size_t total) {
    server_.Get(path, [this, total](const httplib::Request&, httplib::Response& res) {
      ++requests_;
      res.set_chunked_content_provider("image/png", [total](size_t offset, httplib::DataSink& sink) {
        if (offset >= total) {
          sink.done();
          return true;
        }
        const std::string chunk(64 * 1024, 'x');
        return sink.write(chunk.data(), chunk.size());
      });
    });
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

TEST(ImageLoader, DecodesJpegPngAndWebpToRgbaFittedInsideTheCard) {
  for (AVCodecID id : {AV_CODEC_ID_PNG, AV_CODEC_ID_MJPEG, AV_CODEC_ID_WEBP}) {
    SCOPED_TRACE(avcodec_get_name(id));
    const auto bytes = encode_picture(id, 320, 160);
    auto decoded = decode_image(bytes, 100, 100);
    ASSERT_TRUE(std::holds_alternative<RgbaImage>(decoded)) << std::get<ImageError>(decoded).detail;
    const RgbaImage& image = std::get<RgbaImage>(decoded);
    EXPECT_FALSE(image.placeholder);
    EXPECT_EQ(image.width, 100);  // 2:1 kept inside 100 x 100
    EXPECT_EQ(image.height, 50);
    ASSERT_EQ(image.pixels.size(), 100u * 50u * 4u);
    const auto left = rgb_at(image, 10, 25);
    const auto right = rgb_at(image, 90, 25);
    EXPECT_GT(left[0], 180);
    EXPECT_LT(left[2], 70);
    EXPECT_GT(right[2], 180);
    EXPECT_LT(right[0], 70);
    EXPECT_EQ(image.pixels[3], 255);  // opaque
  }
}

TEST(ImageLoader, ReadsTheSizeFromTheHeaderWithoutDecoding) {
  for (AVCodecID id : {AV_CODEC_ID_PNG, AV_CODEC_ID_MJPEG, AV_CODEC_ID_WEBP}) {
    SCOPED_TRACE(avcodec_get_name(id));
    const auto header = probe_image_header(encode_picture(id, 322, 162));
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ(header->width, 322);
    EXPECT_EQ(header->height, 162);
  }
  const std::string text = "<html>not a picture</html>";
  EXPECT_FALSE(probe_image_header(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size())));
}

TEST(ImageLoader, RefusesPicturesOver4096PixelsBeforeDecodingThem) {
  // A header that promises 20000 x 20000 and nothing after it: decoding would fail differently.
  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                              0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20, 8, 6, 0, 0, 0};
  auto decoded = decode_image(png, 200, 200);
  ASSERT_TRUE(std::holds_alternative<ImageError>(decoded));
  EXPECT_EQ(std::get<ImageError>(decoded).code, ImageError::Code::too_many_pixels);

  // Real pictures one pixel too wide, in each format.
  for (AVCodecID id : {AV_CODEC_ID_PNG, AV_CODEC_ID_MJPEG, AV_CODEC_ID_WEBP}) {
    SCOPED_TRACE(avcodec_get_name(id));
    auto wide = decode_image(encode_picture(id, 4098, 16), 200, 200);
    ASSERT_TRUE(std::holds_alternative<ImageError>(wide));
    EXPECT_EQ(std::get<ImageError>(wide).code, ImageError::Code::too_many_pixels);
  }
  // 4096 itself is allowed.
  auto edge = decode_image(encode_picture(AV_CODEC_ID_PNG, 4096, 8), 200, 200);
  EXPECT_TRUE(std::holds_alternative<RgbaImage>(edge));

  // Through the loader: a placeholder of the card's size.
  test::TempDir dir("image-loader");
  write_file(dir / "huge.png", png);
  ImageLoader loader(ImageLoaderOptions{dir / "cache", {}, size_t{8} << 20});
  loader.start();
  const RgbaImage image = loader.request(file_url(dir / "huge.png"), 120, 90).get();
  EXPECT_TRUE(image.placeholder);
  EXPECT_EQ(image.width, 120);
  EXPECT_EQ(image.height, 90);
}

TEST(ImageLoader, BrokenOrMissingPicturesBecomePlaceholders) {
  test::TempDir dir("image-loader");
  auto png = encode_picture(AV_CODEC_ID_PNG, 64, 64);
  png.resize(png.size() / 2);  // cut off mid-picture
  write_file(dir / "cut.png", png);
  auto jpeg = encode_picture(AV_CODEC_ID_MJPEG, 64, 64);
  jpeg.resize(40);
  write_file(dir / "cut.jpg", jpeg);
  write_file(dir / "text.png", {'h', 'e', 'l', 'l', 'o'});
  EXPECT_EQ(std::get<ImageError>(decode_image(jpeg, 10, 10)).code, ImageError::Code::broken);
  EXPECT_EQ(std::get<ImageError>(decode_image(png, 10, 10)).code, ImageError::Code::broken);
  const std::vector<uint8_t> text = {'h', 'e', 'l', 'l', 'o'};
  EXPECT_EQ(std::get<ImageError>(decode_image(text, 10, 10)).code, ImageError::Code::unsupported);

  ImageServer server;
  ImageLoader loader(ImageLoaderOptions{dir / "cache", {}, size_t{8} << 20});
  loader.start();
  for (const std::string& url : {file_url(dir / "cut.png"), file_url(dir / "cut.jpg"), file_url(dir / "text.png"),
                                 file_url(dir / "nowhere.png"), server.url("/missing.png"), std::string()}) {
    SCOPED_TRACE(url);
    const RgbaImage image = loader.request(url, 80, 60).get();
    EXPECT_TRUE(image.placeholder);
    EXPECT_EQ(image.width, 80);
    EXPECT_EQ(image.height, 60);
    EXPECT_EQ(image.pixels.size(), 80u * 60u * 4u);
  }
  // Nothing broken was kept on disk.
  EXPECT_TRUE(!std::filesystem::exists(dir / "cache") || std::filesystem::is_empty(dir / "cache"));
}

TEST(ImageLoader, RefusesDownloadsOver5MiB) {
  test::TempDir dir("image-loader");
  ImageServer server;
  server.serve_endless("/endless.png", size_t{64} << 20);
  const ImageLimits limits;
  const auto started = std::chrono::steady_clock::now();
  auto fetched = fetch_image_bytes(server.url("/endless.png"), limits);
  ASSERT_TRUE(std::holds_alternative<ImageError>(fetched));
  EXPECT_EQ(std::get<ImageError>(fetched).code, ImageError::Code::too_large);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);  // aborted, not read to the end

  // A file one byte over the limit, and one exactly at it.
  std::vector<uint8_t> big((size_t{5} << 20) + 1, 0);
  write_file(dir / "big.jpg", big);
  auto over = fetch_image_bytes(file_url(dir / "big.jpg"), limits);
  ASSERT_TRUE(std::holds_alternative<ImageError>(over));
  EXPECT_EQ(std::get<ImageError>(over).code, ImageError::Code::too_large);
  big.pop_back();
  write_file(dir / "big.jpg", big);
  EXPECT_TRUE(std::holds_alternative<std::vector<uint8_t>>(fetch_image_bytes(file_url(dir / "big.jpg"), limits)));

  ImageLoader loader(ImageLoaderOptions{dir / "cache", {}, size_t{8} << 20});
  loader.start();
  EXPECT_TRUE(loader.request(server.url("/endless.png"), 50, 50).get().placeholder);
}

TEST(ImageLoader, UsesTheDiskCacheTheSecondTime) {
  test::TempDir dir("image-loader");
  ImageServer server;
  server.serve("/kiwi.webp", encode_picture(AV_CODEC_ID_WEBP, 200, 200), "image/webp");
  write_file(dir / "jujube.jpg", encode_picture(AV_CODEC_ID_MJPEG, 100, 200));

  RgbaImage first_http;
  RgbaImage first_file;
  {
    ImageLoader loader(ImageLoaderOptions{dir / "cache", {}, size_t{8} << 20});
    loader.start();
    first_http = loader.request(server.url("/kiwi.webp"), 64, 64).get();
    first_file = loader.request(file_url(dir / "jujube.jpg"), 64, 64).get();
    EXPECT_EQ(loader.downloads(), 2);
    // The same again from memory, without the disk or the network.
    EXPECT_EQ(loader.request(server.url("/kiwi.webp"), 64, 64).get().pixels, first_http.pixels);
    EXPECT_EQ(loader.downloads(), 2);
  }
  ASSERT_FALSE(first_http.placeholder);
  ASSERT_FALSE(first_file.placeholder);
  EXPECT_EQ(server.requests(), 1);
  EXPECT_TRUE(std::filesystem::exists(dir / "cache" / image_cache_key(server.url("/kiwi.webp"))));
  std::filesystem::remove(dir / "jujube.jpg");

  // A new loader (empty memory) finds both on disk, at another card size too.
  ImageLoader loader(ImageLoaderOptions{dir / "cache", {}, size_t{8} << 20});
  loader.start();
  const RgbaImage again = loader.request(file_url(dir / "jujube.jpg"), 64, 64).get();
  EXPECT_FALSE(again.placeholder);
  EXPECT_EQ(again.pixels, first_file.pixels);
  const RgbaImage bigger = loader.request(server.url("/kiwi.webp"), 128, 128).get();
  EXPECT_FALSE(bigger.placeholder);
  EXPECT_EQ(bigger.width, 128);
  EXPECT_EQ(server.requests(), 1);
  EXPECT_EQ(loader.downloads(), 0);
  // No temp file left behind.
  for (const auto& entry : std::filesystem::directory_iterator(dir / "cache"))
    EXPECT_EQ(entry.path().filename().string().size(), 64u) << entry.path();
}

TEST(ImageLoader, DeliversOffTheCallingThreadAndMergesRepeatedRequests) {
  test::TempDir dir("image-loader");
  ImageServer server;
  server.serve("/p.png", encode_picture(AV_CODEC_ID_PNG, 40, 40), "image/png");
  ImageLoader loader(ImageLoaderOptions{dir / "cache", {}, size_t{8} << 20});
  loader.start();
  std::vector<std::promise<std::thread::id>> delivered(3);
  for (auto& promise : delivered)
    loader.request(server.url("/p.png"), 32, 32, [&promise](const RgbaImage&) { promise.set_value(std::this_thread::get_id()); });
  for (auto& promise : delivered) {
    auto future = promise.get_future();
    ASSERT_EQ(future.wait_for(20s), std::future_status::ready);
    EXPECT_NE(future.get(), std::this_thread::get_id());
  }
  EXPECT_EQ(server.requests(), 1);
}

TEST(ImageLoader, StopsPromptlyWithADownloadInFlight) {
  test::TempDir dir("image-loader");
  httplib::Server slow;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  slow.Get("/slow.png", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("image/png", [&](size_t, httplib::DataSink& sink) {
      started.set_value();
      released.wait();  // holds the transfer open until the loader is gone
      sink.done();
      return true;
    });
  });
  const int port = slow.bind_to_any_port("127.0.0.1");
  std::thread server_thread([&] { slow.listen_after_bind(); });

  auto loader = std::make_unique<ImageLoader>(ImageLoaderOptions{dir / "cache", {}, size_t{8} << 20});
  loader->start();
  loader->request("http://127.0.0.1:" + std::to_string(port) + "/slow.png", 10, 10, [](const RgbaImage&) {});
  ASSERT_EQ(started.get_future().wait_for(20s), std::future_status::ready);
  const auto before = std::chrono::steady_clock::now();
  loader.reset();  // request_stop + join
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
  release.set_value();
  slow.stop();
  server_thread.join();
}

// Threads of this process named `name` (what top -H and gdb show).
int threads_named(const std::string& name) {
  int n = 0;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string line;
    if (std::getline(comm, line) && line == name) ++n;
  }
  return n;
}

TEST(ImageLoader, StartsItsNamedWorkerOnlyInStartAndServesEarlierRequestsThen) {
  test::TempDir dir("image-loader");
  write_file(dir / "p.png", encode_picture(AV_CODEC_ID_PNG, 40, 40));
  ImageLoader loader(ImageLoaderOptions{dir / "cache", {}, size_t{8} << 20});
  std::future<RgbaImage> early = loader.request(file_url(dir / "p.png"), 20, 20);
  EXPECT_EQ(threads_named("images"), 0);
  loader.start();
  loader.start();  // once is enough
  ASSERT_EQ(early.wait_for(20s), std::future_status::ready);
  EXPECT_FALSE(early.get().placeholder);
  EXPECT_EQ(threads_named("images"), 1);
  loader.request_stop();
  loader.join();
  EXPECT_EQ(threads_named("images"), 0);
}

TEST(ImageLoader, PlaceholderIsARoundedNeutralTileOfTheCardSize) {
  const RgbaImage tile = make_placeholder(160, 120);
  EXPECT_TRUE(tile.placeholder);
  ASSERT_EQ(tile.pixels.size(), 160u * 120u * 4u);
  EXPECT_EQ(tile.pixels[3], 0);  // the corner is cut away
  const uint8_t* centre_row = tile.pixels.data() + 60 * 160 * 4;
  EXPECT_EQ(centre_row[4 * 5 + 3], 255);  // opaque inside
  EXPECT_EQ(centre_row[4 * 5], centre_row[4 * 5 + 1]);  // grey
}

}  // namespace
}  // namespace cunbo
