// The health line under the big button, as a host reads it: each reason a push can fail for
// has its own plain sentence, in red, never the words of another reason and never 网络良好.
// Drawn by the real control bar in an offscreen frame; the words read from what it drew.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "client/studio/studio.h"
#include "tests/ui/offscreen_ui.h"
#include "ui/window/control_bar.h"

namespace cunbo::ui {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Case {
  DestinationHealth::Kind kind;
  const char* reason_id;
  const char* says;  // what the host must read
};

// Every failure a link reports (media/stream_output.h, OutputFailure), in the state it leaves.
const Case kCases[] = {
    {DestinationHealth::Kind::unreachable, "reason.dns", "找不到服务器"},
    {DestinationHealth::Kind::unreachable, "reason.refused", "服务器拒绝连接"},
    {DestinationHealth::Kind::unreachable, "reason.timeout", "连接超时"},
    {DestinationHealth::Kind::unreachable, "reason.tls", "安全连接（TLS）失败"},
    {DestinationHealth::Kind::unreachable, "reason.untrusted", "服务器证书不可信"},
    {DestinationHealth::Kind::unreachable, "reason.server_closed", "服务器刚连上就断开了"},
    {DestinationHealth::Kind::key_rejected, "", "推流密钥被拒绝"},
    {DestinationHealth::Kind::reconnecting, "reason.connection_lost", "连接中断"},
    {DestinationHealth::Kind::reconnecting, "reason.timeout", "连接超时"},
};

class HealthLine : public ::testing::Test {
 protected:
  // The texts the control bar draws for one live destination in `health`.
  std::vector<DrawnText> drawn_for(const DestinationHealth& health) {
    StudioSnapshot snap;
    snap.state = StudioState::live;
    snap.destinations = {health};
    std::vector<DrawnText> drawn;
    std::string glyphs;
    for (int pass = 0; pass < 2; ++pass) {  // the first pass finds the glyphs, the second draws with them
      drawn.clear();
      ui_.frame(glyphs, [&] {
        const UiFrame f{studio_, snap, ui_.fonts(), nullptr, 1, &drawn};
        bar_.draw_at(f, PanelRect{8, 486, 500, 140});
      });
      for (const DrawnText& t : drawn) glyphs += t.text;
    }
    return drawn;
  }

  Studio studio_{StudioOptions{}};
  OffscreenUi ui_;
  ControlBar bar_;
};

TEST_F(HealthLine, EachReasonHasItsOwnSentenceInRed) {
  std::set<std::string> sentences;
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.reason_id);
    DestinationHealth health;
    health.display_url = "rtmp://push.example.com/live/****";
    health.kind = c.kind;
    health.reason_id = c.reason_id;
    health.attempt = 3;
    health.retry_in_s = 4;
    const std::vector<DrawnText> drawn = drawn_for(health);
    const DrawnText* line = nullptr;
    for (const DrawnText& t : drawn)
      if (t.text.find(c.says) != std::string::npos) line = &t;
    ASSERT_NE(line, nullptr) << "the health line does not say " << c.says;
    EXPECT_EQ(line->color, colors::kBad) << line->text << " is not red";
    EXPECT_THAT(line->text, Not(HasSubstr("网络良好")));
    if (c.kind == DestinationHealth::Kind::reconnecting) {
      EXPECT_THAT(line->text, HasSubstr("第 3 次，4 秒后"));
    }
    if (c.kind == DestinationHealth::Kind::unreachable) {
      EXPECT_THAT(line->text, HasSubstr("4秒后再试"));
    }
    EXPECT_TRUE(sentences.insert(line->text).second) << line->text << " is said for another reason too";
  }
}

}  // namespace
}  // namespace cunbo::ui
