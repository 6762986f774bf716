// The overlay's own thread: watches the showcase, redraws the overlay when what viewers
// should see changes (a card presented or hidden, a banner coming or going, a picture
// arriving), converts it for the blend and publishes it to the video thread's slot. Animations
// are drawn at most once per animation step (the video's frame rate); a still overlay costs
// nothing between changes. The video thread never waits for a raster: it keeps blending the
// previous layer until the next one is published.
//
// A card waits up to kPictureWaitUs for its product picture (pictures come through the
// studio's one ImageLoader: disk cache, download limits) so that it does not flash a
// placeholder first; a picture that cannot be had shows the neutral tile.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "client/platform/image_loader.h"
#include "client/session/overlay_painter.h"

namespace cunbo::ui {

class ShowcasePainter final : public OverlayPainter {
 public:
  static constexpr int64_t kPictureWaitUs = 500'000;

  explicit ShowcasePainter(const OverlayTarget& target);
  ~ShowcasePainter() override;  // request_stop() + join()
  ShowcasePainter(const ShowcasePainter&) = delete;
  ShowcasePainter& operator=(const ShowcasePainter&) = delete;

  void start() override;
  void request_stop() override;
  void join() override;

  // For the log and benchmarks: how many layers were drawn and how long the slowest took.
  [[nodiscard]] int64_t renders() const { return renders_.load(); }

 private:
  void run(std::stop_token stop);
  // The picture for `url` if it has arrived; asks for it the first time.
  [[nodiscard]] std::shared_ptr<const RgbaImage> picture(const std::string& url, int box);

  // The picture wanted now and, once loaded, its image. Shared with the loader's callback,
  // which may run after the painter is gone.
  struct Wanted {
    std::mutex mutex;
    std::string url;
    std::shared_ptr<const RgbaImage> image;
  };

  OverlayTarget target_;
  std::shared_ptr<Wanted> wanted_ = std::make_shared<Wanted>();
  std::atomic<int64_t> renders_{0};
  std::jthread thread_;
};

}  // namespace cunbo::ui
