// The video thread: at every tick of the output frame rate (on the session clock) it takes the
// newest captured frame, composes the output picture and encodes it. Output is constant frame
// rate with PTS = tick index, i.e. the tick's capture time; a tick the thread is too late for
// is caught up when the lateness is a moment's (≤ kCatchUpUs), dropped and counted otherwise. A source that stops delivering leaves the last
// picture up for a moment, then the slate over black (black without one). The showcase overlay, when there is one, is blended
// into every frame as the slot holds it at that tick: into the captured picture itself when
// nothing else holds it (no copy), keeping what it covered so that a tick repeating that
// picture can show it under another overlay.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "media/compositor.h"
#include "media/enhance.h"
#include "media/frame_sink.h"
#include "media/latest_frame.h"
#include "media/overlay_slot.h"
#include "media/packet_sink.h"
#include "media/second_encode.h"
#include "media/session_clock.h"
#include "media/video_graph.h"
#include "media/video_encoder.h"

namespace cunbo {

class VideoPipeline final : public FrameSink {
 public:
  // `overlay` (may be null: no overlay) must outlive the pipeline; it is read once per tick.
  VideoPipeline(const SessionClock& clock, Compositor& compositor, VideoEncoder& encoder, PacketSink& sink,
                const OverlaySlot* overlay = nullptr);
  // The preview only (the studio while not live): the same pictures at `fps`, encoded nowhere.
  VideoPipeline(const SessionClock& clock, Compositor& compositor, int fps, const OverlaySlot* overlay = nullptr);
  ~VideoPipeline() override;

  // FrameSink: the capture thread hands over frames here (never blocks).
  void push_frame(const AVFrame& frame, int64_t capture_us) override { captured_.put(frame, capture_us); }
  // FrameSink: the source is lost and being reopened. A camera that never delivered a picture
  // (waited for from the start) then gets the slate too, not just black.
  void on_idle(int64_t now_us) override { source_idle_us_.store(now_us); }

  // The video thread, started early (before the source's first picture) so that starting it
  // costs no tick; it waits for begin().
  void start();
  // Tick 0 is at `origin_us` on the session clock (the session's start).
  void begin(int64_t origin_us);
  void start(int64_t origin_us) {  // both at once
    start();
    begin(origin_us);
  }
  // Light and beauty for the source's pictures (not the slate, not the overlay): each new
  // picture once, after it is fitted to the output size; a repeated picture keeps its result.
  // Null: none. Must outlive the pipeline; call before start().
  void set_enhance(Enhance* enhance) { enhance_ = enhance; }
  // The slate shown over black once the source stopped delivering (the camera is lost); it is
  // read at each tick, so one published later is picked up. Call before start(); null: black.
  void set_slate(const OverlaySlot* slate) { slate_ = slate; }
  // Waits for the source's first picture, so the session can start on it rather than on black.
  [[nodiscard]] bool wait_first_capture(std::chrono::steady_clock::time_point deadline) {
    return captured_.wait_first(deadline);
  }
  // When the source's newest picture was captured (nullopt: none yet).
  [[nodiscard]] std::optional<int64_t> newest_capture_us() const { return captured_.newest_capture_us(); }
  // Ticks at or after `end_us` are not encoded; the thread flushes the encoder and exits.
  void set_end(int64_t end_us);
  void request_stop();  // stop now (flushes what is encoded)
  void join();

  // Thread-safe: every picture from the next tick on is also offered to `second` (a slow
  // destination's own encode), before the shared encoder encodes it, which makes the tick a
  // keyframe when the destination comes back to it (SecondEncode::offer); null: to none.
  void set_second(std::shared_ptr<SecondEncode> second) {
    const std::lock_guard lock(second_mutex_);
    second_ = std::move(second);
  }

  // The composited picture as viewers will see it, for the preview (one-slot, never blocks).
  [[nodiscard]] LatestFrame& preview() { return preview_; }
  // Thread-safe: from the next tick the preview's picture is the camera's mirrored left-right
  // (镜像, for the host), with the overlay on it as viewers read it; what is encoded is not
  // mirrored. Black and the slate are never mirrored.
  void set_preview_mirrored(bool on) { preview_mirrored_.store(on); }
  [[nodiscard]] int64_t frames_encoded() const { return frames_encoded_.load(); }
  [[nodiscard]] int64_t frames_dropped() const { return frames_dropped_.load(); }
  [[nodiscard]] int64_t frames_late() const { return frames_late_.load(); }  // encoded late, caught up

 private:
  void run(std::stop_token stop);
  // `shown` (the tick's picture, drawn as the last picture_at() left it) for the mirrored
  // preview: a copy without the overlay, mirrored, the overlay blended in again. `shown` itself
  // when there is nothing to mirror or no memory.
  [[nodiscard]] av::Frame mirrored_preview(const AVFrame& shown);
  // The picture for the tick at `now`, overlay included (a new reference; null: out of memory).
  [[nodiscard]] av::Frame picture_at(int64_t now, std::shared_ptr<const OverlayLayer> overlay);

  static constexpr int64_t kSourceStaleUs = 1'000'000;
  // A tick late by up to this much is still encoded (a moment's stall: six frames)...
  static constexpr int64_t kCatchUpUs = 200'000;
  // ... unless ticks had to be skipped twice this recently: the machine is too slow for the stream.
  static constexpr int64_t kOverloadedUs = 3'000'000;
  // Later than this, the ticks missed are skipped at once instead of every other one.
  static constexpr int64_t kHopelessUs = 500'000;

  const SessionClock& clock_;
  Compositor& compositor_;
  VideoEncoder* encoder_;  // null (and sink_ too): the preview only
  PacketSink* sink_;
  int fps_;
  const OverlaySlot* overlay_;
  const OverlaySlot* slate_ = nullptr;
  Enhance* enhance_ = nullptr;
  LatestFrame captured_;
  LatestFrame preview_;
  // What the last tick showed (video thread only): the picture, the overlay blended into it
  // and the samples that overlay covered, whether it is black instead of the source's, and
  // when the source's newest picture was captured; the slate under it, if any.
  av::Frame shown_;
  std::shared_ptr<const OverlayLayer> shown_overlay_;
  std::shared_ptr<const OverlayLayer> shown_slate_;
  std::vector<uint8_t> under_;
  bool shown_black_ = false;
  std::optional<int64_t> captured_at_;
  std::atomic<int64_t> origin_us_{kNoOrigin};
  static constexpr int64_t kNoOrigin = std::numeric_limits<int64_t>::min();
  std::atomic<int64_t> end_us_{std::numeric_limits<int64_t>::max()};
  std::atomic<int64_t> frames_encoded_{0};
  std::atomic<int64_t> frames_dropped_{0};
  std::atomic<int64_t> frames_late_{0};
  std::atomic<bool> preview_mirrored_{false};
  std::atomic<int64_t> source_idle_us_{kNoOrigin};  // the source's last on_idle()
  // The mirrored preview's hflip (video thread only), rebuilt when the picture's size changes.
  VideoGraph preview_flip_;
  struct FlipKey {
    int width = 0, height = 0, format = -1;
    bool operator==(const FlipKey&) const = default;
  } flip_key_;
  std::optional<int64_t> last_skip_us_;     // video thread only: when ticks were last skipped
  std::optional<int64_t> earlier_skip_us_;  // and the time before that
  bool dropped_last_ = false;               // the tick before this one was dropped
  std::mutex second_mutex_;
  std::shared_ptr<SecondEncode> second_;  // guarded by second_mutex_
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace cunbo
