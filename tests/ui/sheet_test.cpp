// 设置 and the first-start guide as a host meets them (issue #11): modal sheets over a dimmed
// window whose 保存 stays in view on a 1280x720 window, that start on the language the window
// speaks, a speed check that says what the computer can do, and a save that takes an outdated
// "no push address" message away at once. Offscreen with the window's fonts and style; a real
// Studio for the save.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "client/base/strings.h"
#include "client/studio/studio.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"
#include "tests/ui/offscreen_ui.h"
#include "ui/window/first_start_guide.h"
#include "ui/window/settings_panel.h"
#include "tests/support/environment.h"

namespace cunbo::ui {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

Config one_address() {
  Config c;
  c.language = "zh-CN";
  c.destinations = {{"rtmp://push.example.com/live", "stream-KEY-1"}};
  return c;
}

ProbeRunner::ProbeFn never_probe() {
  return [](std::chrono::milliseconds, std::function<void(float)>, std::stop_token) { return ProbeResult{}; };
}

UplinkRunner::UplinkFn never_uplink() {
  return [](const Destination&, const std::string&, std::function<void(float)>, std::stop_token) {
    return UplinkResult{};
  };
}

class SheetTest : public ::testing::Test {
 protected:
  void SetUp() override { set_language(Language::zh_CN); }
  void TearDown() override { set_language(Language::zh_CN); }
};

TEST_F(SheetTest, SettingsKeepSaveInViewOnA1280x720WindowAndDimTheWindow) {
  OffscreenUi ui(1280, 720);
  Config stored = one_address();
  DeviceLister devices([] { return fake_devices(); });
  ProbeRunner probe(never_probe());
  UplinkRunner uplink(never_uplink());
  SettingsPanel panel([&] { return stored; }, [](const Config&) { return std::optional<std::string>(); }, devices,
                      probe, uplink);
  panel.show();
  for (int i = 0; i < 5; ++i) {
    std::string text;
    panel.collect_text(text);
    ui.frame(text, [&] { panel.draw_modal(900, 680, ui.look()); });
  }
  ui.screenshot("sheet-settings-720");
  // 保存: the one wide blue run of rows, whole and above the bottom edge.
  int first = -1;
  int last = -1;
  int runs = 0;
  for (int y = 0; y < 720; ++y) {
    int blue = 0;
    for (int x = 0; x < 1280; ++x) {
      const auto p = ui.pixel(x, y);
      if (std::abs(p[0] - 0x25) < 12 && std::abs(p[1] - 0x63) < 12 && std::abs(p[2] - 0xEB) < 12) ++blue;
    }
    if (blue < 60) continue;
    if (last != y - 1) ++runs;
    if (first < 0) first = y;
    last = y;
  }
  EXPECT_EQ(runs, 1) << "保存 is missing, or more than one wide blue thing";
  EXPECT_GE(last - first + 1, 30) << "保存 is cut off";
  EXPECT_LE(last, 700);
  // Behind the sheet the window is dimmed.
  const auto corner = ui.pixel(4, 4);
  EXPECT_LT(corner[0], 180) << "no dim behind the sheet";
}

TEST_F(SheetTest, SettingsStartOnTheLanguageTheWindowSpeaks) {
  // `cunbo --lang en` with a config that says zh-CN: the radio shows English.
  set_language(Language::en);
  DeviceLister devices([] { return fake_devices(); });
  ProbeRunner probe(never_probe());
  UplinkRunner uplink(never_uplink());
  SettingsPanel panel([] { return one_address(); }, [](const Config&) { return std::optional<std::string>(); }, devices,
                      probe, uplink);
  panel.show();
  EXPECT_EQ(panel.form().language, Language::en);
}

TEST_F(SheetTest, TheGuideStartsOnTheLanguageTheWindowSpeaks) {
  set_language(Language::en);  // an English locale, no config yet
  ProbeRunner probe(never_probe());
  UplinkRunner uplink(never_uplink());
  DeviceLister devices([] { return fake_devices(); });
  FirstStartGuide guide([] { return Config{}; }, [](const Config&) { return std::optional<std::string>(); },
                        [](GuideResult) {}, probe, uplink, devices);
  guide.next();  // loads the form
  EXPECT_EQ(guide.form().language, Language::en);
}

TEST_F(SheetTest, TheSpeedCheckSaysWhatThisComputerCanStreamNotARatio) {
  ProbeResult result;
  result.speeds = {{Quality::smooth_480p, 200, 100}, {Quality::standard_720p, 70, 100}, {Quality::high_1080p, 30, 60}};
  result.chosen = Quality::standard_720p;
  EXPECT_EQ(probe_outcome(result), "这台电脑可以流畅直播 标清 720p");
  EXPECT_THAT(probe_outcome(result), Not(HasSubstr("倍")));
  ASSERT_TRUE(probe_beyond(result));
  EXPECT_THAT(*probe_beyond(result), HasSubstr("高清 1080p"));
  EXPECT_THAT(*probe_beyond(result), Not(HasSubstr("倍")));

  result.slow = true;
  result.chosen = Quality::smooth_480p;
  EXPECT_THAT(probe_outcome(result), HasSubstr("比较慢"));
  set_language(Language::en);
  result.slow = false;
  result.chosen = Quality::standard_720p;
  EXPECT_THAT(probe_outcome(result), HasSubstr("can stream"));
  EXPECT_THAT(probe_outcome(result), Not(HasSubstr("real time")));

  ProbeResult cancelled;
  cancelled.cancelled = true;
  EXPECT_FALSE(probe_beyond(cancelled));
}

class SaveSettingsTest : public SheetTest {
 protected:
  void SetUp() override {
    SheetTest::SetUp();
    cunbo::test::set_env("XDG_STATE_HOME", (dir_ / "state").string());
    cunbo::test::set_env("XDG_CACHE_HOME", (dir_ / "cache").string());
    cunbo::test::set_env("CUNBO_ASSETS_DIR", CUNBO_SOURCE_DIR "/assets");
  }
  test::TempDir dir_{"save-settings"};
};

TEST_F(SaveSettingsTest, SavingAnAddressTakesTheNoAddressMessageAndHintAwayAtOnce) {
  StudioOptions options;
  options.config.out_dir = (dir_ / "videos").string();
  options.config_path = dir_ / "config" / "config.toml";
  options.video_spec = "test";
  options.audio_spec = "test";
  options.version = "test";
  Studio studio(std::move(options));
  studio.start();
  studio.go_live();  // no push address: refused, with a message the window shows as a banner
  ASSERT_TRUE(test::wait_until(test::deadline_after(10s), [&] { return studio.snapshot().message.has_value(); }));
  EXPECT_THAT(*studio.snapshot().message, HasSubstr("推流地址"));
  EXPECT_EQ(studio.snapshot().configured_destinations, 0U);

  Config config = studio.config();
  config.destinations = {{"rtmp://push.example.com/live", "k-1"}};
  ASSERT_EQ(save_settings(studio, config), std::nullopt);
  // The very next snapshot (the next frame) has neither the message nor the hint's old count.
  const StudioSnapshot after = studio.snapshot();
  EXPECT_FALSE(after.message) << *after.message;
  EXPECT_EQ(after.configured_destinations, 1U);
  EXPECT_EQ(after.state, StudioState::idle);
  studio.request_stop();
  studio.join();
}

}  // namespace
}  // namespace cunbo::ui
