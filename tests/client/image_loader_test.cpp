// The image loader's worker: placeholders for what cannot be had, the disk and memory
// caches, merged requests, a prompt stop. Pictures come from files and from a real HTTP
// server in the test process.
#include "client/platform/image_loader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/client/cdn_server.h"
#include "tests/client/test_pictures.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

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

  CdnServer server;
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

TEST(ImageLoader, UsesTheDiskCacheTheSecondTime) {
  test::TempDir dir("image-loader");
  CdnServer server;
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

TEST(ImageLoader, ADamagedCopyOnDiskIsDroppedAndThePictureFetchedAgain) {
  test::TempDir dir("image-loader");
  CdnServer server;
  server.serve("/kiwi.webp", encode_picture(AV_CODEC_ID_WEBP, 200, 200), "image/webp");
  const std::string url = server.url("/kiwi.webp");
  std::filesystem::create_directories(dir / "cache");
  write_file(dir / "cache" / image_cache_key(url), {'n', 'o', 't', ' ', 'a', ' ', 'p', 'i', 'c'});

  ImageLoader loader(ImageLoaderOptions{dir / "cache", {}, size_t{8} << 20});
  loader.start();
  const RgbaImage image = loader.request(url, 64, 64).get();
  EXPECT_FALSE(image.placeholder) << "the damaged copy was used instead of the picture";
  EXPECT_EQ(loader.downloads(), 1);
  EXPECT_EQ(server.requests(), 1);
  // The good picture replaced the damaged copy.
  EXPECT_GT(std::filesystem::file_size(dir / "cache" / image_cache_key(url)), 9u);
}

TEST(ImageLoader, ACacheFolderThatCannotBeMadeOnlyCostsTheDiskCopy) {
  test::TempDir dir("image-loader");
  CdnServer server;
  server.serve("/kiwi.webp", encode_picture(AV_CODEC_ID_WEBP, 200, 200), "image/webp");
  write_file(dir / "cache", {'a', ' ', 'f', 'i', 'l', 'e'});  // where the folder should be

  ImageLoader loader(ImageLoaderOptions{dir / "cache", {}, size_t{8} << 20});
  loader.start();
  EXPECT_FALSE(loader.request(server.url("/kiwi.webp"), 64, 64).get().placeholder);
  EXPECT_FALSE(loader.request(server.url("/kiwi.webp"), 32, 32).get().placeholder);
  EXPECT_TRUE(std::filesystem::is_regular_file(dir / "cache")) << "the host's file was replaced";
}

TEST(ImageLoader, DeliversOffTheCallingThreadAndMergesRepeatedRequests) {
  test::TempDir dir("image-loader");
  CdnServer server;
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
  CdnServer server;
  server.serve_stalled("/slow.png");  // holds the transfer open until the loader is gone
  // The download would otherwise run to its own time limit, here ten minutes: stopping must
  // abort it instead, so the loader is gone long before (10 s is generous on a loaded machine).
  ImageLimits limits;
  limits.timeout = 10min;
  auto loader = std::make_unique<ImageLoader>(ImageLoaderOptions{dir / "cache", limits, size_t{8} << 20});
  loader->start();
  loader->request(server.url("/slow.png"), 10, 10, [](const RgbaImage&) {});
  ASSERT_TRUE(server.wait_until_stalled(20s));
  auto gone = std::async(std::launch::async, [&loader] { loader.reset(); });  // request_stop + join
  if (gone.wait_for(10s) != std::future_status::ready) {
    server.release();  // ends the transfer, so the failure is reported instead of hanging
    gone.wait();
    FAIL() << "the loader waited for the stalled download instead of aborting it";
  }
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
  // The kernel lets go of a joined thread's task a moment after join() returns.
  EXPECT_TRUE(test::wait_until(test::deadline_after(5s), [] { return threads_named("images") == 0; }))
      << threads_named("images") << " \"images\" threads left after join()";
}

}  // namespace
}  // namespace cunbo::test
