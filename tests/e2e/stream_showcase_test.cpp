// `cunbo stream` with the platform configured: it goes live where the platform says, tells
// the platform which product the host presents, shows the platform's orders, and ends the
// platform's live session with the stream. Real nginx-rtmp, real HTTP platform server.

#include "tests/e2e/stream_harness.h"
#include "tests/support/nginx_rtmp.h"
#include "tests/support/platform_server.h"

namespace cunbo::test {
namespace {

constexpr const char* kToken = "tok-9d2e-SECRET-showcase";

void write_platform_config(const CunboSandbox& cunbo, const PlatformServer& platform) {
  cunbo.write_config("api = \"" + platform.base_url() + "\"\ntoken = \"" + kToken + "\"\n");
}

std::string products_json() {
  return R"([{"id":"p-1","title":"永顺辣椒酱","price_cents":3990,"original_price_cents":4990,"currency":"CNY",)"
         R"("stock":12,"image_url":"","tags":["包邮"]},)"
         R"({"id":"p-2","title":"灵宝大枣 1kg","price_cents":5900,"currency":"CNY","stock":null,"image_url":"","tags":[]}])";
}

TEST_F(Stream, GoesLiveWhereThePlatformSaysAndTellsItWhichProductIsPresented) {
  NginxRtmp nginx;
  PlatformServer platform(kToken);
  platform.set_products_json(products_json());
  platform.set_push_url(nginx.url());
  write_platform_config(cunbo, platform);

  auto p = start_stream({"--duration", "8", "--showcase", "p-1"});
  ASSERT_TRUE(wait_until(deadline_after(20s), [&] { return !platform.showcased().empty() || !p->running(); }))
      << describe(*p);
  ASSERT_FALSE(platform.showcased().empty()) << describe(*p);
  EXPECT_EQ(platform.showcased().front(), "p-1");

  // An order on the platform reaches the stream's event log (and the banner, see overlay_test).
  platform.post_order(PlatformServer::order_json("o-77", "p-1", 2, 7980));
  EXPECT_TRUE(wait_for_log(deadline_after(15s), [](const EventLog& log) {
    for (const auto& e : log.of("order"))
      if (e.value("id", "") == "o-77") return true;
    return false;
  }, p.get())) << describe(*p);

  const RunResult r = p->finish(deadline_after(40s));
  ASSERT_TRUE(r.status.success()) << describe(r);
  ASSERT_TRUE(nginx.wait_until_idle(deadline_after(10s)));
  const auto recordings = nginx.recordings();
  ASSERT_EQ(recordings.size(), 1U) << "the platform's push address got the stream\n" << describe(r);
  Recorded server;
  ASSERT_TRUE(probe_recording(recordings[0], server));
  EXPECT_NEAR(server.video.duration_s, 8.0, 0.5);
  EXPECT_EQ(platform.ended_sessions().size(), 1U) << "the platform's live session ends with the stream";

  const EventLog log = events();
  ASSERT_FALSE(log.of("showcase").empty());
  EXPECT_EQ(log.of("showcase").front().value("product_id", ""), "p-1");
  // The stream key the platform handed out is a secret: not on screen, not in the event log.
  for (const std::string& text : {r.out, r.err, log.text}) {
    EXPECT_EQ(text.find("sk_test_"), std::string::npos) << text;
    EXPECT_EQ(text.find(kToken), std::string::npos) << text;
  }
}

TEST_F(Stream, ACatalogFileGivesTheCardsWithoutAPlatform) {
  NginxRtmp nginx;
  const RunResult r = run_stream({"--duration", "3", "--dest", nginx.url_with_key("k1"), "--catalog",
                                  std::string(CUNBO_SOURCE_DIR) + "/assets/sample-catalog.json", "--showcase", "no-such"},
                                 3);
  EXPECT_EQ(r.status.code, 2) << describe(r);
  EXPECT_NE(r.err.find("no-such"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(recording())) << "nothing recorded for a mistyped product";
}

}  // namespace
}  // namespace cunbo::test
