// The camera and microphone while the studio is not live (StudioOptions::idle_preview), on the
// worker: opened from the config at the start and after each save, shown with the card as
// viewers would see it, kept running into the next session (which borrows the rig), closed
// by 关闭摄像头 and at the end.
#include <string>

#include <spdlog/spdlog.h>

#include "client/studio/session_setup.h"
#include "client/studio/studio_impl.h"

namespace cunbo {

void Studio::Impl::close_preview(bool rig_too) {
  std::shared_ptr<IdlePreview> previewing;
  {
    const std::lock_guard lock(mutex);
    previewing = std::move(idle);
  }
  if (previewing) previewing->stop();
  if (rig_too && rig) {
    rig->stop();
    rig.reset();
  }
}

namespace {

// What the preview is built from that it cannot change while running: the rest (light, beauty,
// framing) it takes live.
std::string rebuild_key(const SessionOptions& so) {
  return so.video_spec + '\n' + so.audio_spec + '\n' + std::string(quality_name(so.quality)) + '\n' +
         std::string(orientation_name(so.orientation)) + '\n' + std::to_string(static_cast<int>(so.card_placement)) +
         '\n' + so.shop_name;
}

}  // namespace

void Studio::Impl::open_preview() {
  if (!options.idle_preview) return;
  {
    const std::lock_guard lock(jobs_mutex);
    if (stopping) return;  // the studio is closing: the camera stays closed
  }
  Config cfg;
  bool on = true;
  {
    const std::lock_guard lock(mutex);
    if (state != StudioState::idle) return;  // the session has the camera; the preview returns after it
    cfg = config;
    on = camera_on;
    camera_problem.reset();
  }
  SessionOptions so;
  CaptureFlags flags;
  flags.video = options.video_spec;
  flags.audio = options.audio_spec;
  flags.overlay_painter = options.overlay_painter;
  std::optional<SessionError> problem;
  std::optional<CaptureRigOptions> wanted;
  if (on) {
    auto resolved = resolve_capture_flags(flags, cfg, so);
    if (auto* err = std::get_if<SessionError>(&resolved)) problem = std::move(*err);
    so.mirror_preview = preview_mirrored(cfg);
    so.wait_for_devices = true;  // an unplugged or busy camera: the slate, tried every second
  }
  if (on && !problem) {
    auto made = capture_rig_options(so);
    if (auto* err = std::get_if<SessionError>(&made)) problem = std::move(*err);
    else wanted = std::get<CaptureRigOptions>(made);
  }
  if (wanted && !problem) {
    std::shared_ptr<IdlePreview> running;
    {
      const std::lock_guard lock(mutex);
      running = idle;
    }
    if (running && rebuild_key(so) == preview_key) {  // a save that changed only the look
      running->set_enhance(so.enhance);
      running->set_framing(so.framing);
      running->set_preview_mirrored(so.mirror_preview);
      return;
    }
  }
  close_preview(!wanted || !rig || !rig->serves(*wanted));
  if (wanted && !rig) {
    auto opened = open_capture_rig(*wanted);
    if (auto* err = std::get_if<SessionError>(&opened)) problem = std::move(*err);
    else rig = std::move(std::get<std::unique_ptr<CaptureRig>>(opened));
  }
  if (problem) {
    spdlog::warn("[studio] no camera preview: {}", problem->message);
    const std::lock_guard lock(mutex);
    camera_problem = problem->message;
    return;
  }
  if (!rig) return;  // the camera is off
  so.showcase = &showcase;
  so.images = &images;
  auto preview = std::make_shared<IdlePreview>(rig, so);
  preview->start();
  preview_key = rebuild_key(so);
  spdlog::info("[studio] camera preview on");
  const std::lock_guard lock(mutex);
  idle = std::move(preview);
}

}  // namespace cunbo
