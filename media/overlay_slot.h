// The hand-over of the overlay between the thread that rasterises it and the video thread: a
// double buffer of immutable layers. The producer publishes a new layer whenever the content
// changes and never waits on the video thread; the video thread takes the current one each
// tick and never waits on a raster (only on a pointer copy under a mutex). A layer the video
// thread still uses stays alive through its own reference (until the next tick: a repeated
// picture may have to be taken back from under it).
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include "media/overlay_layer.h"

namespace cunbo {

class OverlaySlot {
 public:
  // Replaces the layer; null (or an empty layer) means no overlay from the next frame on.
  void publish(std::shared_ptr<const OverlayLayer> layer) {
    {
      const std::lock_guard lock(mutex_);
      layer_.swap(layer);
    }
    publishes_.fetch_add(1, std::memory_order_relaxed);
    // `layer` now holds the previous one: freed here, on the producer's thread, outside the lock
    // (unless the video thread still holds it; then it goes there, at the next tick).
  }

  // The layer to blend now (may be null or empty).
  [[nodiscard]] std::shared_ptr<const OverlayLayer> current() const {
    const std::lock_guard lock(mutex_);
    return layer_;
  }

  // How many times publish() was called (for stats and tests).
  [[nodiscard]] uint64_t publishes() const { return publishes_.load(std::memory_order_relaxed); }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const OverlayLayer> layer_;
  std::atomic<uint64_t> publishes_{0};
};

}  // namespace cunbo
