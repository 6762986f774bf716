#include "media/capture_rig.h"

#include <utility>

namespace cunbo {

void CaptureRig::Relay::push_frame(const AVFrame& frame, int64_t capture_us) {
  const std::lock_guard lock(mutex_);
  if (holding_) {
    newest_ = av::ref_frame(&frame);  // a reference, no copy
    newest_us_ = capture_us;
  }
  if (to_) to_->push_frame(frame, capture_us);
}

void CaptureRig::Relay::on_idle(int64_t now_us) {
  const std::lock_guard lock(mutex_);
  if (to_) to_->on_idle(now_us);
}

void CaptureRig::Relay::set(FrameSink* to, bool hold_newest) {
  const std::lock_guard lock(mutex_);
  to_ = to;
  if (to_ && newest_) to_->push_frame(*newest_, newest_us_);
  holding_ = hold_newest;
  if (!holding_) newest_.reset();
}

void CaptureRig::Relay::clear_if(const FrameSink* to) {
  const std::lock_guard lock(mutex_);
  if (to_ == to) to_ = nullptr;  // what it holds stays for the next sink
}

std::variant<std::unique_ptr<CaptureRig>, CaptureRigError> CaptureRig::open(const CaptureRigOptions& options) {
  std::unique_ptr<CaptureRig> rig(new CaptureRig(options));
  // One file as both camera and microphone is opened once, for both (media/capture_source.h).
  const bool one_file = options.video.kind == SourceSpec::Kind::file &&
                        options.audio.kind == SourceSpec::Kind::file && options.video.url == options.audio.url;
  CaptureOptions vopt{options.video, MediaKind::video, one_file, options.width, options.height, options.fps,
                      options.sample_rate, options.keep_trying};
  auto video = CaptureSource::open(vopt, rig->clock_);
  if (auto* e = std::get_if<CaptureError>(&video)) return CaptureRigError{std::move(*e), &options.video};
  rig->video_ = std::move(std::get<std::unique_ptr<CaptureSource>>(video));
  if (!one_file) {
    CaptureOptions aopt{options.audio, MediaKind::audio, false, options.width, options.height, options.fps,
                        options.sample_rate, options.keep_trying};
    auto audio = CaptureSource::open(aopt, rig->clock_);
    if (auto* e = std::get_if<CaptureError>(&audio)) return CaptureRigError{std::move(*e), &options.audio};
    rig->audio_ = std::move(std::get<std::unique_ptr<CaptureSource>>(audio));
  }
  return rig;
}

CaptureRig::~CaptureRig() { stop(); }

void CaptureRig::start() {
  const std::lock_guard lock(lifecycle_mutex_);
  if (started_ || stopped_) return;
  started_ = true;
  video_->start(video_relay_, &audio_relay_);  // the sound too, when it is the same file
  if (audio_) audio_->start(audio_relay_);
}

void CaptureRig::stop() {
  const std::lock_guard lock(lifecycle_mutex_);
  if (stopped_) return;
  stopped_ = true;
  if (!started_) return;
  video_->request_stop();
  if (audio_) audio_->request_stop();
  video_->join();
  if (audio_) audio_->join();
}

void CaptureRig::attach(FrameSink* video, FrameSink* audio, bool hold_newest) {
  video_relay_.set(video, hold_newest);
  audio_relay_.set(audio, false);
}

void CaptureRig::detach(const FrameSink* video, const FrameSink* audio) {
  video_relay_.clear_if(video);
  audio_relay_.clear_if(audio);
}

std::optional<CaptureRigError> CaptureRig::unopened() const {
  if (auto e = video_->unopened()) return CaptureRigError{std::move(*e), &options_.video};
  if (audio_)
    if (auto e = audio_->unopened()) return CaptureRigError{std::move(*e), &options_.audio};
  return std::nullopt;
}

bool CaptureRig::serves(const CaptureRigOptions& wanted) const {
  return options_.video.text == wanted.video.text && options_.audio.text == wanted.audio.text &&
         options_.width == wanted.width && options_.height == wanted.height && options_.fps == wanted.fps &&
         options_.sample_rate == wanted.sample_rate;
}

}  // namespace cunbo
