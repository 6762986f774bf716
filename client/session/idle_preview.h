// The studio's picture and sound while it is not live: the running camera and microphone (a
// CaptureRig), framed, lit and with the card and banners on it exactly as viewers would see
// them, at the output's size and rate but encoded nowhere; and the microphone's level, so the
// host can try their voice (试试说话) before going live. Going live, the session borrows the
// same rig: this preview lets go of it first (stop()).
//
// Lifecycle: construct (assembles, starts nothing), start(), stop() (also the destructor):
// the rig's frames no longer come here when it returns. Thread-safety: every public member may
// be called from any thread.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "client/platform/image_loader.h"
#include "client/session/overlay_painter.h"
#include "client/session/product_showcase.h"
#include "client/session/session.h"
#include "media/audio_level.h"
#include "media/capture_rig.h"
#include "media/compositor.h"
#include "media/enhance.h"
#include "media/latest_frame.h"
#include "media/overlay_slot.h"
#include "media/video_pipeline.h"

namespace cunbo {

class IdlePreview {
 public:
  // From `options`: the quality and orientation (the picture's size), the framing, light and
  // beauty, the card's place and the shop name, the overlay painter, the showcase and images.
  IdlePreview(std::shared_ptr<CaptureRig> rig, const SessionOptions& options);
  ~IdlePreview();
  IdlePreview(const IdlePreview&) = delete;
  IdlePreview& operator=(const IdlePreview&) = delete;

  void start();
  void stop();

  [[nodiscard]] LatestFrame& preview() { return pipeline_->preview(); }
  [[nodiscard]] AudioLevelMeter::Reading mic() const { return meter_.level.read(rig_->clock().now_us()); }
  void set_enhance(const EnhanceSettings& settings) { enhance_.set_settings(settings); }
  void set_framing(const Framing& framing) { compositor_->set_framing(framing); }
  void set_preview_mirrored(bool on) { pipeline_->set_preview_mirrored(on); }
  // Why the camera or microphone, waited for (SessionOptions::wait_for_devices), is not open
  // yet, in the host's words; nullopt once both are. The picture meanwhile is the slate.
  [[nodiscard]] std::optional<std::string> unopened() const {
    const std::optional<CaptureRigError> e = rig_->unopened();
    if (!e) return std::nullopt;
    return capture_problem_text(e->error, *e->source);
  }

 private:
  struct Meter final : FrameSink {
    void push_frame(const AVFrame& frame, int64_t capture_us) override { level.measure(frame, capture_us); }
    AudioLevelMeter level;
  };

  std::shared_ptr<CaptureRig> rig_;
  SessionOptions options_;
  OverlaySlot overlay_slot_;
  OverlaySlot slate_slot_;
  std::unique_ptr<Compositor> compositor_;
  Enhance enhance_;
  Meter meter_;
  std::unique_ptr<VideoPipeline> pipeline_;
  std::unique_ptr<OverlayPainter> painter_;
  std::mutex lifecycle_mutex_;
  bool started_ = false;  // guarded by lifecycle_mutex_
  bool stopped_ = false;  // guarded by lifecycle_mutex_
};

}  // namespace cunbo
