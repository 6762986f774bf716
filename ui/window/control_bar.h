// Under the preview: the one big button (开始直播 / 结束直播: ending asks once), the 练习模式
// and 录制 toggles, the timer, and one health line per destination in plain words
// (网络良好 / 网络较差，已自动降低画质 / 正在重连（第 3 次，5 秒后）[立即重连] / 推流密钥被拒绝),
// with the numbers (kbit/s, fps, drops) in a tooltip for whoever helps the host.
#pragma once

#include <cstddef>
#include <string>

#include "ui/window/studio_panel.h"

namespace cunbo::ui {

class ControlBar : public StudioPanel {
 public:
  ControlBar();

  // The big button's action, also bound to F12 (and the test hook): idle → go live; live →
  // ask "end?" (`then_quit`: the window closes once the recording is saved).
  void press_main(Studio& studio, const StudioSnapshot& snapshot, bool then_quit = false);
  // The "end?" question: open, answered yes (Enter) or no (Esc).
  [[nodiscard]] bool confirming() const { return confirm_open_ || confirm_wanted_; }
  void confirm(Studio& studio);
  void cancel();
  // The host confirmed ending from the window's close button: quit once idle.
  [[nodiscard]] bool quit_confirmed() const { return quit_confirmed_; }

 protected:
  void draw_content() override;

 private:
  void draw_health();
  void draw_confirm();

  bool confirm_wanted_ = false;  // open the popup in the next draw
  bool confirm_open_ = false;
  bool close_popup_ = false;     // answered from the keyboard: close it in the next draw
  bool then_quit_ = false;
  bool quit_confirmed_ = false;
};

}  // namespace cunbo::ui
