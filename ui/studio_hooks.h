// The settings panel and the first-start guide, connected to the studio window.
#pragma once

#include "ui/studio_window.h"

namespace cunbo::ui {

[[nodiscard]] StudioWindowHooks studio_window_hooks();

}  // namespace cunbo::ui
