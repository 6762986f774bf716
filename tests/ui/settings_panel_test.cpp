// The settings panel and the first-start guide: the form they edit turns into the config the
// host meant (keys split out of pasted URLs, fields it does not show kept), the panels draw
// offscreen with the real fonts, save through the window's function, show its error, and the
// guide walks from welcome to practice with the probe's preset. Set CUNBO_SCREENSHOT_DIR to keep
// a PNG of each panel (1280x800, the software renderer, Noto Sans CJK, the window's look: a modal
// sheet over a dimmed window).
#include "ui/window/settings_panel.h"

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <SDL.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_impl_sdlrenderer.h>
#include <stb_image_write.h>

#include "client/config/destination.h"
#include "client/base/strings.h"
#include "tests/support/wait.h"
#include "ui/window/first_start_guide.h"
#include "ui/overlay/font_set.h"
#include "ui/overlay/imgui_guard.h"
#include "ui/window/settings_form.h"
#include "tests/ui/offscreen_ui.h"

namespace cunbo::ui {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

Config full_config() {
  Config c;
  c.video = "v4l2:/dev/video0";
  c.audio = "pulse:alsa_input.usb-mic";
  c.quality = "1080p";
  c.duration = 90;
  c.out_dir = "/home/host/视频";
  c.language = "zh-CN";
  c.shop_name = "老王家的沾化冬枣";
  c.card_position = "bottom-right";
  c.destinations = {{"rtmp://push.example.com/live", "stream-KEY-1"}, {"srt://srt.example.org:9000?streamid=x", {}}};
  c.api = "https://api.example.com/v1";
  c.token = "TOKEN-2";
  return c;
}

// ---------------------------------------------------------------------------------------------
// The form

TEST(SettingsForm, GivesBackTheConfigItWasMadeFrom) {
  const Config config = full_config();
  const SettingsForm form = SettingsForm::from_config(config);
  EXPECT_EQ(form.quality, Quality::high_1080p);
  EXPECT_EQ(form.card, CardCorner::bottom_right);
  ASSERT_EQ(form.destinations.size(), 2u);
  EXPECT_FALSE(form.destinations[0].show_key) << "keys start hidden";
  EXPECT_EQ(form.to_config(config), config);
}

TEST(SettingsForm, KeepsWhatItDoesNotEditAndDropsWhatIsLeftBlank) {
  Config config = full_config();
  SettingsForm form = SettingsForm::from_config(config);
  form.destinations.push_back({});            // 添加推流地址, then nothing typed
  form.token = "   ";                          // cleared
  form.api = "  https://api.example.com/v2\n";  // pasted with a line break
  const Config saved = form.to_config(config);
  EXPECT_EQ(saved.duration, config.duration);
  EXPECT_EQ(saved.out_dir, config.out_dir);
  EXPECT_EQ(saved.destinations.size(), 2u);
  EXPECT_EQ(saved.token, std::nullopt);
  EXPECT_EQ(saved.api, "https://api.example.com/v2");

  // An empty config gets the defaults a session would use, written out explicitly.
  const Config fresh = SettingsForm::from_config(Config{}).to_config(Config{});
  EXPECT_EQ(fresh.quality, "720p");
  EXPECT_EQ(fresh.video, "test");
  EXPECT_EQ(fresh.card_position, "bottom-left");
  EXPECT_EQ(fresh.shop_name, std::nullopt);
  EXPECT_TRUE(fresh.destinations.empty());
}

TEST(SettingsForm, ANewHostStartsInPortraitAndAnOlderConfigStaysLandscape) {
  const SettingsForm fresh = SettingsForm::from_config(Config{});
  EXPECT_EQ(fresh.orientation, Orientation::portrait);
  EXPECT_EQ(fresh.framing_settings().mode, FramingMode::fill) << "a landscape webcam fills a portrait frame";
  EXPECT_EQ(fresh.to_config(Config{}).orientation, "portrait");
  EXPECT_EQ(fresh.to_config(Config{}).framing, std::nullopt) << "the default is not written";
  const Config older = full_config();
  SettingsForm form = SettingsForm::from_config(older);
  EXPECT_EQ(form.orientation, Orientation::landscape);
  EXPECT_EQ(form.to_config(older).orientation, std::nullopt);
  form.orientation = Orientation::portrait;
  form.framing = FramingMode::fit;
  form.zoom = 1.52f;
  form.rotation = 90;
  const Config saved = form.to_config(older);
  EXPECT_EQ(saved.orientation, "portrait");
  EXPECT_EQ(saved.framing, "fit");
  EXPECT_EQ(saved.framing_zoom, 1.5) << "in the slider's steps";
  EXPECT_EQ(saved.camera_rotation, 90);
  EXPECT_EQ(saved.framing_x, std::nullopt);
  const Framing back = SettingsForm::from_config(saved).framing_settings();
  EXPECT_EQ(back.mode, FramingMode::fit);
  EXPECT_EQ(back.rotation, 90);
}

TEST(SettingsForm, TheMirrorIsOffForANewHostAndWrittenOnlyOnceTurned) {
  SettingsForm form = SettingsForm::from_config(Config{});
  EXPECT_FALSE(form.mirror);
  EXPECT_FALSE(form.mirror_stream);
  EXPECT_EQ(form.to_config(Config{}).mirror, std::nullopt);
  EXPECT_EQ(form.to_config(Config{}).mirror_stream, std::nullopt);
  form.mirror = true;
  const Config saved = form.to_config(Config{});
  EXPECT_EQ(saved.mirror, true);
  EXPECT_EQ(saved.mirror_stream, std::nullopt);
  EXPECT_FALSE(SettingsForm::from_config(saved).framing_settings().mirror) << "the preview only";
  form.mirror_stream = true;
  EXPECT_TRUE(SettingsForm::from_config(form.to_config(saved)).framing_settings().mirror);
  form.mirror = form.mirror_stream = false;
  const Config off = form.to_config(form.to_config(saved));
  EXPECT_EQ(off.mirror, false) << "turned off, the file says so";
}

TEST(SettingsForm, WritesCleanSoundOnlyWhenTheHostChangesIt) {
  SettingsForm form = SettingsForm::from_config(Config{});
  EXPECT_TRUE(form.denoise) << "降噪 is on for a new host";
  EXPECT_EQ(form.to_config(Config{}).denoise, std::nullopt);
  EXPECT_EQ(form.to_config(Config{}).mic_gain, std::nullopt);
  form.denoise = false;
  form.mic_gain = 6.2f;
  const Config saved = form.to_config(Config{});
  EXPECT_EQ(saved.denoise, false);
  EXPECT_EQ(saved.mic_gain, 6.0) << "in the slider's half-dB steps";
  EXPECT_EQ(SettingsForm::from_config(saved).mic_gain, 6.0f);
}

TEST(SettingsForm, MovesTheKeyOutOfAPastedPushUrl) {
  const std::string pasted = "rtmp://push-rtmp.example.com/stage/stream-1234?expire=99&sign=abcd";
  DestinationRow row{" " + pasted + "\n", "", false};
  row.split_key_from_url();
  EXPECT_EQ(row.url, "rtmp://push-rtmp.example.com/stage");
  EXPECT_EQ(row.key, "stream-1234?expire=99&sign=abcd");
  const auto dest = make_destination(row.url, row.key);
  ASSERT_TRUE(std::holds_alternative<Destination>(dest));
  EXPECT_EQ(std::get<Destination>(dest).url, pasted) << "the same place to push";

  DestinationRow srt{"srt://h:9000?streamid=publish/x&passphrase=p", "", false};
  srt.split_key_from_url();
  EXPECT_EQ(srt.key, "") << "an srt URL keeps its query";
  DestinationRow with_key{"rtmp://h/app/in-url", "typed", false};
  with_key.split_key_from_url();
  EXPECT_EQ(with_key.key, "typed") << "a key typed in is never overwritten";
}

TEST(SettingsForm, SaysWhatIsWrongWithoutShowingTheKey) {
  set_language(Language::zh_CN);
  SettingsForm form = SettingsForm::from_config(full_config());
  form.destinations[0].key = "KEY WITH SPACE";
  const auto problem = form.check(full_config());
  ASSERT_TRUE(problem);
  EXPECT_THAT(*problem, HasSubstr("不能有空格"));
  EXPECT_THAT(*problem, Not(HasSubstr("KEY")));
  form.destinations[0].key = "ok";
  EXPECT_EQ(form.check(full_config()), std::nullopt);
}

TEST(DevicePicker, ListsDevicesLikeCunboDevicesWithTheTestSourcesAlwaysThere) {
  set_language(Language::zh_CN);
  const DeviceLists lists = fake_devices();
  const auto cameras = camera_entries(&lists, "v4l2:/dev/video0");
  ASSERT_EQ(cameras.size(), 2u);
  EXPECT_EQ(cameras[0].label, "HD Webcam C270（v4l2:/dev/video0）");
  EXPECT_EQ(cameras[1].spec, "test");
  const auto mics = microphone_entries(&lists, "test");
  ASSERT_EQ(mics.size(), 3u);
  EXPECT_THAT(mics[0].label, HasSubstr("（默认）"));
  EXPECT_THAT(mics[1].label, HasSubstr("不是麦克风"));

  const DeviceLists none;
  const auto no_cameras = camera_entries(&none, "file:/home/host/clip.mp4");
  ASSERT_EQ(no_cameras.size(), 3u);
  EXPECT_EQ(no_cameras[0].label, "没有找到摄像头");
  EXPECT_FALSE(no_cameras[0].enabled);
  EXPECT_EQ(no_cameras[1].spec, "test");
  EXPECT_EQ(no_cameras[2].spec, "file:/home/host/clip.mp4") << "the configured source is kept";
  EXPECT_EQ(camera_entries(nullptr, "test")[0].label, "正在查找设备…");
}

// ---------------------------------------------------------------------------------------------
// The settings panel

// A probe that reports progress, then waits for `release` (or a stop) and picks 1080p.
struct FakeProbe {
  std::mutex mutex;
  std::condition_variable_any cv;
  bool released = false;

  ProbeRunner::ProbeFn fn() {
    return [this](std::chrono::milliseconds, std::function<void(float)> progress, std::stop_token stop) {
      progress(0.4f);
      std::unique_lock lock(mutex);
      cv.wait(lock, stop, [&] { return released; });
      ProbeResult result;
      if (stop.stop_requested() && !released) {
        result.cancelled = true;
        return result;
      }
      result.speeds = {{Quality::smooth_480p, 260, 100}, {Quality::standard_720p, 130, 100},
                       {Quality::high_1080p, 58, 60}};
      result.chosen = Quality::high_1080p;
      progress(1.0f);
      return result;
    };
  }
  void release() {
    const std::lock_guard lock(mutex);
    released = true;
    cv.notify_all();
  }
};

// An uplink that reports half done, then waits for `release` (or a stop) and measured `kbps`
// with the link full. It keeps the address it was given.
struct FakeUplink {
  explicit FakeUplink(int measured) : kbps(measured) {}
  int kbps;
  std::mutex mutex;
  std::condition_variable_any cv;
  bool released = false;
  std::optional<Destination> given;

  UplinkRunner::UplinkFn fn() {
    return [this](const Destination& d, const std::string&, std::function<void(float)> progress, std::stop_token stop) {
      progress(0.5f);
      std::unique_lock lock(mutex);
      given = d;
      cv.wait(lock, stop, [&] { return released; });
      UplinkResult result;
      result.reached = true;
      result.cancelled = stop.stop_requested() && !released;
      result.kbps = kbps;
      result.saturated = true;
      result.seconds = 8;
      return result;
    };
  }
  void release() {
    const std::lock_guard lock(mutex);
    released = true;
    cv.notify_all();
  }
  std::optional<Destination> destination() {
    const std::lock_guard lock(mutex);
    return given;
  }
};


class SettingsPanelTest : public ::testing::Test {
 protected:
  void SetUp() override { set_language(Language::zh_CN); }
  void TearDown() override { set_language(Language::zh_CN); }

  void draw_frames(SettingsPanel& panel, int frames) {
    for (int i = 0; i < frames; ++i) {
      panel.update();
      std::string text;
      panel.collect_text(text);
      ui_.frame(text, [&] { panel.draw_modal(900, OffscreenUi::kHeight - 40, ui_.look()); });
    }
  }

  OffscreenUi ui_;
  Config stored_ = full_config();
  std::vector<Config> saved_;
  std::optional<std::string> save_error_;
  DeviceLister devices_{[] { return fake_devices(); }};
  FakeProbe probe_;
  ProbeRunner speed_{probe_.fn()};
  FakeUplink measured_{1500};
  UplinkRunner uplink_{measured_.fn()};
  SettingsPanel panel_{[this] { return stored_; },
                       [this](const Config& c) -> std::optional<std::string> {
                         if (save_error_) return save_error_;
                         saved_.push_back(c);
                         stored_ = c;
                         return std::nullopt;
                       },
                       devices_, speed_, uplink_};
};

TEST_F(SettingsPanelTest, OpensOnTheSavedConfigAndListsTheDevices) {
  EXPECT_FALSE(panel_.is_open()) << "opened by the window's 设置 button";
  panel_.show();
  ASSERT_TRUE(test::wait_until(test::deadline_after(5s), [&] { return panel_.devices_listed(); }));
  draw_frames(panel_, 3);
  EXPECT_EQ(panel_.form().shop_name, "老王家的沾化冬枣");

  std::string text;
  panel_.collect_text(text);
  EXPECT_THAT(text, HasSubstr("保存"));
  EXPECT_THAT(text, HasSubstr("HD Webcam C270"));
  EXPECT_THAT(text, HasSubstr("老王家的沾化冬枣"));
  EXPECT_THAT(text, HasSubstr("\u25CF"));
  EXPECT_THAT(text, Not(HasSubstr("stream-KEY-1"))) << "a hidden key is not drawn";
  EXPECT_THAT(text, Not(HasSubstr("TOKEN-2")));
  panel_.form().destinations[0].show_key = true;
  text.clear();
  panel_.collect_text(text);
  EXPECT_THAT(text, HasSubstr("stream-KEY-1")) << "a shown key is drawn";
  panel_.form().destinations[0].show_key = false;
  draw_frames(panel_, 2);
  ui_.screenshot("settings");
}

TEST_F(SettingsPanelTest, SavesTheEditsThroughTheWindowAndClosesAndAppliesTheLanguage) {
  panel_.show();
  draw_frames(panel_, 2);
  panel_.form().quality = Quality::smooth_480p;
  panel_.form().shop_name = "  山里红  ";
  panel_.form().language = Language::en;
  panel_.form().destinations.push_back({"rtmp://live.example.net/app/abc", "", false});
  ASSERT_TRUE(panel_.save());
  ASSERT_EQ(saved_.size(), 1u);
  const Config& c = saved_.front();
  EXPECT_EQ(c.quality, "480p");
  EXPECT_EQ(c.shop_name, "山里红");
  EXPECT_EQ(c.language, "en");
  EXPECT_EQ(c.duration, full_config().duration) << "fields the panel does not show are kept";
  ASSERT_EQ(c.destinations.size(), 3u);
  EXPECT_EQ(c.destinations[2].url, "rtmp://live.example.net/app/abc");
  EXPECT_FALSE(panel_.is_open());
  EXPECT_EQ(current_language(), Language::en);

  panel_.show();
  EXPECT_EQ(panel_.form().quality, Quality::smooth_480p) << "reopened on what was saved";
}

TEST_F(SettingsPanelTest, ShowsWhySavingFailedAndStaysOpen) {
  panel_.show();
  panel_.form().destinations[0].key = "";
  EXPECT_FALSE(panel_.save());
  ASSERT_TRUE(panel_.error());
  EXPECT_THAT(*panel_.error(), HasSubstr("缺少推流密钥"));
  EXPECT_TRUE(saved_.empty()) << "nothing saved while the form is wrong";
  EXPECT_TRUE(panel_.is_open());

  panel_.form().destinations[0].key = "fixed";
  save_error_ = "无法保存配置文件 /home/host/.config/cunbo/config.toml";
  EXPECT_FALSE(panel_.save());
  EXPECT_EQ(panel_.error(), save_error_);
  draw_frames(panel_, 3);
  ui_.screenshot("settings-error");

  panel_.cancel();
  EXPECT_FALSE(panel_.is_open());
  panel_.show();
  EXPECT_EQ(panel_.form().destinations[0].key, "stream-KEY-1") << "取消 forgets the edits";
  EXPECT_FALSE(panel_.error());
}

std::string texts_of(SettingsPanel& panel) {
  std::string text;
  panel.collect_text(text);
  return text;
}

TEST_F(SettingsPanelTest, TestsTheUplinkOnlyOnceTheHostSaysSoAndSetsAQualityThatFitsIt) {
  panel_.show();
  draw_frames(panel_, 2);
  EXPECT_EQ(panel_.form().quality, Quality::high_1080p);
  UplinkCheck& check = panel_.uplink_check();
  check.ask(panel_.form().destinations[0]);
  ASSERT_EQ(check.phase(), UplinkCheck::Phase::confirming) << "nothing is sent before the host agrees";
  draw_frames(panel_, 3);
  EXPECT_THAT(texts_of(panel_), HasSubstr("将向 rtmp://push.example.com/live/**** 推送约 8 秒测试画面"));
  EXPECT_THAT(texts_of(panel_), Not(HasSubstr("stream-KEY-1")));
  EXPECT_FALSE(uplink_.running());
  ui_.screenshot("settings-uplink-confirm");

  // 开始测速: this computer's encode speed first (设置 has not measured it), then the uplink.
  check.confirm(panel_.form().destinations[0], "", panel_.form().quality);
  EXPECT_EQ(check.phase(), UplinkCheck::Phase::speed);
  probe_.release();
  ASSERT_TRUE(test::wait_until(test::deadline_after(5s), [&] {
    check.poll(panel_.form().quality);
    return check.phase() == UplinkCheck::Phase::uplink && measured_.destination();
  }));
  EXPECT_EQ(measured_.destination()->url, "rtmp://push.example.com/live/stream-KEY-1") << "the key goes to the server";
  draw_frames(panel_, 3);
  EXPECT_THAT(texts_of(panel_), HasSubstr("正在测网速"));
  ui_.screenshot("settings-uplink-running");

  measured_.release();
  ASSERT_TRUE(test::wait_until(test::deadline_after(5s), [&] {
    check.poll(panel_.form().quality);
    return check.phase() == UplinkCheck::Phase::done;
  }));
  draw_frames(panel_, 3);
  ASSERT_TRUE(check.outcome());
  EXPECT_EQ(*check.outcome(), "上传速度约 1.5 Mbit/s，建议流畅 480p") << "1080p encodes here, but 1.5 Mbit/s carries 480p";
  EXPECT_EQ(panel_.form().quality, Quality::smooth_480p);
  EXPECT_THAT(texts_of(panel_), HasSubstr("画质已设为流畅 480p"));
  ui_.screenshot("settings-uplink-done");
  ASSERT_TRUE(panel_.save());
  EXPECT_EQ(saved_.back().quality, "480p");
}

TEST_F(SettingsPanelTest, StoppingTheUplinkTestKeepsTheQuality) {
  probe_.release();
  speed_.start();  // measured earlier in this run of the studio: not again
  ASSERT_TRUE(test::wait_until(test::deadline_after(5s), [&] { return !speed_.running(); }));
  panel_.show();
  UplinkCheck& check = panel_.uplink_check();
  check.ask(panel_.form().destinations[0]);
  check.confirm(panel_.form().destinations[0], "", panel_.form().quality);
  EXPECT_EQ(check.phase(), UplinkCheck::Phase::uplink);
  ASSERT_TRUE(test::wait_until(test::deadline_after(5s), [&] { return measured_.destination().has_value(); }));
  check.stop();
  ASSERT_TRUE(test::wait_until(test::deadline_after(5s), [&] {
    check.poll(panel_.form().quality);
    return check.phase() == UplinkCheck::Phase::done;
  }));
  EXPECT_EQ(check.outcome(), "测网速已停止");
  EXPECT_EQ(panel_.form().quality, Quality::high_1080p);
}

TEST_F(SettingsPanelTest, AnAddressThatIsNotAPushAddressIsSaidBeforeAnythingIsSent) {
  panel_.show();
  UplinkCheck& check = panel_.uplink_check();
  check.ask(DestinationRow{"http://example.com/live", "k", false});
  EXPECT_EQ(check.phase(), UplinkCheck::Phase::idle);
  ASSERT_TRUE(check.error());
  EXPECT_FALSE(uplink_.running());
  draw_frames(panel_, 2);
  EXPECT_THAT(texts_of(panel_), HasSubstr(*check.error()));
}

TEST_F(SettingsPanelTest, ShowsCleanSoundUnderTheMicrophoneAndSavesIt) {
  OffscreenUi tall(1280, 1500);  // the whole panel, unscrolled
  panel_.show();
  ASSERT_TRUE(test::wait_until(test::deadline_after(5s), [&] { return panel_.devices_listed(); }));
  for (int i = 0; i < 3; ++i) {
    std::string text;
    panel_.collect_text(text);
    tall.frame(text, [&] { panel_.draw_modal(900, 1460, tall.look()); });
  }
  tall.screenshot("settings-whole");
  std::string text;
  panel_.collect_text(text);
  EXPECT_THAT(text, HasSubstr("降噪"));
  EXPECT_THAT(text, HasSubstr("麦克风增益"));
  panel_.form().denoise = false;
  panel_.form().mic_gain = -3;
  ASSERT_TRUE(panel_.save());
  EXPECT_EQ(saved_.back().denoise, false);
  EXPECT_EQ(saved_.back().mic_gain, -3.0);
}

TEST_F(SettingsPanelTest, ShowsTheLookWithItsToneAndSavesOnlyWhatTheHostMoved) {
  OffscreenUi tall(1280, 1800);  // the whole panel, unscrolled
  panel_.show();
  ASSERT_TRUE(test::wait_until(test::deadline_after(5s), [&] { return panel_.devices_listed(); }));
  panel_.form().tone[3] = 4;  // 色温, as the host would drag it
  for (int i = 0; i < 3; ++i) {
    std::string text;
    panel_.collect_text(text);
    tall.frame(text, [&] { panel_.draw_modal(900, 1760, tall.look()); });
  }
  tall.screenshot("settings-look");
  std::string text;
  panel_.collect_text(text);
  for (const char* label : {"美颜", "亮度", "对比度", "饱和度", "色温", "还原"}) EXPECT_THAT(text, HasSubstr(label));
  ASSERT_TRUE(panel_.save());
  EXPECT_EQ(saved_.back().warmth, 4);
  EXPECT_EQ(saved_.back().brightness, std::nullopt) << "an untouched slider is not written";
  EXPECT_EQ(saved_.back().saturation, std::nullopt);
  EXPECT_EQ(SettingsForm::from_config(saved_.back()).tone[3], 4);
}

TEST_F(SettingsPanelTest, ShowsThePictureShapeWhichCannotChangeWhileLive) {
  OffscreenUi tall(1280, 2200);  // the whole panel, unscrolled
  panel_.show();
  ASSERT_TRUE(test::wait_until(test::deadline_after(5s), [&] { return panel_.devices_listed(); }));
  auto draw = [&] {
    for (int i = 0; i < 3; ++i) {
      std::string text;
      panel_.collect_text(text);
      tall.frame(text, [&] { panel_.draw_modal(900, 2160, tall.look()); });
    }
    std::string text;
    panel_.collect_text(text);
    return text;
  };
  const std::string idle = draw();
  tall.screenshot("settings-framing");
  for (const char* label : {"画面方向", "竖屏 9:16", "横屏 16:9", "画面填充", "裁剪铺满", "完整显示", "放大", "摄像头方向", "90°"})
    EXPECT_THAT(idle, HasSubstr(label));
  EXPECT_THAT(idle, HasSubstr(tr("settings.orientation_hint")));
  panel_.set_live(true);
  EXPECT_THAT(draw(), HasSubstr(tr("settings.orientation_live"))) << "says why it cannot be switched now";
  panel_.form().framing = FramingMode::fit;
  ASSERT_TRUE(panel_.save());
  EXPECT_EQ(saved_.back().framing, "fit");
}

TEST_F(SettingsPanelTest, DrawsInEnglishToo) {
  set_language(Language::en);
  panel_.show();
  ASSERT_TRUE(test::wait_until(test::deadline_after(5s), [&] { return panel_.devices_listed(); }));
  draw_frames(panel_, 3);
  std::string text;
  panel_.collect_text(text);
  EXPECT_THAT(text, HasSubstr("Save"));
  ui_.screenshot("settings-en");
}

// ---------------------------------------------------------------------------------------------
// The first-start guide

class GuideTest : public ::testing::Test {
 protected:
  void SetUp() override { set_language(Language::zh_CN); }
  void TearDown() override { set_language(Language::zh_CN); }

  void draw_frames(FirstStartGuide& guide, int frames) {
    for (int i = 0; i < frames; ++i) {
      guide.update();
      std::string text;
      guide.collect_text(text);
      ui_.frame(text, [&] { guide.draw_modal(760, OffscreenUi::kHeight - 40, ui_.look()); });
    }
  }

  OffscreenUi ui_;
  std::vector<Config> saved_;
  std::optional<GuideResult> done_;
  // A guide on an empty config whose saves and outcome the test reads.
  std::unique_ptr<FirstStartGuide> saving_guide(ProbeRunner& runner, DeviceLister& devices) {
    return std::make_unique<FirstStartGuide>([] { return Config{}; },
                                             [this](const Config& c) -> std::optional<std::string> {
                                               saved_.push_back(c);
                                               return std::nullopt;
                                             },
                                             [this](GuideResult r) { done_ = r; }, runner, uplink_, devices);
  }

  FakeUplink measured_{5000};
  UplinkRunner uplink_{measured_.fn()};
};

TEST_F(GuideTest, WalksFromWelcomeToPracticeWithTheProbesPreset) {
  FakeProbe probe;
  ProbeRunner runner(probe.fn());
  DeviceLister devices([] { return fake_devices(); });
  const std::unique_ptr<FirstStartGuide> made = saving_guide(runner, devices);
  FirstStartGuide& guide = *made;
  EXPECT_TRUE(guide.is_open());
  draw_frames(guide, 3);
  ui_.screenshot("guide-1-welcome");

  guide.next();
  EXPECT_EQ(guide.step(), FirstStartGuide::Step::devices);
  guide.form().video = "v4l2:/dev/video0";
  draw_frames(guide, 1);
  ASSERT_TRUE(test::wait_until(test::deadline_after(5s), [&] {
    std::string text;
    guide.collect_text(text);
    return text.find("HD Webcam C270") != std::string::npos;
  }));
  draw_frames(guide, 3);
  ui_.screenshot("guide-2-devices");

  guide.next();
  EXPECT_EQ(guide.step(), FirstStartGuide::Step::probe);
  EXPECT_TRUE(guide.probe_running()) << "the test starts by itself";
  draw_frames(guide, 3);
  ui_.screenshot("guide-3-probe-running");

  probe.release();
  ASSERT_TRUE(test::wait_until(test::deadline_after(5s), [&] { return !guide.probe_running(); }));
  draw_frames(guide, 3);
  EXPECT_EQ(guide.form().quality, Quality::high_1080p) << "the probe's preset is preselected";
  ui_.screenshot("guide-3-probe-done");

  guide.next();
  EXPECT_EQ(guide.step(), FirstStartGuide::Step::destination);
  EXPECT_FALSE(guide.finish(false)) << "完成 needs a push URL";
  ASSERT_TRUE(guide.error());
  EXPECT_THAT(*guide.error(), HasSubstr("先练习一下"));
  guide.form().destinations[0].url = "rtmp://push.example.com/live";
  guide.form().destinations[0].key = "secret-key";
  draw_frames(guide, 3);
  ui_.screenshot("guide-4-destination");
  EXPECT_TRUE(saved_.empty());

  ASSERT_TRUE(guide.finish(true));
  ASSERT_TRUE(done_);
  EXPECT_TRUE(done_->practice);
  ASSERT_EQ(saved_.size(), 1u);
  EXPECT_EQ(saved_[0].quality, "1080p");
  EXPECT_EQ(saved_[0].video, "v4l2:/dev/video0");
  EXPECT_EQ(saved_[0].language, "zh-CN");
  ASSERT_EQ(saved_[0].destinations.size(), 1u) << "a valid push URL is kept for later";
  EXPECT_FALSE(guide.is_open());
}

TEST_F(GuideTest, TheUplinkTestOnTheLastStepPicksWhatBothTheComputerAndTheLinkCarry) {
  FakeProbe probe;
  ProbeRunner runner(probe.fn());
  DeviceLister devices([] { return fake_devices(); });
  const std::unique_ptr<FirstStartGuide> made = saving_guide(runner, devices);
  FirstStartGuide& guide = *made;
  guide.next();
  guide.next();
  probe.release();
  ASSERT_TRUE(test::wait_until(test::deadline_after(5s), [&] { return !guide.probe_running(); }));
  draw_frames(guide, 2);
  guide.next();
  ASSERT_EQ(guide.step(), FirstStartGuide::Step::destination);
  EXPECT_EQ(guide.form().quality, Quality::high_1080p) << "what the computer can encode";
  guide.form().destinations[0].url = "rtmp://push.example.com/live/the-key";
  guide.form().destinations[0].split_key_from_url();
  UplinkCheck& check = guide.uplink_check();
  check.ask(guide.form().destinations[0]);
  draw_frames(guide, 3);
  ui_.screenshot("guide-4-uplink-confirm");
  check.confirm(guide.form().destinations[0], "", guide.form().quality);
  EXPECT_EQ(check.phase(), UplinkCheck::Phase::uplink) << "the speed was measured on the step before";
  measured_.release();
  ASSERT_TRUE(test::wait_until(test::deadline_after(5s), [&] {
    check.poll(guide.form().quality);
    return check.phase() == UplinkCheck::Phase::done;
  }));
  draw_frames(guide, 3);
  ui_.screenshot("guide-4-uplink-done");
  EXPECT_EQ(check.outcome(), "上传速度约 5.0 Mbit/s，建议标清 720p");
  ASSERT_TRUE(guide.finish(false));
  ASSERT_EQ(saved_.size(), 1u);
  EXPECT_EQ(saved_[0].quality, "720p") << "1080p's 4 Mbit/s and the sound do not fit in 80 % of 5 Mbit/s";
}

TEST_F(GuideTest, SkippingTheProbeKeepsTheDefaultAndStopsIt) {
  FakeProbe probe;
  ProbeRunner runner(probe.fn());
  DeviceLister devices([] { return fake_devices(); });
  FirstStartGuide guide([] { return Config{}; }, [&](const Config& c) -> std::optional<std::string> {
    saved_.push_back(c);
    return std::nullopt;
  }, [&](GuideResult r) { done_ = r; }, runner, uplink_, devices);
  guide.next();
  guide.next();
  ASSERT_TRUE(guide.probe_running());
  guide.skip_probe();
  EXPECT_EQ(guide.step(), FirstStartGuide::Step::destination);
  ASSERT_TRUE(test::wait_until(test::deadline_after(2s), [&] { return !guide.probe_running(); }))
      << "跳过 stops the test";
  draw_frames(guide, 2);
  EXPECT_EQ(guide.form().quality, Quality::standard_720p);

  guide.form().destinations[0].url = "rtmp://push.example.com/live/the-key";
  ASSERT_TRUE(guide.finish(false));
  ASSERT_TRUE(done_);
  EXPECT_FALSE(done_->practice);
  ASSERT_EQ(saved_.size(), 1u);
  EXPECT_EQ(saved_[0].quality, "720p");
  ASSERT_EQ(saved_[0].destinations.size(), 1u);
}

TEST_F(GuideTest, SwitchesTheLanguageOnTheFirstPage) {
  FakeProbe probe;
  ProbeRunner runner(probe.fn());
  DeviceLister devices([] { return fake_devices(); });
  FirstStartGuide guide([] { return Config{}; }, [](const Config&) { return std::optional<std::string>(); },
                        [](GuideResult) {}, runner, uplink_, devices);
  draw_frames(guide, 1);
  guide.form().language = Language::en;
  set_language(Language::en);  // what the 中文 / English radio does
  draw_frames(guide, 3);
  std::string text;
  guide.collect_text(text);
  EXPECT_THAT(text, HasSubstr("Welcome to Cunbo Studio"));
  ui_.screenshot("guide-1-welcome-en");
  guide.next();
  guide.next();
  probe.release();
  ASSERT_TRUE(test::wait_until(test::deadline_after(5s), [&] { return !guide.probe_running(); }));
  draw_frames(guide, 3);
  ui_.screenshot("guide-3-probe-done-en");
}

TEST_F(GuideTest, ShowsASaveErrorAndStaysOpen) {
  FakeProbe probe;
  ProbeRunner runner(probe.fn());
  DeviceLister devices([] { return fake_devices(); });
  FirstStartGuide guide([] { return Config{}; },
                        [](const Config&) { return std::optional<std::string>("无法保存配置文件 /x/config.toml"); },
                        [&](GuideResult r) { done_ = r; }, runner, uplink_, devices);
  guide.next();
  guide.skip_probe();
  EXPECT_FALSE(guide.finish(true));
  EXPECT_EQ(guide.error(), "无法保存配置文件 /x/config.toml");
  EXPECT_FALSE(done_);
  EXPECT_TRUE(guide.is_open());
  draw_frames(guide, 3);
  ui_.screenshot("guide-4-error");
}

}  // namespace
}  // namespace cunbo::ui
