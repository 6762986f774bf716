// The thread that turns the showcase into the overlay layer the video thread blends. ui/
// implements it (the drawing is Dear ImGui, which nothing outside ui/ includes); the session
// creates it through a factory the executable hands over, and runs without an overlay when
// there is none (e.g. the client library's own tests).
#pragma once

#include <functional>
#include <memory>

#include "media/av.h"
#include "media/session_clock.h"

namespace cunbo {

class ImageLoader;
class OverlaySlot;
class Showcase;

class OverlayPainter {
 public:
  virtual ~OverlayPainter() = default;
  virtual void start() = 0;
  virtual void request_stop() = 0;  // non-blocking
  virtual void join() = 0;
};

// What a painter draws from and into. Everything outlives the painter.
struct OverlayTarget {
  Showcase& showcase;
  OverlaySlot& slot;
  const SessionClock& clock;
  int width = 0;
  int height = 0;
  AVColorSpace colorspace = AVCOL_SPC_BT709;
  ImageLoader* images = nullptr;  // the product pictures (the studio's one loader); null: none
  // Where the painter puts the slate shown instead of a lost camera (drawn once, at its
  // start); null: none, the picture goes black.
  OverlaySlot* slate = nullptr;
};

using OverlayPainterFactory = std::function<std::unique_ptr<OverlayPainter>(const OverlayTarget&)>;

}  // namespace cunbo
