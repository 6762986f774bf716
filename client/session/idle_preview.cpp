#include "client/session/idle_preview.h"

#include <utility>

namespace cunbo {

IdlePreview::IdlePreview(std::shared_ptr<CaptureRig> rig, const SessionOptions& options)
    : rig_(std::move(rig)), options_(options) {
  const VideoSettings video = video_settings_for(options.quality, options.orientation);
  compositor_ = std::make_unique<Compositor>(video.width, video.height, rig_->colorspace(), options.framing);
  if (options.overlay_painter && options.showcase)
    painter_ = options.overlay_painter(OverlayTarget{options.showcase->overlay(), overlay_slot_, rig_->clock(),
                                                     video.width, video.height, compositor_->colorspace(),
                                                     options.images, &slate_slot_});
  pipeline_ = std::make_unique<VideoPipeline>(rig_->clock(), *compositor_, video.fps, &overlay_slot_);
  pipeline_->set_slate(&slate_slot_);
  enhance_.set_settings(options.enhance);
  pipeline_->set_enhance(&enhance_);
  pipeline_->set_preview_mirrored(options.mirror_preview);
}

IdlePreview::~IdlePreview() { stop(); }

void IdlePreview::start() {
  const std::lock_guard lock(lifecycle_mutex_);
  if (started_ || stopped_) return;
  started_ = true;
  if (options_.showcase) {
    Showcase& overlay = options_.showcase->overlay();
    overlay.set_placement(options_.card_placement);
    overlay.set_watermark(options_.shop_name);
  }
  if (painter_) painter_->start();
  pipeline_->start(rig_->clock().now_us());
  rig_->attach(pipeline_.get(), &meter_, /*hold_newest=*/true);  // for a quick handover to the session
  rig_->start();
}

void IdlePreview::stop() {
  const std::lock_guard lock(lifecycle_mutex_);
  if (stopped_) return;
  stopped_ = true;
  if (!started_) return;
  // Shutdown order: the rig's frames stop coming here, then the picture and the card stop.
  rig_->detach(pipeline_.get(), &meter_);
  pipeline_->request_stop();
  pipeline_->join();
  if (painter_) {
    painter_->request_stop();
    painter_->join();
  }
}

}  // namespace cunbo
