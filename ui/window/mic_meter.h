// The microphone's level as a bar (green, yellow near the top, red at 0 dBFS) and, in words,
// the two things that ruin a stream: 麦克风没有声音 (silent for seconds while live) and
// 声音太大 (clipping).
#pragma once

#include "ui/window/studio_panel.h"

namespace cunbo::ui {

class MicMeter : public StudioPanel {
 public:
  MicMeter();

 protected:
  void draw_content() override;

 private:
  float shown_db_ = -60;  // the bar, smoothed (falls slowly, rises at once)
  float hold_db_ = -60;   // the peak mark
  double hold_since_ = 0;
};

}  // namespace cunbo::ui
