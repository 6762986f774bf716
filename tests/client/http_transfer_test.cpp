// HttpTransfer's guarantees for image downloads, against a real CDN-like server in-process:
// redirects only where a request allows them and never to anything but http/https, a token
// only where one is configured.
#include "client/platform/http_transfer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>

#include "tests/client/cdn_server.h"

namespace cunbo::test {
namespace {

using std::chrono::milliseconds;

constexpr char kToken[] = "Authorization: Bearer tok-cdn-SECRET";

HttpTransfer make_transfer(std::string authorization = {}) {
  HttpTransfer::Settings settings;
  settings.authorization = std::move(authorization);
  settings.user_agent = "cunbo/test";
  settings.connect_timeout = milliseconds(1000);
  settings.max_response_bytes = std::size_t{1} << 20;
  settings.accept = "image/webp,image/png,image/jpeg";
  return HttpTransfer(settings, [] { return false; });
}

HttpRequest get(const std::string& url, int max_redirects = 0) {
  HttpRequest request;
  request.url = url;
  request.timeout = milliseconds(2000);
  request.max_redirects = max_redirects;
  return request;
}

TEST(HttpTransfer, FollowsNoRedirectUnlessTheRequestAllowsIt) {
  CdnServer cdn;
  cdn.serve("/p-1.jpg", std::string("JPEG bytes"), "image/jpeg");
  cdn.redirect("/short/p-1", "/p-1.jpg");
  HttpTransfer transfer = make_transfer();

  const HttpResponse plain = transfer.perform(get(cdn.url("/short/p-1")));
  ASSERT_EQ(plain.outcome, HttpResponse::Outcome::completed);
  EXPECT_EQ(plain.status, 302);
  EXPECT_EQ(cdn.requests(), 1);

  const HttpResponse followed = transfer.perform(get(cdn.url("/short/p-1"), 3));
  ASSERT_EQ(followed.outcome, HttpResponse::Outcome::completed);
  EXPECT_EQ(followed.status, 200);
  EXPECT_EQ(followed.body, "JPEG bytes");
}

TEST(HttpTransfer, GivesUpAfterTheRedirectsARequestAllows) {
  CdnServer cdn;
  cdn.redirect("/r1", "/r2");
  cdn.redirect("/r2", "/r3");
  cdn.redirect("/r3", "/end.png");
  cdn.serve("/end.png", std::string("PNG"), "image/png");
  HttpTransfer transfer = make_transfer();

  EXPECT_EQ(transfer.perform(get(cdn.url("/r1"), 3)).body, "PNG");
  const HttpResponse cut = transfer.perform(get(cdn.url("/r1"), 2));
  EXPECT_EQ(cut.outcome, HttpResponse::Outcome::failed);
  EXPECT_TRUE(cut.body.empty());
}

TEST(HttpTransfer, NeverFollowsARedirectToALocalFile) {
  CdnServer cdn;
  cdn.redirect("/p.png", "file:///etc/passwd");
  HttpTransfer transfer = make_transfer();
  const HttpResponse response = transfer.perform(get(cdn.url("/p.png"), 5));
  EXPECT_EQ(response.outcome, HttpResponse::Outcome::failed);
  EXPECT_TRUE(response.body.empty());
}

TEST(HttpTransfer, SendsNoAuthorizationWithoutOneAndTheConfiguredAccept) {
  CdnServer cdn;
  cdn.serve("/p.webp", std::string("RIFF"), "image/webp");
  HttpTransfer transfer = make_transfer();
  EXPECT_EQ(transfer.perform(get(cdn.url("/p.webp"))).status, 200);
  EXPECT_EQ(cdn.authorized_requests(), 0);
  EXPECT_EQ(cdn.last_accept(), "image/webp,image/png,image/jpeg");
}

TEST(HttpTransfer, ATokenNeverFollowsARedirectToAnotherHost) {
  CdnServer api;
  CdnServer cdn;
  cdn.serve("/p.png", std::string("PNG"), "image/png");
  // Another host name for the same machine: to libcurl a different host.
  api.redirect("/img/p.png", "http://localhost:" + std::to_string(cdn.port()) + "/p.png");
  HttpTransfer transfer = make_transfer(kToken);
  const HttpResponse response = transfer.perform(get(api.url("/img/p.png"), 1));
  ASSERT_EQ(response.outcome, HttpResponse::Outcome::completed) << response.error;
  EXPECT_EQ(response.body, "PNG");
  EXPECT_EQ(api.authorized_requests(), 1);
  EXPECT_EQ(cdn.requests(), 1);
  EXPECT_EQ(cdn.authorized_requests(), 0);
}

}  // namespace
}  // namespace cunbo::test
