// The strip across the top: the name, whether the platform (or the practice simulator) is
// connected, the language switch (中文 / English, applied at once) and the 设置 button.
#pragma once

#include "ui/window/studio_panel.h"

namespace cunbo::ui {

class TopBar : public StudioPanel {
 public:
  TopBar();

  // Set by a click in the last draw; the window reads and clears them.
  [[nodiscard]] bool take_settings_clicked();
  [[nodiscard]] bool take_language_changed();

 protected:
  void draw_content() override;
  [[nodiscard]] ImVec2 padding() const override { return {14, 8}; }

 private:
  bool settings_clicked_ = false;
  bool language_changed_ = false;
};

}  // namespace cunbo::ui
