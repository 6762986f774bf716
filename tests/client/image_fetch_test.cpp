// Fetching picture bytes: over HTTP from a real CDN-like server in-process, and from local
// files, within the limits of the platform contract (5 MiB).
#include "client/platform/image_fetch.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <variant>
#include <vector>

#include "client/platform/image_loader.h"
#include "tests/client/cdn_server.h"
#include "tests/client/test_pictures.h"
#include "tests/support/temp_dir.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

using Fetched = std::variant<std::vector<uint8_t>, ImageError>;

std::string text_of(const Fetched& fetched) {
  const auto* bytes = std::get_if<std::vector<uint8_t>>(&fetched);
  return bytes ? std::string(bytes->begin(), bytes->end()) : "error: " + std::get<ImageError>(fetched).detail;
}

ImageError::Code code_of(const Fetched& fetched) {
  const auto* err = std::get_if<ImageError>(&fetched);
  return err ? err->code : ImageError::Code::broken;
}

TEST(ImageFetch, FollowsACdnsRedirectsButNotALoop) {
  CdnServer cdn;
  cdn.serve("/img/p-1001.jpg", std::string("jpeg bytes"), "image/jpeg");
  cdn.redirect("/s/p-1001", "/img/p-1001.jpg", 301);
  cdn.redirect("/loop", "/loop");
  EXPECT_EQ(text_of(fetch_image_bytes(cdn.url("/s/p-1001"), {})), "jpeg bytes");
  EXPECT_EQ(code_of(fetch_image_bytes(cdn.url("/loop"), {})), ImageError::Code::unreachable);
}

TEST(ImageFetch, AsksTheCdnForPicturesItCanDecodeWithoutAnyToken) {
  CdnServer cdn;
  cdn.serve("/p.webp", std::string("webp bytes"), "image/webp");
  EXPECT_EQ(text_of(fetch_image_bytes(cdn.url("/p.webp"), {})), "webp bytes");
  EXPECT_EQ(cdn.authorized_requests(), 0);
  EXPECT_EQ(cdn.last_accept().find("image/avif"), std::string::npos);
  EXPECT_NE(cdn.last_accept().find("image/webp"), std::string::npos);
}

TEST(ImageFetch, AnHttpErrorMeansUnreachable) {
  CdnServer cdn;
  const Fetched missing = fetch_image_bytes(cdn.url("/missing.png"), {});
  EXPECT_EQ(code_of(missing), ImageError::Code::unreachable);
  EXPECT_NE(std::get<ImageError>(missing).detail.find("404"), std::string::npos);
}

TEST(ImageFetch, ReadsLocalFilesByPathAndByFileUrl) {
  test::TempDir dir("image-fetch");
  const auto path = dir / "红薯 粉.png";
  std::ofstream(path, std::ios::binary) << "png bytes";
  EXPECT_EQ(text_of(fetch_image_bytes(path.string(), {})), "png bytes");
  EXPECT_EQ(text_of(fetch_image_bytes("file://" + path.string(), {})), "png bytes");
  EXPECT_EQ(text_of(fetch_image_bytes("FILE://localhost" + path.string(), {})), "png bytes");
  // Escaped, as a URL carries a space.
  const std::string escaped = "file://" + (dir / "%E7%BA%A2%E8%96%AF%20%E7%B2%89.png").string();
  EXPECT_EQ(text_of(fetch_image_bytes(escaped, {})), "png bytes");
  EXPECT_EQ(code_of(fetch_image_bytes("file://fileserver" + path.string(), {})), ImageError::Code::unreachable);
}

TEST(ImageFetch, RefusesSchemesOtherThanHttpHttpsAndFile) {
  for (const std::string url : {"ftp://127.0.0.1/p.png", "gopher://127.0.0.1/p.png", "data://x"}) {
    SCOPED_TRACE(url);
    EXPECT_EQ(code_of(fetch_image_bytes(url, {})), ImageError::Code::unreachable);
  }
}

TEST(ImageFetch, AStopAlreadyAskedForFetchesNothing) {
  CdnServer cdn;
  cdn.serve("/p.png", std::string("png bytes"), "image/png");
  const std::atomic<bool> stop{true};
  EXPECT_EQ(code_of(fetch_image_bytes(cdn.url("/p.png"), {}, &stop)), ImageError::Code::stopped);
  EXPECT_EQ(cdn.requests(), 0);
}

TEST(ImageLoader, RefusesDownloadsOver5MiB) {
  test::TempDir dir("image-loader");
  CdnServer server;
  // A body of 64 GiB without a length: a fetch that read it to the end (and checked the size
  // after) would run into its 10 s time limit and say unreachable; only counting says too_large.
  server.serve_endless("/endless.png", size_t{64} << 30);
  const ImageLimits limits;
  auto fetched = fetch_image_bytes(server.url("/endless.png"), limits);
  ASSERT_TRUE(std::holds_alternative<ImageError>(fetched));
  EXPECT_EQ(std::get<ImageError>(fetched).code, ImageError::Code::too_large) << std::get<ImageError>(fetched).detail;

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

}  // namespace
}  // namespace cunbo::test
