// The studio window on the screens village hosts own (issue #11, "a window that fits the
// laptop a host owns"): at 1280x720, 1366x768 and 1920x1080, and at 150 %, the top bar, the
// 开始直播 button, the products, the orders, the comments and 设置's 保存 lie inside the window,
// whole; dialogs are modal sheets over a dimmed window, and while one is up the studio's keys do
// nothing. Screenshots (SDL's dummy driver and software renderer) decoded and looked at, as in
// studio_window_test.cpp.
#include <gtest/gtest.h>

#include <string>

#include "tests/e2e/studio_window_shots.h"
#include "tests/support/nginx_rtmp.h"  // pick_free_loopback_port
#include "tests/support/stream_events.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

constexpr uint32_t kLiveRed = 0xE0363A;      // colors::kLive: 开始直播, prices, 村播
constexpr uint32_t kPrimaryBlue = 0x2563EB;  // colors::kPractice: 保存, 下一步
constexpr uint32_t kWhite = 0xFFFFFF;        // a panel
constexpr uint32_t kButtonGrey = 0xE9ECF0;   // an ordinary button (设置)
constexpr uint32_t kKeyBadge = 0xE5E7EB;     // a product's F1…F9 key
constexpr uint32_t kTotalsBox = 0xF5F6F8;    // the orders' totals
constexpr uint32_t kTitleBarGrey = 0xD1D1D1;  // ImGui's own title bar (light style): never shown
constexpr int kTopBar = 52;                  // the top bar's height at 100 % (window_layout.cpp)
constexpr const char* kOneAddress = "[[destinations]]\nurl = \"rtmp://127.0.0.1:1935/live\"\nkey = \"k-fit\"\n";

struct ScreenSize {
  int w = 0, h = 0;
  [[nodiscard]] std::string arg() const { return std::to_string(w) + "x" + std::to_string(h); }
};

// What a host must be able to see and reach, found in the picture, with `s` the UI scale.
void expect_main_controls_inside(const Rgb& image, float s) {
  const int w = image.width;
  const int h = image.height;
  const int top = static_cast<int>(std::round(kTopBar * s));
  const int margin = static_cast<int>(std::round(8 * s));  // around the panels (window_layout.cpp)
  // The top bar: the red name on the left, 设置 whole on the right.
  EXPECT_GT(count_color(image, PixelBox{0, 0, w / 4, top}, kLiveRed, 20), 50) << "no 村播 in the top bar";
  const auto settings = bounds_of(image, PixelBox{w / 2, 0, w / 2, top}, kButtonGrey, 2);
  ASSERT_TRUE(settings) << "no 设置 button";
  EXPECT_LE(settings->x + settings->w, w - 4) << "设置 is cut off on the right";
  EXPECT_GE(settings->y, 2);
  EXPECT_LE(settings->y + settings->h, top - 2);
  EXPECT_GE(settings->h, 28 * s) << "设置 is squashed";

  // 开始直播: the red fill, whole, under the preview on the left.
  const auto go = bounds_of(image, PixelBox{0, top, w * 6 / 10, h - top}, kLiveRed, 10);
  ASSERT_TRUE(go) << "no 开始直播 button";
  EXPECT_GE(go->h, 62 * s) << "开始直播 is cut off";
  EXPECT_GE(go->w, 170 * s);
  EXPECT_LE(go->y + go->h, h - 8) << "开始直播 runs off the bottom";

  // The right column's panels (white, down its right edge): the top bar, the products, the
  // orders, each ending inside the window.
  const std::vector<RowRun> right = row_runs(image, PixelBox{w - margin - 5, 0, 1, h}, kWhite, 1, 2);
  ASSERT_EQ(right.size(), 3U) << "the top bar, the products and the orders";
  const RowRun products = right[1];
  const RowRun orders = right[2];
  EXPECT_GE(products.height(), 250 * s);
  EXPECT_GE(orders.height(), 180 * s);
  EXPECT_LE(orders.last, h - 6) << "the orders run off the bottom";
  // At least three products in view, each with its key.
  int keys = 0;
  for (const RowRun& r : row_runs(image, PixelBox{w * 6 / 10, products.first, w * 4 / 10, products.height()}, kKeyBadge, 12, 2))
    if (r.height() >= 18 * s) ++keys;
  EXPECT_GE(keys, 3) << "fewer than three products in view";
  // The totals, whole.
  const auto totals = bounds_of(image, PixelBox{w * 6 / 10, orders.first, w * 4 / 10, orders.height()}, kTotalsBox, 1);
  ASSERT_TRUE(totals) << "no order totals";
  EXPECT_GE(totals->h, 60 * s) << "the totals are cut off";

  // The left column (down its left edge): the top bar, the controls, the comments (the dark
  // preview between them); the comments keep their heading and three lines.
  const std::vector<RowRun> left = row_runs(image, PixelBox{margin + 5, 0, 1, h}, kWhite, 1, 2);
  ASSERT_EQ(left.size(), 3U) << "the top bar, the controls and the comments";
  EXPECT_GE(left[1].height(), 130 * s) << "the controls are squashed";
  EXPECT_GE(left[2].height(), 128 * s) << "the comments shrank below three lines";
  EXPECT_LE(left[2].last, h - 6) << "the comments run off the bottom";
}

class StudioWindowFit : public StudioWindowFixture, public ::testing::WithParamInterface<ScreenSize> {
 protected:
  Rgb shot(const std::string& state, std::vector<std::string> args, const EnvChanges& extra = {}) {
    const ScreenSize size = GetParam();
    args.insert(args.end(), {"--window-size", size.arg()});
    return screenshot(state + "-" + size.arg(), args, extra, 60s, size.w, size.h);
  }
};

TEST_P(StudioWindowFit, IdleShowsEveryMainControlWhole) {
  write_config(kOneAddress);
  const Rgb image = shot("fit-idle", {"--after-frames", "20"});
  ASSERT_EQ(image.width, GetParam().w);
  expect_main_controls_inside(image, 1);
}

TEST_P(StudioWindowFit, LivePracticeKeepsThePreviewTheOrdersAndTheButton) {
  write_config("language = \"zh-CN\"\n");
  const Rgb image = shot("fit-live", {"--practice", "--video", "test", "--audio", "test", "--go-live-after-frames", "5",
                                      "--present", "2", "--after-frames", "150", "--practice-seed", "7",
                                      "--practice-orders-per-minute", "90"});
  ASSERT_EQ(image.width, GetParam().w);
  const int w = image.width;
  const int h = image.height;
  // The picture (the test pattern's colour bars) is in the preview, the orders' prices are red.
  EXPECT_GT(stats(image, PixelBox{8, kTopBar + 8, w / 2, h / 3}).variance, 1500) << "no picture while live";
  const std::vector<RowRun> right = row_runs(image, PixelBox{w - 13, 0, 1, h}, kWhite, 1, 2);
  ASSERT_EQ(right.size(), 3U);
  EXPECT_GT(count_color(image, PixelBox{w * 6 / 10, right[2].first, w * 4 / 10, right[2].height()}, kLiveRed, 30), 200)
      << "no orders";
  // 结束练习 (dark), whole.
  const auto end = bounds_of(image, PixelBox{0, kTopBar, w / 3, h - kTopBar}, 0x374151, 6);
  ASSERT_TRUE(end) << "no 结束练习 button";
  EXPECT_GE(end->h, 62);
  EXPECT_LE(end->y + end->h, h - 8);
}

TEST_P(StudioWindowFit, SettingsWithOneAddressKeepSaveInView) {
  write_config(kOneAddress);
  const Rgb image = shot("fit-settings", {"--state", "settings", "--after-frames", "20"});
  ASSERT_EQ(image.width, GetParam().w);
  const int w = image.width;
  const int h = image.height;
  // 保存 is the one wide blue thing: whole, above the bottom of the window.
  const std::vector<RowRun> blue = row_runs(image, PixelBox{0, 0, w, h}, kPrimaryBlue, 60, 12);
  ASSERT_EQ(blue.size(), 1U) << "no 保存 button (or more than one)";
  EXPECT_GE(blue[0].height(), 30) << "保存 is cut off";
  EXPECT_LE(blue[0].last, h - 20) << "保存 is at the very bottom or below it";
  const auto save = bounds_of(image, PixelBox{0, blue[0].first, w, blue[0].height()}, kPrimaryBlue, 12);
  ASSERT_TRUE(save);
  EXPECT_GE(save->w, 90);
  // A sheet over a dimmed window, without ImGui's title bar.
  EXPECT_LT(stats(image, PixelBox{0, 0, 60, 40}).mean, 180) << "the window behind 设置 is not dimmed";
  EXPECT_LT(count_color(image, PixelBox{0, 0, w, h}, kTitleBarGrey, 2), 2000) << "a grey title bar";
}

INSTANTIATE_TEST_SUITE_P(StudioWindowSizes, StudioWindowFit,
                         ::testing::Values(ScreenSize{1280, 720}, ScreenSize{1366, 768}, ScreenSize{1920, 1080}),
                         [](const ::testing::TestParamInfo<ScreenSize>& size) { return size.param.arg(); });

class StudioWindowSheets : public StudioWindowFixture {};

TEST_F(StudioWindowSheets, At150PercentEverythingIsLargerAndStillInside) {
  write_config(kOneAddress);
  const Rgb image = screenshot("fit-idle-150", {"--window-size", "1920x1080", "--after-frames", "20"},
                               {{"CUNBO_UI_SCALE", "1.5"}}, 60s, 1920, 1080);
  ASSERT_EQ(image.width, 1920);
  expect_main_controls_inside(image, 1.5f);
}

TEST_F(StudioWindowSheets, TheGuideIsASheetOverADimmedWindow) {
  const Rgb image = screenshot("fit-guide", {"--window-size", "1366x768", "--after-frames", "20"}, {}, 60s, 1366, 768);
  ASSERT_EQ(image.width, 1366);
  EXPECT_GT(stats(image, PixelBox{433, 300, 500, 150}).mean, 200) << "no light guide in the middle";
  EXPECT_LT(stats(image, PixelBox{0, 0, 60, 40}).mean, 180) << "the window behind the guide is not dimmed";
  EXPECT_LT(stats(image, PixelBox{1300, 700, 60, 60}).mean, 180);
  const std::vector<RowRun> blue = row_runs(image, PixelBox{0, 0, 1366, 768}, kPrimaryBlue, 60, 12);
  ASSERT_EQ(blue.size(), 1U) << "no 下一步 button";
  EXPECT_GE(blue[0].height(), 30);
  EXPECT_LT(count_color(image, PixelBox{0, 0, 1366, 768}, kTitleBarGrey, 2), 2000) << "a grey title bar";
}

TEST_F(StudioWindowSheets, F12DoesNothingWhileTheGuideIsOpen) {
  // 练习模式 needs no address: without the guide in the way F12 would start a practice recording.
  const Rgb image = screenshot("keys-guide", {"--practice", "--video", "test", "--audio", "test", "--keys", "10:F12",
                                              "--after-frames", "60"});
  ASSERT_EQ(image.width, 1280);
  EXPECT_TRUE(recordings_under(cunbo.videos_dir()).empty()) << "F12 went live under the guide";
  EXPECT_GT(stats(image, PixelBox{260, 300, 760, 200}).mean, 200) << "the guide is still up";
}

TEST_F(StudioWindowSheets, StudioKeysDoNothingWhileSettingsAreOpenAndEscClosesThem) {
  const int port = pick_free_loopback_port();
  write_config("[[destinations]]\nurl = \"rtmp://127.0.0.1:" + std::to_string(port) + "/live\"\nkey = \"k-keys\"\n");
  const Rgb open = screenshot("keys-settings", {"--state", "settings", "--video", "test", "--audio", "test", "--keys",
                                                "5:F12", "--after-frames", "60"});
  EXPECT_TRUE(recordings_under(cunbo.videos_dir()).empty()) << "F12 went live under 设置";
  EXPECT_LT(stats(open, PixelBox{0, 0, 60, 40}).mean, 180) << "设置 closed by itself";

  // Esc is 设置's own key: it closes it (without saving), and the window is bright again.
  const Rgb closed = screenshot("keys-settings-esc", {"--state", "settings", "--keys", "10:Escape", "--after-frames", "40"});
  EXPECT_GT(stats(closed, PixelBox{0, 0, 60, 40}).mean, 220) << "Esc did not close 设置";
}

TEST_F(StudioWindowSheets, ProductKeysDoNothingWhileTheEndQuestionIsUp) {
  write_config("language = \"zh-CN\"\n");
  // Live practice; F12 asks "end?"; F3 and PgDn under the question must not put a card on the stream.
  const Rgb image = screenshot("keys-confirm", {"--practice", "--video", "test", "--audio", "test", "--go-live-after-frames",
                                                "5", "--keys", "60:F12,70:F3,80:PageDown", "--after-frames", "120"});
  EXPECT_LT(stats(image, PixelBox{0, 0, 60, 40}).mean, 180) << "no question over a dimmed window";
  const auto recordings = recordings_under(cunbo.videos_dir());
  ASSERT_EQ(recordings.size(), 1U);
  const EventLog log = read_event_log(event_log_path(recordings[0]));
  for (const auto& e : log.of("showcase")) EXPECT_TRUE(e["product_id"].is_null()) << "a card went up: " << e.dump();
}

}  // namespace
}  // namespace cunbo::test
