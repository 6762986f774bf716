// The message banner over the top of the preview: what the studio has to tell the host (why
// going live failed, a missing catalog), in plain words, with 知道了 to dismiss it. Read from
// the frame's own snapshot, so it is current the frame after a change. UI thread, in a frame.
#pragma once

#include "ui/window/studio_panel.h"

namespace cunbo::ui {

void draw_message_banner(const UiFrame& frame, const PanelRect& preview);

}  // namespace cunbo::ui
