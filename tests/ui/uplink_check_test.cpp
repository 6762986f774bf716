// 测网速 as the window runs it, all real: 设置's UplinkCheck on the studio's runners (the real
// encode-speed test, then the real uplink test) publishing to nginx-rtmp on loopback. What the
// host reads, the quality it sets, what the server received and what Cunbo remembers for the next
// stream to that host. The capped-link figures are the command line's (e2e UplinkProbe.*): the
// same probe_uplink.
#include <chrono>
#include <cstdlib>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "client/base/strings.h"
#include "tests/support/media_probe.h"
#include "tests/support/nginx_rtmp.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"
#include "tests/ui/offscreen_ui.h"
#include "ui/window/settings_panel.h"

namespace cunbo::ui {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(UplinkCheck, MeasuresARealServerFromSettingsAndRemembersTheHost) {
  set_language(Language::zh_CN);
  const test::TempDir state("uplink-check-state");
  ASSERT_EQ(::setenv("XDG_STATE_HOME", state.path().c_str(), 1), 0);  // this test's own process
  test::NginxRtmp nginx("uplink-check-nginx");
  Config stored;
  stored.quality = "480p";
  stored.destinations = {{"rtmp://127.0.0.1:" + std::to_string(nginx.port()) + "/live", "k-window-uplink"}};
  DeviceLister devices([] { return fake_devices(); });
  ProbeRunner speed({}, 1500ms);  // the real encode-speed test, short
  UplinkRunner uplink;           // the real uplink test, remembered as the window does
  SettingsPanel panel([&] { return stored; }, [](const Config&) { return std::optional<std::string>(); }, devices,
                      speed, uplink);
  panel.show();
  OffscreenUi ui;
  const auto draw = [&] {
    panel.update();
    std::string text;
    panel.collect_text(text);
    ui.frame(text, [&] { panel.draw_modal(900, OffscreenUi::kHeight - 40, ui.look()); });
    return text;
  };
  UplinkCheck& check = panel.uplink_check();
  check.ask(panel.form().destinations[0]);
  check.confirm(panel.form().destinations[0], "", panel.form().quality);
  std::string text;
  ASSERT_TRUE(test::wait_until(test::deadline_after(60s), [&] {
    text = draw();
    return check.phase() == UplinkCheck::Phase::done;
  })) << "phase " << static_cast<int>(check.phase());
  ui.screenshot("settings-uplink-real");
  ASSERT_TRUE(check.outcome());
  EXPECT_THAT(*check.outcome(), HasSubstr("上传速度超过")) << "loopback took the test's highest rate";
  EXPECT_THAT(text, Not(HasSubstr("k-window-uplink"))) << "the key was drawn";

  // Loopback takes the test's highest rate: the quality is what this computer encodes.
  const std::optional<ProbeResult> measured = speed.result();
  ASSERT_TRUE(measured && measured->chosen);
  EXPECT_EQ(panel.form().quality, *measured->chosen);
  EXPECT_THAT(*check.outcome(), HasSubstr(quality_label(*measured->chosen)));

  // The server received one publish a player opens.
  ASSERT_TRUE(nginx.wait_until_idle(test::deadline_after(10s)));
  ASSERT_EQ(nginx.recordings().size(), 1u);
  const test::ProbeResult file = test::probe_media(nginx.recordings()[0]);
  ASSERT_TRUE(file.file) << file.error;
  ASSERT_NE(file.file->first(test::StreamKind::video), nullptr);
  EXPECT_EQ(file.file->first(test::StreamKind::video)->codec, "h264");

  // The next stream to 127.0.0.1 starts from what was measured.
  std::ifstream in(state / "cunbo" / "uplinks.json");
  ASSERT_TRUE(in) << "nothing remembered";
  const nlohmann::json remembered = nlohmann::json::parse(in, nullptr, false);
  ASSERT_TRUE(remembered.contains("127.0.0.1")) << remembered.dump();
  EXPECT_GT(remembered["127.0.0.1"].value("video_kbps", 0), 5000) << remembered.dump();
  EXPECT_FALSE(remembered["127.0.0.1"].value("limited", true)) << "loopback was never full";
}

}  // namespace
}  // namespace cunbo::ui
