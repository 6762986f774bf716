// The neutral tile shown instead of a product picture that is missing, too big or broken.
#pragma once

#include "media/image_fit.h"  // RgbaImage

namespace cunbo {

// A light rounded square with a simple mountain-and-sun pattern, exactly box_w x box_h (each
// clamped to 1–4096), marked as a placeholder. Pure; any thread.
[[nodiscard]] RgbaImage make_placeholder(int box_w, int box_h);

}  // namespace cunbo
