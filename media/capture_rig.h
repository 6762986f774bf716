// The camera and the microphone as one running pair, opened once and kept across sessions: the
// studio opens them when it starts (its idle preview, the mic meter) and every session it goes
// live with borrows them, so going live reopens nothing and starts on the next picture. Each
// source pushes into a relay that hands its frames to whoever is attached now (the idle
// preview, a session, or nobody). The rig's clock is the one every borrower keeps time on.
//
// Lifecycle: open() opens both (starts nothing), start() starts their threads, stop() (also
// the destructor) stops and joins them. attach() may be called from any thread at any time.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <variant>

#include "media/capture_source.h"
#include "media/frame_sink.h"
#include "media/session_clock.h"
#include "media/source_spec.h"

namespace cunbo {

struct CaptureRigOptions {
  SourceSpec video;
  SourceSpec audio;
  // Hints to the camera (its usual shape, long side across) and the generators.
  int width = 1280;
  int height = 720;
  int fps = 30;
  int sample_rate = 48000;
  // A camera or microphone that cannot be opened now is waited for (CaptureOptions::keep_trying).
  bool keep_trying = false;
};

struct CaptureRigError {
  CaptureError error;
  const SourceSpec* source = nullptr;  // the option that failed: options.video or options.audio
};

class CaptureRig {
 public:
  [[nodiscard]] static std::variant<std::unique_ptr<CaptureRig>, CaptureRigError> open(const CaptureRigOptions& options);
  ~CaptureRig();
  CaptureRig(const CaptureRig&) = delete;
  CaptureRig& operator=(const CaptureRig&) = delete;

  void start();  // idempotent
  void stop();   // idempotent; the sources' threads are gone when it returns

  // From now on, pictures go to `video` and sound to `audio` (null: dropped), `video` first
  // getting the picture the previous sinks were attached with `hold_newest` kept: a session
  // taking over from the preview starts on the picture of the moment instead of waiting up to
  // a frame period for the camera's next one. (Only for the preview: a picture someone else
  // holds cannot have the card drawn into it in place, it is copied first.) When this returns
  // no frame is being handed to the previous sinks, which may then go away.
  void attach(FrameSink* video, FrameSink* audio, bool hold_newest = false);
  // The same for sinks going away: each relay lets go of its sink if it is still the given one
  // (another attached since keeps its frames).
  void detach(const FrameSink* video, const FrameSink* audio);

  [[nodiscard]] const SessionClock& clock() const { return clock_; }
  [[nodiscard]] const CaptureRigOptions& options() const { return options_; }
  [[nodiscard]] AVColorSpace colorspace() const { return video_->colorspace(); }
  [[nodiscard]] bool camera_lost() const { return video_->device_lost(); }
  [[nodiscard]] bool mic_lost() const { return (audio_ ? audio_ : video_)->device_lost(); }
  // Why a camera or microphone waited for could not be opened yet (nullopt: it is open, or it
  // was lost after it was).
  [[nodiscard]] std::optional<CaptureRigError> unopened() const;
  // False when the sound is the video's own file's (then it is lost only with the picture).
  [[nodiscard]] bool separate_microphone() const { return audio_ != nullptr; }
  // The same camera and microphone, asked for the same shape: a session can borrow the rig.
  [[nodiscard]] bool serves(const CaptureRigOptions& wanted) const;

 private:
  class Relay final : public FrameSink {
   public:
    void push_frame(const AVFrame& frame, int64_t capture_us) override;
    void on_idle(int64_t now_us) override;
    void set(FrameSink* to, bool hold_newest);
    void clear_if(const FrameSink* to);

   private:
    std::mutex mutex_;  // held while a frame is handed on, so set() waits for it
    FrameSink* to_ = nullptr;
    bool holding_ = false;  // the newest picture is kept for the next sink
    av::Frame newest_;
    int64_t newest_us_ = 0;
  };

  explicit CaptureRig(CaptureRigOptions options) : options_(std::move(options)) {}

  CaptureRigOptions options_;
  SessionClock clock_;
  Relay video_relay_;
  Relay audio_relay_;
  std::unique_ptr<CaptureSource> video_;
  std::unique_ptr<CaptureSource> audio_;  // null: the video's file has the sound
  std::mutex lifecycle_mutex_;
  bool started_ = false;  // guarded by lifecycle_mutex_
  bool stopped_ = false;  // guarded by lifecycle_mutex_
};

}  // namespace cunbo
