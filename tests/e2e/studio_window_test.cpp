// The studio window (`cunbo` with no sub-command), as a host sees it: screenshots of its
// states decoded and looked at (no display needed: `--screenshot` renders with SDL's dummy
// driver and software renderer) and a real window under Xvfb driven with the keyboard. A stuck
// window: studio_stall_test.cpp.
//
// Set CUNBO_SCREENSHOT_DIR to keep the screenshots (studio-<state>.png) for a look.
#include <sys/stat.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>

#include "media/av.h"
#include "tests/e2e/studio_window_shots.h"
#include "tests/support/clip_maker.h"
#include "tests/support/cunbo_cli.h"
#include "tests/support/media_probe.h"
#include "tests/support/network_camera.h"
#include "tests/support/nginx_rtmp.h"
#include "tests/support/stream_events.h"
#include "tests/support/subprocess.h"
#include "tests/support/wait.h"
#include "tests/support/xvfb.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// The window's layout at 1280x800 (ui/window/window_layout.cpp, layout_for).
constexpr int kWidth = 1280;
constexpr int kHeight = 800;
constexpr PixelBox kPreview{8, 60, 744, 418};
constexpr PixelBox kProducts{760, 60, 512, 405};
constexpr PixelBox kOrderList{760, 580, 512, 210};
constexpr PixelBox kHealthLine{8, 570, 500, 50};

constexpr uint32_t kBadRed = 0xDC2626;    // ui/window/studio_panel.h colors::kBad: 正在重连 / 推流密钥被拒绝
constexpr uint32_t kPracticeBlue = 0x2563EB;

class StudioWindow : public StudioWindowFixture {
 protected:
  // A 720p clip in the sandbox: the gray ramp, or the same still picture in every frame.
  std::filesystem::path clip_720p(const std::string& name, bool still) {
    return make_720p_clip(cunbo.work_dir() / name, still);
  }
};

TEST_F(StudioWindow, FirstStartOpensTheGuideOverACalmWindow) {
  // No config file: the first start opens the guide (ui/window/first_start_guide.h), centred.
  const Rgb image = screenshot("first-start", {"--after-frames", "20"});
  ASSERT_EQ(image.width, kWidth);
  const RegionStats guide = stats(image, PixelBox{260, 240, 760, 340});
  EXPECT_GT(guide.mean, 200) << "no light guide dialog in the middle of the window";
  // Around it the window is there: the camera's picture on the left (dimmed under the guide),
  // the product column on the right.
  EXPECT_GT(stats(image, PixelBox{8, 110, 225, 60}).distinct, 3) << "no camera picture behind the guide";
  EXPECT_GT(stats(image, PixelBox{1045, 60, 225, 405}).distinct, 20) << "the product column is empty";
}

TEST_F(StudioWindow, IdleWithADestinationIsReadyToGoLiveAndShowsTheCamerasPicture) {
  write_config("[[destinations]]\nurl = \"rtmp://127.0.0.1:1935/live\"\nkey = \"k-idle\"\n");
  const Rgb image = screenshot("idle", {"--video", "test", "--audio", "test", "--after-frames", "20"});
  ASSERT_EQ(image.width, kWidth);
  EXPECT_GT(stats(image, kProducts).distinct, 200);
  // Before going live the preview is the test camera's picture (its colour bars), said to be
  // a preview and never live; the microphone's meter already moves (试试说话).
  const RegionStats preview = stats(image, kPreview);
  EXPECT_GT(preview.variance, 1500) << "the idle preview does not show the camera";
  EXPECT_GT(count_color(image, kPreview, 0xFFFF00, 40), 5000) << "no yellow bar of the test pattern";
  const std::vector<ShownText> texts = read_shown_texts(screenshot_path("idle"));
  EXPECT_THAT(words_in(texts, kPreview), HasSubstr("预览 · 未开播"));
  EXPECT_THAT(words_in(texts, kPreview), ::testing::Not(HasSubstr("直播中")));
  EXPECT_THAT(words_in(texts, PixelBox{516, 486, 236, 138}), HasSubstr("声音正常"));
  // The big 开始直播 button is red.
  EXPECT_GT(count_color(image, PixelBox{8, 486, 260, 90}, 0xE0363A, 10), 8000);
}

// A camera not there yet (the phone's camera app not started): the preview shows the slate
// viewers would get, not an error in place of the picture, and says why and that it is tried
// every second. (Coming back, and going live meanwhile: tests/client/studio_test.cpp.)
TEST_F(StudioWindow, ACameraNotThereYetShowsTheSlateAndSaysItIsTriedEverySecond) {
  NetworkCamera camera;
  camera.kill();
  write_config("[[destinations]]\nurl = \"rtmp://127.0.0.1:1935/live\"\nkey = \"k-idle\"\n");
  const Rgb image = screenshot("camera-waiting", {"--video", "file:" + camera.url(), "--audio", "test", "--after-frames", "40"});
  ASSERT_EQ(image.width, kWidth);
  const std::vector<ShownText> texts = read_shown_texts(screenshot_path("camera-waiting"));
  const std::string said = words_in(texts, kPreview);
  EXPECT_THAT(said, HasSubstr("每秒自动重试")) << said;
  EXPECT_THAT(said, HasSubstr(camera.url())) << said;
  EXPECT_THAT(said, HasSubstr("预览 · 未开播")) << "the preview's picture is not shown: " << said;
  // The slate's words across the middle of the picture, large and white over black; no test pattern.
  const PixelBox middle{kPreview.x + kPreview.w / 4, kPreview.y + kPreview.h / 3, kPreview.w / 2, kPreview.h / 3};
  EXPECT_GT(count_color(image, middle, 0xFFFFFF, 40), 1000) << "no slate in the preview";
  EXPECT_EQ(count_color(image, kPreview, 0xFFFF00, 40), 0) << "a picture where the camera is missing";
}

// 镜像: the host sees themselves as in a mirror, the shop's name on the picture still reads the
// right way round, and the hint says that viewers get it unmirrored. A still picture, so that
// the two screenshots differ only by the mirror.
TEST_F(StudioWindow, TheMirroredPreviewIsAMirrorForTheHostWithTheWritingTheRightWayRound) {
  const auto clip = clip_720p("still.mkv", true);
  const std::string look = "language = \"zh-CN\"\nbeauty = 0\nlight = \"off\"\n";
  const std::string config = look + "shop_name = \"老李家果园\"\n";
  const std::vector<std::string> args = {"--video", "file:" + clip.string(), "--audio", "test", "--after-frames", "30"};
  write_config(config);
  const Rgb plain = screenshot("mirror-off", args);
  write_config(config + "mirror = true\n");
  const Rgb mirrored = screenshot("mirror-on", args);
  write_config(look + "mirror = true\n");
  const Rgb bare = screenshot("mirror-no-overlay", args);  // the same without the shop's name
  ASSERT_EQ(plain.width, kWidth);
  ASSERT_EQ(mirrored.width, kWidth);

  // The picture's box in the preview panel: down the panel's middle column, where the picture's
  // rows differ from the panel's own colour (0x161A20); 16:9 and centred across.
  const int mid = kPreview.x + kPreview.w / 2;
  const auto is_panel = [&](int y) {
    const uint8_t* p = plain.at(mid, y);
    return std::abs(p[0] - 0x16) + std::abs(p[1] - 0x1A) + std::abs(p[2] - 0x20) < 12;
  };
  int top = kPreview.y, bottom = kPreview.y + kPreview.h - 1;
  while (top < bottom && is_panel(top)) ++top;
  while (bottom > top && is_panel(bottom)) --bottom;
  const int height = bottom - top + 1;
  ASSERT_GT(height, 300) << "no picture in the preview";
  const int width = height * 16 / 9;
  const int left = mid - width / 2;
  const auto difference = [](const uint8_t* a, const uint8_t* b) {
    return std::abs(a[0] - b[0]) + std::abs(a[1] - b[1]) + std::abs(a[2] - b[2]);
  };
  // The lower half (nothing of the overlay there): each pixel is the one across the middle.
  double swapped = 0, same = 0;
  int n = 0;
  for (int y = top + height / 2; y < bottom - 2; y += 3)
    for (int x = left + 4; x < left + width - 4; x += 3, ++n) {
      swapped += difference(mirrored.at(x, y), plain.at(2 * left + width - 1 - x, y));
      same += difference(mirrored.at(x, y), plain.at(x, y));
    }
  ASSERT_GT(n, 1000);
  EXPECT_LT(swapped / n, 12) << "the picture is not the mirror of the unmirrored one";
  EXPECT_GT(same / n, 3 * (swapped / n + 1)) << "the picture was not mirrored";
  // The shop's name (top left of the picture) is drawn as viewers see it: its white letters
  // where they are without the mirror (the camera behind its see-through plate is mirrored)...
  const auto white = [](const uint8_t* p) { return p[0] > 215 && p[1] > 215 && p[2] > 215; };
  int letters = 0, kept = 0;
  for (int y = top + height * 3 / 100; y < top + height * 9 / 100; ++y)
    for (int x = left + width * 2 / 100; x < left + width * 13 / 100; ++x) {
      if (!white(plain.at(x, y))) continue;
      ++letters;
      if (white(mirrored.at(x, y))) ++kept;
    }
  ASSERT_GT(letters, 30) << "no shop name in the preview";
  EXPECT_GT(kept, letters * 8 / 10) << "the shop's name is mirrored too";
  // ... and across from it the camera's picture, not the shop's name backwards.
  double across = 0;
  int across_n = 0;
  for (int y = top + height * 3 / 100; y < top + height * 9 / 100; ++y)
    for (int x = left + width * 87 / 100; x < left + width * 98 / 100; ++x, ++across_n)
      across += difference(mirrored.at(x, y), bare.at(x, y));
  EXPECT_LT(across / across_n, 12) << "the shop's name shows backwards across the picture";
  const std::vector<ShownText> texts = read_shown_texts(screenshot_path("mirror-on"));
  EXPECT_THAT(words_in(texts, kPreview), HasSubstr("镜像显示"));
  EXPECT_THAT(words_in(read_shown_texts(screenshot_path("mirror-off")), kPreview), HasSubstr("观众看到的画面"));
}

TEST_F(StudioWindow, LivePracticeShowsThePictureTheCardAndTheOrders) {
  // A config file, so no first-start guide: the guide is a modal sheet that dims the window.
  write_config("language = \"zh-CN\"\n");
  const auto audio = cunbo.work_dir() / "chime.raw";
  const Rgb image = screenshot("live-practice",
                               {"--practice", "--video", "test", "--audio", "test", "--go-live-after-frames", "5",
                                "--present", "2", "--after-frames", "240", "--practice-seed", "7",
                                "--practice-orders-per-minute", "90"},
                               {{"SDL_AUDIODRIVER", "disk"}, {"SDL_DISKAUDIOFILE", audio.string()}});
  ASSERT_EQ(image.width, kWidth);
  const RegionStats preview = stats(image, kPreview);
  EXPECT_GT(preview.variance, 1500) << "the preview is blank while live";
  EXPECT_GT(preview.distinct, 50);
  // Orders came in: the list is populated (prices in red, rows of text).
  EXPECT_GT(stats(image, kOrderList).distinct, 40);
  EXPECT_GT(count_color(image, kOrderList, 0xE0363A, 30), 200);
  // The practice badge over the preview and the 练习中 state are blue.
  EXPECT_GT(count_color(image, kPreview, kPracticeBlue, 10), 500);

  // A new order rang the chime (SDL's disk audio driver wrote what was played).
  std::ifstream in(audio, std::ios::binary);
  std::vector<char> pcm((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int loud = 0;
  for (size_t i = 0; i + 1 < pcm.size(); i += 2) {
    const auto sample = static_cast<int16_t>(static_cast<uint8_t>(pcm[i]) | (static_cast<uint8_t>(pcm[i + 1]) << 8));
    if (std::abs(sample) > 2000) ++loud;
  }
  EXPECT_GT(loud, 1000) << "no order chime in " << pcm.size() << " bytes of audio";

  // Ending (the screenshot closes the window) saved the practice recording and its summary.
  const auto recordings = recordings_under(cunbo.videos_dir());
  ASSERT_EQ(recordings.size(), 1U);
  EXPECT_TRUE(std::filesystem::exists(recordings[0].string() + ".summary.json"));
}

// The preview is exactly what viewers see: the 练习中 badge and the hint sit around the
// picture, never over it. The camera is a clip of flat gray pictures and nothing is on the
// overlay (no card, no orders), so every pixel of the picture must be that gray.
TEST_F(StudioWindow, LivePracticeBadgesSitAroundThePictureNotOverIt) {
  const auto clip = clip_720p("gray.mkv", false);
  write_config("language = \"zh-CN\"\n");  // not a first start: no guide over the window
  const Rgb image = screenshot("live-practice-badges",
                               {"--practice", "--video", "file:" + clip.string(), "--audio", "test",
                                "--go-live-after-frames", "5", "--after-frames", "90", "--practice-orders-per-minute",
                                "0"});
  ASSERT_EQ(image.width, kWidth);
  // The picture's gray: the commonest colour of the preview panel.
  std::map<uint32_t, int> colours;
  for (int y = kPreview.y; y < kPreview.y + kPreview.h; ++y)
    for (int x = kPreview.x; x < kPreview.x + kPreview.w; ++x) {
      const uint8_t* p = image.at(x, y);
      ++colours[static_cast<uint32_t>(p[0] << 16 | p[1] << 8 | p[2])];
    }
  const uint32_t gray = std::max_element(colours.begin(), colours.end(), [](const auto& a, const auto& b) {
                          return a.second < b.second;
                        })->first;
  auto is_gray = [&](int x, int y) {
    const uint8_t* p = image.at(x, y);
    return std::abs(p[0] - static_cast<int>(gray >> 16)) <= 3 && std::abs(p[1] - static_cast<int>((gray >> 8) & 0xFF)) <= 3 &&
           std::abs(p[2] - static_cast<int>(gray & 0xFF)) <= 3;
  };
  // The picture: the rows and columns that are mostly that gray. `along_x`: the columns.
  auto mostly_gray = [&](bool along_x) {
    const int first = along_x ? kPreview.x : kPreview.y;
    const int count = along_x ? kPreview.w : kPreview.h;
    const int across = along_x ? kPreview.h : kPreview.w;
    std::pair<int, int> span{-1, -1};
    for (int i = first; i < first + count; ++i) {
      int n = 0;
      for (int j = 0; j < across; ++j) n += along_x ? is_gray(i, kPreview.y + j) : is_gray(kPreview.x + j, i);
      if (n * 3 <= across) continue;
      if (span.first < 0) span.first = i;
      span.second = i;
    }
    return span;
  };
  const auto [left, right] = mostly_gray(true);
  const auto [top, bottom] = mostly_gray(false);
  ASSERT_GE(top, 0) << "no gray picture in the preview";
  ASSERT_GE(left, 0) << "no gray picture in the preview";
  const PixelBox picture{left, top, right - left + 1, bottom - top + 1};
  std::printf("preview picture at %d,%d %dx%d in the panel at %d,%d %dx%d\n", picture.x, picture.y, picture.w,
              picture.h, kPreview.x, kPreview.y, kPreview.w, kPreview.h);
  EXPECT_GT(picture.w * picture.h, kPreview.w * kPreview.h / 2) << "the picture is too small";
  EXPECT_NEAR(static_cast<double>(picture.w) / picture.h, 16.0 / 9.0, 0.03) << "the picture is not 16:9";
  // Nothing drawn over it…
  int over = 0;
  for (int y = picture.y; y < picture.y + picture.h; ++y)
    for (int x = picture.x; x < picture.x + picture.w; ++x) over += !is_gray(x, y);
  EXPECT_EQ(over, 0) << "something is drawn over the viewers' picture";
  // …and the 练习中 badge is there, beside it.
  EXPECT_GT(count_color(image, kPreview, kPracticeBlue, 10), 500) << "no 练习中 badge";
  EXPECT_EQ(count_color(image, picture, kPracticeBlue, 10), 0);
}

TEST_F(StudioWindow, ClosedPortShowsReconnectingInPlainWords) {
  const int port = pick_free_loopback_port();  // nobody listens: connecting is refused
  write_config("[[destinations]]\nurl = \"rtmp://127.0.0.1:" + std::to_string(port) + "/live\"\nkey = \"k-closed\"\n");
  const Rgb image = screenshot("reconnecting", {"--video", "test", "--audio", "test", "--go-live-after-frames", "5",
                                                "--after-frames", "150"});
  ASSERT_EQ(image.width, kWidth);
  EXPECT_GT(stats(image, kPreview).variance, 1500) << "live: the preview shows the picture";
  EXPECT_GT(count_color(image, kHealthLine, kBadRed, 20), 150) << "no red 正在重连 line";
  // In words: the line says it is trying again, in red; never 网络良好.
  const std::vector<ShownText> texts = read_shown_texts(screenshot_path("reconnecting"));
  const std::string health = words_in(texts, kHealthLine);
  EXPECT_THAT(health, testing::ContainsRegex("正在重连（第 [0-9]+ 次，[0-9]+ 秒后）|连不上服务器（服务器拒绝连接）")) << health;
  EXPECT_THAT(health, testing::Not(HasSubstr("网络良好"))) << health;
  EXPECT_EQ(colour_of(texts, health.substr(0, health.find('\n'))), kBadRed);
  const auto recordings = recordings_under(cunbo.videos_dir());
  ASSERT_EQ(recordings.size(), 1U);
  const EventLog log = read_event_log(event_log_path(recordings[0]));
  EXPECT_TRUE(log.first("state", 1, "reconnecting").has_value()) << log.text;
}

// Issue #11: after 15 s live with no platform taking the stream, a red banner over the preview
// and a sound; the badge never says 直播中 meanwhile.
TEST_F(StudioWindow, FifteenSecondsWithNoPlatformRaiseARedBannerAndASound) {
  const int port = pick_free_loopback_port();
  write_config("[[destinations]]\nurl = \"rtmp://127.0.0.1:" + std::to_string(port) + "/live\"\nkey = \"k-alarm\"\n");
  const auto audio = cunbo.work_dir() / "alarm.raw";
  const Rgb image = screenshot("off-air-alarm",
                               {"--video", "test", "--audio", "test", "--go-live-after-frames", "5", "--after-frames",
                                "560"},
                               {{"SDL_AUDIODRIVER", "disk"}, {"SDL_DISKAUDIOFILE", audio.string()}}, 90s);
  ASSERT_EQ(image.width, kWidth);
  // The banner's pale red plate across the top of the preview, its words in red.
  const PixelBox banner_band{kPreview.x + 20, kPreview.y + 8, kPreview.w - 40, 70};
  EXPECT_GT(count_color(image, banner_band, 0xFEE2E2, 6), 10'000) << "no off-air banner over the preview";
  EXPECT_GT(count_color(image, banner_band, kBadRed, 30), 150) << "the banner's words are not red";
  const std::vector<ShownText> texts = read_shown_texts(screenshot_path("off-air-alarm"));
  const std::string banner = words_in(texts, banner_band);
  EXPECT_THAT(banner, testing::ContainsRegex("已经 [0-9]+ 秒没有一个平台收到直播画面")) << banner;
  EXPECT_THAT(banner, HasSubstr("服务器拒绝连接")) << "the banner does not say why: " << banner;
  // The alert was played (SDL's disk audio driver wrote it): no order can have rung here.
  std::ifstream in(audio, std::ios::binary);
  std::vector<char> pcm((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int loud = 0;
  for (size_t i = 0; i + 1 < pcm.size(); i += 2) {
    const auto sample = static_cast<int16_t>(static_cast<uint8_t>(pcm[i]) | (static_cast<uint8_t>(pcm[i + 1]) << 8));
    if (std::abs(sample) > 2000) ++loud;
  }
  EXPECT_GT(loud, 1000) << "no alert in " << pcm.size() << " bytes of audio";
}

TEST_F(StudioWindow, RefusedKeyShowsKeyRejected) {
  NginxRtmp nginx;
  nginx.auth().refuse("k-wrong");
  write_config("[[destinations]]\nurl = \"" + nginx.url() + "\"\nkey = \"k-wrong\"\n");
  const Rgb image = screenshot("key-rejected", {"--video", "test", "--audio", "test", "--go-live-after-frames", "5",
                                                "--after-frames", "150"});
  ASSERT_EQ(image.width, kWidth);
  EXPECT_GE(nginx.auth().attempts("k-wrong"), 1U);
  EXPECT_GT(count_color(image, kHealthLine, kBadRed, 20), 150) << "no red 推流密钥被拒绝 line";
  const std::vector<ShownText> texts = read_shown_texts(screenshot_path("key-rejected"));
  const std::string health = words_in(texts, kHealthLine);
  EXPECT_THAT(health, HasSubstr("推流密钥被拒绝")) << health;
  EXPECT_EQ(colour_of(texts, "推流密钥被拒绝"), kBadRed);
  const auto recordings = recordings_under(cunbo.videos_dir());
  ASSERT_EQ(recordings.size(), 1U);
  const EventLog log = read_event_log(event_log_path(recordings[0]));
  EXPECT_TRUE(log.first("state", 1, "key_rejected").has_value()) << log.text;
}

TEST_F(StudioWindow, SettingsOpenOverTheStudio) {
  write_config("[[destinations]]\nurl = \"rtmp://127.0.0.1:1935/live\"\nkey = \"k-settings\"\n");
  const Rgb idle = screenshot("settings-before", {"--after-frames", "20"});
  const Rgb image = screenshot("settings", {"--state", "settings", "--after-frames", "20"});
  ASSERT_EQ(image.width, kWidth);
  ASSERT_EQ(idle.width, kWidth);
  // Something opened in the middle: the centre of the window changed.
  const PixelBox centre{440, 300, 400, 200};
  int changed = 0;
  for (int y = centre.y; y < centre.y + centre.h; ++y) {
    for (int x = centre.x; x < centre.x + centre.w; ++x) {
      const uint8_t* a = idle.at(x, y);
      const uint8_t* b = image.at(x, y);
      if (std::abs(a[0] - b[0]) + std::abs(a[1] - b[1]) + std::abs(a[2] - b[2]) > 30) ++changed;
    }
  }
  EXPECT_GT(changed, centre.w * centre.h / 5);
}

// ---------------------------------------------------------------------------------------------
// A real window under Xvfb, driven with the keyboard as a host would: F12 goes live, F12 +
// Enter ends, SIGTERM closes.

TEST_F(StudioWindow, RealWindowGoesLiveAndEndsFromTheKeyboard) {
  require_program("xdotool", "xdotool");
  Xvfb x;
  NginxRtmp nginx;
  write_config("[[destinations]]\nurl = \"" + nginx.url() + "\"\nkey = \"k-window\"\n");
  // Under the sanitizers, leak checking is off for this one process: with a real X display
  // SDL brings in libdbus and Mesa's GL driver (dlopened, unloaded at exit), which keep a few
  // allocations to the end. The same window code runs leak-checked in the screenshot tests.
  auto window = cunbo.start({"--video", "test", "--audio", "test"},
                            env({{"DISPLAY", x.display()},
                                 {"SDL_VIDEODRIVER", std::nullopt},
                                 {"ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1"}}));
  const EnvChanges xenv{{"DISPLAY", x.display()}};
  auto xdotool = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "xdotool");
    return run(SpawnOptions(args, xenv), 20s);
  };
  // The window appears.
  const RunResult found = xdotool({"search", "--sync", "--name", "Cunbo Studio"});
  ASSERT_TRUE(found.status.success()) << found.describe() << window->err();
  const std::string id = lines_of(found.out).front();
  auto key = [&](const std::string& name) {
    const RunResult r = xdotool({"windowfocus", "--sync", id, "key", "--clearmodifiers", name});
    ASSERT_TRUE(r.status.success()) << r.describe();
  };

  key("F12");  // 开始直播
  ASSERT_TRUE(nginx.auth().wait_for_allowed(1, deadline_after(20s))) << window->err();
  // Some seconds of stream reach the server.
  ASSERT_TRUE(wait_until(deadline_after(20s), [&] {
    const auto files = nginx.recordings();
    return !files.empty() && std::filesystem::file_size(files.back()) > 300'000;
  }));

  key("F12");     // 结束直播 asks first…
  key("Return");  // …and Enter confirms
  // The recording is finalised when its summary is written beside it.
  ASSERT_TRUE(wait_until(deadline_after(30s), [&] {
    for (const auto& f : files_under(cunbo.videos_dir())) {
      if (f.string().ends_with(".summary.json")) return true;
    }
    return false;
  })) << window->err();
  ASSERT_TRUE(nginx.wait_until_idle(deadline_after(10s)));

  ASSERT_TRUE(window->send_signal(SIGTERM));
  const RunResult r = window->finish(deadline_after(30s));
  EXPECT_TRUE(r.status.success()) << r.describe();

  // The server got the stream, the host's recording is whole.
  const auto served = nginx.recordings();
  ASSERT_EQ(served.size(), 1U);
  const ProbeResult remote = probe_media(served[0]);
  ASSERT_TRUE(remote.file) << remote.error;
  EXPECT_EQ(remote.file->count(StreamKind::video), 1);
  EXPECT_EQ(remote.file->count(StreamKind::audio), 1);
  const auto recordings = recordings_under(cunbo.videos_dir());
  ASSERT_EQ(recordings.size(), 1U);
  const ProbeResult local = probe_media(recordings[0]);
  ASSERT_TRUE(local.file) << local.error;
  EXPECT_GT(local.file->duration_s, 1.0) << "not finalised";
  const StreamInfo* video = local.file->first(StreamKind::video);
  ASSERT_NE(video, nullptr);
  EXPECT_LE(stream_timing(*local.file, video->index).largest_gap_s, 0.1);
}

}  // namespace
}  // namespace cunbo::test
