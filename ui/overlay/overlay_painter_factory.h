// The overlay painter the executable hands to the session (see client/session/overlay_painter.h):
// a ShowcasePainter, drawing with Dear ImGui on the CPU.
#pragma once

#include "client/session/overlay_painter.h"

namespace cunbo::ui {

[[nodiscard]] OverlayPainterFactory overlay_painter_factory();

}  // namespace cunbo::ui
