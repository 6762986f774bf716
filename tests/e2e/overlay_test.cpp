// The showcase overlay as viewers get it: `cunbo practice` recordings of a still picture,
// decoded with libavcodec, compared with what the overlay renderer draws for the same content
// and with the same recording made without an overlay.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include "client/platform/image_loader.h"
#include "client/platform/practice_simulator.h"
#include "media/overlay_layer.h"
#include "tests/support/clip_maker.h"
#include "tests/support/cunbo_cli.h"
#include "tests/support/frame_grab.h"
#include "tests/support/stream_events.h"
#include "ui/overlay/overlay_scene.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

constexpr int kWidth = 1280;
constexpr int kHeight = 720;
constexpr double kFrame = 1.0 / 30;

std::filesystem::path sample_catalog() { return std::filesystem::path(CUNBO_SOURCE_DIR) / "assets/sample-catalog.json"; }

Product sample_product(const std::string& id) {
  auto loaded = load_practice_catalog(sample_catalog());
  for (const Product& p : std::get<std::vector<Product>>(loaded))
    if (p.id == id) return p;
  throw std::runtime_error("no " + id + " in the sample catalog");
}

PixelRect pixel_rect(const OverlayRect& r) { return {r.x, r.y, r.w, r.h}; }

class Overlay : public ::testing::Test {
 protected:
  CunboSandbox cunbo{CUNBO_BINARY, "cunbo-overlay"};
  std::filesystem::path still = cunbo.work_dir() / "still.mkv";

  void SetUp() override {
    std::filesystem::create_directories(cunbo.work_dir());
    ClipSpec spec;
    spec.width = kWidth;
    spec.height = kHeight;
    spec.frame_count = 15;
    spec.still_picture = true;
    make_clip(still, spec);
  }

  // `cunbo practice` on the still picture with a test tone; no simulated orders unless asked.
  RunResult practice(const std::string& name, double seconds, const std::vector<std::string>& extra) const {
    std::vector<std::string> args{"practice", "--video", "file:" + still.string(), "--audio", "test",
                                  "--duration", std::to_string(seconds), "--out", out(name).string(),
                                  "--comments-per-minute", "0"};
    if (std::find(extra.begin(), extra.end(), "--orders-per-minute") == extra.end())
      args.insert(args.end(), {"--orders-per-minute", "0"});
    args.insert(args.end(), extra.begin(), extra.end());
    return cunbo.run(args, {}, std::chrono::seconds(static_cast<int>(seconds)) + 60s);
  }
  std::filesystem::path out(const std::string& name) const { return cunbo.work_dir() / (name + ".mkv"); }

  // The recording's picture nearest to `at` seconds.
  static YuvPicture picture_at(const std::filesystem::path& file, double at) {
    auto pictures = decode_pictures(file, [at](double pts) { return std::abs(pts - at) < kFrame / 2 + 1e-6; });
    if (pictures.empty()) throw std::runtime_error("no picture at " + std::to_string(at) + " s in " + file.string());
    return pictures.front();
  }
};

TEST_F(Overlay, TheCardInTheRecordingIsTheRenderersCardAndTheRestIsUntouched) {
  const RunResult plain = practice("plain", 3, {});
  ASSERT_TRUE(plain.status.success()) << plain.describe();
  const RunResult carded = practice("card", 3, {"--showcase", "p-dongzao"});
  ASSERT_TRUE(carded.status.success()) << carded.describe();

  // Late in the recording: the card (and its picture) went up long before.
  const YuvPicture background = picture_at(out("plain"), 2.5);
  const YuvPicture shown = picture_at(out("card"), 2.5);

  // What the overlay renderer draws for this product, blended into the recording without it.
  ui::OverlayScene scene(kWidth, kHeight);
  ui::OverlayContent content;
  content.card = sample_product("p-dongzao");
  auto bytes = fetch_image_bytes(content.card->image_url, {});
  ASSERT_TRUE(std::holds_alternative<std::vector<uint8_t>>(bytes));
  auto decoded = decode_image(std::get<std::vector<uint8_t>>(bytes), scene.image_box(), scene.image_box());
  ASSERT_TRUE(std::holds_alternative<RgbaImage>(decoded));
  content.card_image = std::make_shared<const RgbaImage>(std::get<RgbaImage>(decoded));
  const ui::RgbaLayer raster = scene.render(content);
  const OverlayLayer layer(kWidth, kHeight, std::span<const uint8_t>(raster.rgba), raster.regions,
                           background.colorspace);
  av::Frame expected_frame = layer.to_yuv_over(*background.to_frame());
  ASSERT_TRUE(expected_frame);
  const YuvPicture expected = YuvPicture::from_frame(*expected_frame);

  const PixelRect card = pixel_rect(scene.card_rect(content));
  ASSERT_GT(card.w, 100);
  ASSERT_GT(card.h, 100);
  const double inside = psnr(shown, expected, card, true);
  const double outside = psnr(shown, background, card, false);
  std::printf("card region vs the renderer's layer: %.1f dB; outside it vs no card: %.1f dB\n", inside, outside);
  EXPECT_GE(inside, 35.0) << "the card on the stream differs from the renderer's card";
  EXPECT_GE(outside, 45.0) << "the picture around the card changed";
  // And the card is really there: the recording without it differs inside the card.
  EXPECT_LT(psnr(shown, background, card, true), 25.0) << "no card in the recording";
}

// Upright phones: the platforms' apps cover the top 12 % and the bottom 35 % of a portrait
// frame with their own UI, so everything the card, the shop name and the banner change in the
// recording lies between, with the card at the bottom and the top alike.
TEST_F(Overlay, APortraitRecordingKeepsTheCardInsideThePhoneAppsSafeArea) {
  const RunResult plain = practice("portrait-plain", 3, {"--orientation", "portrait"});
  ASSERT_TRUE(plain.status.success()) << plain.describe();
  const YuvPicture background = picture_at(out("portrait-plain"), 2.5);
  ASSERT_EQ(background.width, 720);
  ASSERT_EQ(background.height, 1280);
  for (const std::string position : {"bottom-left", "top-right"}) {
    SCOPED_TRACE(position);
    const RunResult carded = practice("portrait-" + position, 3,
                                      {"--orientation", "portrait", "--showcase", "p-dongzao", "--card-position",
                                       position, "--shop-name", "老李家果园", "--orders-per-minute", "600"});
    ASSERT_TRUE(carded.status.success()) << carded.describe();
    const YuvPicture shown = picture_at(out("portrait-" + position), 2.5);
    int top = background.height, bottom = -1, changed = 0;
    for (int y = 0; y < background.height; ++y)
      for (int x = 0; x < background.width; ++x) {
        const size_t i = static_cast<size_t>(y * background.width + x);
        if (std::abs(shown.y[i] - background.y[i]) <= 25) continue;
        ++changed;
        top = std::min(top, y);
        bottom = std::max(bottom, y);
      }
    EXPECT_GT(changed, 720 * 1280 / 20) << "no card in the recording";
    EXPECT_GE(top, 1280 * 12 / 100) << "drawn under the app's top bar";
    EXPECT_LE(bottom, 1280 * 65 / 100) << "drawn under the app's comments";
  }
}

TEST_F(Overlay, AnOrdersBannerIsInTheFrameAfterTheOrder) {
  const RunResult plain = practice("plain", 8, {});
  ASSERT_TRUE(plain.status.success()) << plain.describe();
  const RunResult busy = practice("busy", 8, {"--orders-per-minute", "20", "--seed", "7"});
  ASSERT_TRUE(busy.status.success()) << busy.describe();

  const EventLog log = read_event_log(event_log_path(out("busy")));
  std::vector<double> order_times;
  for (const auto& e : log.of("order")) order_times.push_back(e.value("t", -1.0));
  ASSERT_FALSE(order_times.empty()) << "no simulated order in 8 s:\n" << log.text;
  // The first order's banner, and every later one that found no banner up (orders are 4 s apart).
  std::vector<double> starts{order_times.front()};
  for (double t : order_times)
    if (t >= starts.back() + 4.0 + 0.5 && t < 7.5) starts.push_back(t);

  ui::OverlayScene scene(kWidth, kHeight);
  const PixelRect band = pixel_rect(scene.banner_rect());
  const YuvPicture background = picture_at(out("plain"), 1.0);
  for (double t : starts) {
    SCOPED_TRACE("order at " + std::to_string(t) + " s");
    // The first picture at or after t + 1 frame.
    const double after = std::ceil((t + kFrame) * 30 - 1e-6) / 30;
    const YuvPicture with = picture_at(out("busy"), after);
    const double covered = changed_share(with, background, band, 16);
    std::printf("order at %.3f s: %.1f%% of the banner band changed at %.3f s\n", t, 100 * covered, after);
    // The pill covers a good part of the band once in; sliding in it already shows.
    EXPECT_GT(covered, 0.05) << "no banner in the frame at " << after << " s";
    if (t == order_times.front() && t > 0.2) {
      const YuvPicture before = picture_at(out("busy"), std::floor((t - kFrame) * 30) / 30);
      EXPECT_LT(changed_share(before, background, band, 16), 0.001) << "a banner before the first order";
    }
  }
}

TEST_F(Overlay, HostileProductsRenderWithoutHarm) {
  // Long, emoji-laden, picture-less, free, unlimited, over-tagged: a catalog made to hurt.
  const std::filesystem::path catalog = cunbo.work_dir() / "hostile.json";
  std::string long_title;
  for (int i = 0; i < 40; ++i) long_title += "超长标题农家土特产";
  std::string tags;
  for (int i = 0; i < 50; ++i) tags += std::string(i ? "," : "") + "\"标签" + std::to_string(i) + "\"";
  std::ofstream(catalog) << R"({"products":[)"
                         << R"({"id":"long","title":")" << long_title << R"(","price_cents":3990,"stock":5,"image_url":"","tags":[)" << tags << "]},"
                         << R"({"id":"emoji","title":"🍎🍊 苹果 🍎🍊🥝 Apple 😀","price_cents":0,"stock":null,"image_url":"missing.png","tags":["🔥"]},)"
                         << R"({"id":"zero","title":"🍑","price_cents":0,"original_price_cents":0,"stock":0,"image_url":"","tags":[]})"
                         << R"(],"updated_at":"2026-11-29T08:00:00+08:00"})";
  const RunResult r = practice("hostile", 4, {"--catalog", catalog.string(), "--rotate", "0.5", "--card-position",
                                              "top-right", "--shop-name", "🍎 老王的果园 Lao Wang's Orchard 果园果园果园果园"});
  ASSERT_TRUE(r.status.success()) << r.describe();
  const EventLog log = read_event_log(event_log_path(out("hostile")));
  std::set<std::string> shown;
  for (const auto& e : log.of("showcase")) shown.insert(e.value("product_id", ""));
  EXPECT_EQ(shown, (std::set<std::string>{"long", "emoji", "zero"})) << log.text;
  const auto pictures = decode_pictures(out("hostile"), [](double) { return true; });
  EXPECT_NEAR(static_cast<double>(pictures.size()), 4 * 30, 2);
}

TEST_F(Overlay, AProductThatIsNotInTheListIsRefusedBeforeAnythingIsRecorded) {
  const RunResult r = practice("none", 2, {"--showcase", "p-nope"});
  EXPECT_EQ(r.status.code, 2) << r.describe();
  EXPECT_NE(r.err.find("p-nope"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out("none")));

  const RunResult bad = practice("bad", 2, {"--card-position", "middle"});
  EXPECT_EQ(bad.status.code, 2) << bad.describe();
  EXPECT_NE(bad.err.find("middle"), std::string::npos) << bad.err;
}

TEST_F(Overlay, AnUnknownProductIsRefusedWithTheIdsThereAre) {
  // The sample catalog's seven ids, all of them.
  const RunResult r = practice("none", 2, {"--showcase", "nope"});
  EXPECT_EQ(r.status.code, 2) << r.describe();
  for (const char* id : {"p-dongzao", "p-mihoutao", "p-shiliu", "p-banliren", "p-lajiaojiang", "p-fanshufen", "p-qicheng"})
    EXPECT_NE(r.err.find(id), std::string::npos) << id << " is not offered:\n" << r.err;
  EXPECT_FALSE(std::filesystem::exists(out("none")));

  // A shop of thirty products: the first few ids and how many more, on one line.
  const std::filesystem::path catalog = cunbo.work_dir() / "thirty.json";
  {
    std::ofstream json(catalog);
    json << R"({"products":[)";
    for (int i = 1; i <= 30; ++i)
      json << (i > 1 ? "," : "") << R"({"id":"p-)" << (i < 10 ? "0" : "") << i
           << R"(","title":"土鸡蛋","price_cents":1990,"stock":50,"image_url":"","tags":[]})";
    json << R"(],"updated_at":"2026-11-29T08:00:00+08:00"})";
  }
  const RunResult many = practice("many", 2, {"--catalog", catalog.string(), "--showcase", "p-99"});
  EXPECT_EQ(many.status.code, 2) << many.describe();
  std::string line;
  for (const std::string& l : lines_of(many.err))
    if (l.find("p-99") != std::string::npos) line = l;
  ASSERT_FALSE(line.empty()) << many.err;
  EXPECT_NE(line.find("p-01"), std::string::npos) << line;
  EXPECT_NE(line.find("p-08"), std::string::npos) << line;
  EXPECT_EQ(line.find("p-09"), std::string::npos) << "a long list is shortened: " << line;
  EXPECT_NE(line.find("22"), std::string::npos) << "says how many more there are: " << line;
  EXPECT_LT(line.size(), 300u) << line;
  EXPECT_FALSE(std::filesystem::exists(out("many")));
}

}  // namespace
}  // namespace cunbo::test
