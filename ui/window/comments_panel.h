// Viewers' comments, newest first: who (masked by the platform) and what they wrote.
#pragma once

#include "ui/window/studio_panel.h"

namespace cunbo::ui {

class CommentsPanel : public StudioPanel {
 public:
  CommentsPanel();

 protected:
  void draw_content() override;
};

}  // namespace cunbo::ui
