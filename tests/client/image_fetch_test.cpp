// Fetching picture bytes: over HTTP from a real CDN-like server in-process, and from local
// files, within the limits of the platform contract.
#include "client/platform/image_fetch.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <string>
#include <variant>
#include <vector>

#include "tests/client/cdn_server.h"
#include "tests/support/temp_dir.h"

namespace cunbo {
namespace {

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
  test::CdnServer cdn;
  cdn.serve("/img/p-1001.jpg", std::string("jpeg bytes"), "image/jpeg");
  cdn.redirect("/s/p-1001", "/img/p-1001.jpg", 301);
  cdn.redirect("/loop", "/loop");
  EXPECT_EQ(text_of(fetch_image_bytes(cdn.url("/s/p-1001"), {})), "jpeg bytes");
  EXPECT_EQ(code_of(fetch_image_bytes(cdn.url("/loop"), {})), ImageError::Code::unreachable);
}

TEST(ImageFetch, AsksTheCdnForPicturesItCanDecodeWithoutAnyToken) {
  test::CdnServer cdn;
  cdn.serve("/p.webp", std::string("webp bytes"), "image/webp");
  EXPECT_EQ(text_of(fetch_image_bytes(cdn.url("/p.webp"), {})), "webp bytes");
  EXPECT_EQ(cdn.authorized_requests(), 0);
  EXPECT_EQ(cdn.last_accept().find("image/avif"), std::string::npos);
  EXPECT_NE(cdn.last_accept().find("image/webp"), std::string::npos);
}

TEST(ImageFetch, AnHttpErrorMeansUnreachable) {
  test::CdnServer cdn;
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
  test::CdnServer cdn;
  cdn.serve("/p.png", std::string("png bytes"), "image/png");
  const std::atomic<bool> stop{true};
  EXPECT_EQ(code_of(fetch_image_bytes(cdn.url("/p.png"), {}, &stop)), ImageError::Code::stopped);
  EXPECT_EQ(cdn.requests(), 0);
}

}  // namespace
}  // namespace cunbo
