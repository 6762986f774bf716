#include "media/video_pipeline.h"

#include <spdlog/spdlog.h>

#include "media/thread_name.h"

namespace cunbo {

VideoPipeline::VideoPipeline(const SessionClock& clock, Compositor& compositor, VideoEncoder& encoder,
                             PacketSink& sink, const OverlaySlot* overlay)
    : clock_(clock), compositor_(compositor), encoder_(&encoder), sink_(&sink), fps_(encoder.settings().fps),
      overlay_(overlay) {}

VideoPipeline::VideoPipeline(const SessionClock& clock, Compositor& compositor, int fps, const OverlaySlot* overlay)
    : clock_(clock), compositor_(compositor), encoder_(nullptr), sink_(nullptr), fps_(fps), overlay_(overlay) {}

VideoPipeline::~VideoPipeline() {
  request_stop();
  join();
}

void VideoPipeline::start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) {
    name_this_thread("video");
    run(stop);
  });
}

void VideoPipeline::begin(int64_t origin_us) {
  {
    const std::lock_guard lock(mutex_);
    origin_us_.store(origin_us);
  }
  wake_.notify_all();
}

void VideoPipeline::set_end(int64_t end_us) {
  end_us_.store(end_us);
  wake_.notify_all();
}

void VideoPipeline::request_stop() {
  thread_.request_stop();
  wake_.notify_all();
}

void VideoPipeline::join() {
  if (thread_.joinable()) thread_.join();
}

void VideoPipeline::run(std::stop_token stop) {
  {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, stop, [this] { return origin_us_.load() != kNoOrigin; });
    if (stop.stop_requested()) return;  // stopped before the first tick: nothing to flush
  }
  const int64_t origin_us = origin_us_.load();
  const int fps = fps_;
  auto tick_us = [origin_us, fps](int64_t tick) { return origin_us + tick * 1'000'000 / fps; };
  // Each tick picks its picture half a frame after its time: a source running at the output
  // rate in step with the ticks (files, the test pattern, most cameras) then always has that
  // tick's frame ready, instead of jitter deciding between it and the one before (judder).
  const int64_t pick_delay_us = 500'000 / fps;
  int64_t tick = 0;
  while (!stop.stop_requested()) {
    const int64_t due = tick_us(tick);
    if (due >= end_us_.load()) break;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, stop, clock_.at_us(due + pick_delay_us), [&] { return due >= end_us_.load(); });
    }
    if (stop.stop_requested() || due >= end_us_.load()) break;

    const int64_t now = clock_.now_us();
    const int64_t current = (now - pick_delay_us - origin_us) * fps / 1'000'000;
    if (current > tick + 1) {
      // Late for this tick. A moment's stall (the encoder's first frames, the machine busy
      // elsewhere) is caught up: this tick and the ones missed are encoded right behind each
      // other, with the newest picture, so viewers see it held for a few frames and the stream's
      // timeline has no hole. Later than kCatchUpUs, or when the machine is too slow for the
      // stream (the two skips before this one both within kOverloadedUs), every other tick is
      // dropped until the thread is back on time: the picture stays fluid, a frame missing at a
      // time. Hopelessly late (kHopelessUs), the ticks missed are skipped at once.
      const int64_t late = now - pick_delay_us - due;
      const bool overloaded = earlier_skip_us_ && now - *earlier_skip_us_ < kOverloadedUs;
      if (late > kHopelessUs || ((late > kCatchUpUs || overloaded) && !dropped_last_)) {
        // Ticks at or after the end are not the session's: a stall running past it lost only
        // the ticks up to the end.
        int64_t missed = late > kHopelessUs ? current : tick + 1;
        while (missed > tick && tick_us(missed - 1) >= end_us_.load()) --missed;
        frames_dropped_.fetch_add(missed - tick);
        earlier_skip_us_ = last_skip_us_;
        last_skip_us_ = now;
        tick = std::max(missed, tick + 1);
        dropped_last_ = true;
        continue;
      }
      frames_late_.fetch_add(1);
    }
    dropped_last_ = false;

    // A layer published meanwhile is picked up at the next tick.
    av::Frame out = picture_at(now, overlay_ ? overlay_->current() : nullptr);
    if (!out) break;
    out->pts = tick;
    if (preview_mirrored_.load()) {
      const av::Frame mirrored = mirrored_preview(*out);
      preview_.put(*mirrored, due);
    } else {
      preview_.put(*out, due);
    }
    std::shared_ptr<SecondEncode> second;
    {
      const std::lock_guard lock(second_mutex_);
      second = second_;
    }
    if (encoder_) {
      if (second && second->offer(*out)) encoder_->request_keyframe();  // the destination is back on ours
      if (!encoder_->encode(*out, *sink_)) break;
      frames_encoded_.fetch_add(1);
    }
    ++tick;
  }
  if (encoder_) encoder_->flush(*sink_);
  spdlog::info("[video] stopped after {} frames ({} dropped, {} caught up late)", frames_encoded_.load(),
               frames_dropped_.load(), frames_late_.load());
}

av::Frame VideoPipeline::mirrored_preview(const AVFrame& shown) {
  if (shown_black_) return av::ref_frame(&shown);  // black or the slate: no camera to mirror
  av::Frame bare = av::ref_frame(&shown);
  if (!bare || av_frame_make_writable(bare.get()) < 0) return av::ref_frame(&shown);  // a copy: `shown` stays
  if (shown_overlay_) shown_overlay_->restore(*bare, under_);
  const FlipKey key{bare->width, bare->height, bare->format};
  if (!(key == flip_key_)) {
    flip_key_ = key;
    preview_flip_ = VideoGraph::build(*bare, "hflip", bare->format, "preview");
  }
  av::Frame flipped = preview_flip_ ? preview_flip_.filter(*bare, "preview") : av::Frame();
  if (!flipped || av_frame_make_writable(flipped.get()) < 0) return av::ref_frame(&shown);
  if (shown_overlay_) shown_overlay_->blend_into(*flipped);
  return flipped;
}

av::Frame VideoPipeline::picture_at(int64_t now, std::shared_ptr<const OverlayLayer> overlay) {
  int64_t captured_at = 0;
  av::Frame fresh = captured_.take(&captured_at);  // null: nothing new since the last tick
  if (fresh) captured_at_ = captured_at;
  // Nothing captured yet, or the camera is gone: black, not frozen; once it is gone (or said
  // lost before its first picture), with the slate on the black.
  const bool black = !captured_at_ || now - *captured_at_ > kSourceStaleUs;
  const int64_t idle_at = source_idle_us_.load();
  const bool said_lost = idle_at != kNoOrigin && now - idle_at < kSourceStaleUs;
  std::shared_ptr<const OverlayLayer> slate = black && (captured_at_ || said_lost) && slate_ ? slate_->current() : nullptr;
  if (fresh && !black) {
    av::Frame fitted = compositor_.fit(std::move(fresh));
    if (enhance_ && fitted) fitted = enhance_->apply(std::move(fitted), captured_at);
    shown_ = compositor_.compose_fitted(std::move(fitted), overlay.get(), under_);
  } else if (shown_ && shown_black_ == black && shown_slate_ == slate) {
    // The same picture as the last tick; under another overlay if that changed meanwhile.
    if (overlay != shown_overlay_) {
      av::Frame again = compositor_.recompose(*shown_, shown_overlay_.get(), under_, overlay.get());
      if (!again) return av::ref_frame(shown_.get());  // out of memory: the last frame as it was
      shown_ = std::move(again);
    }
  } else {
    // The slate is blended once per outage into a black frame of our own, then drawn on in place.
    // (Black and the slate are the output's own pictures: never framed, turned or mirrored.)
    av::Frame background = slate ? compositor_.compose(nullptr, slate.get()) : compositor_.fit(nullptr);
    shown_ = compositor_.compose_fitted(std::move(background), overlay.get(), under_);
  }
  shown_black_ = black;
  shown_slate_ = std::move(slate);
  shown_overlay_ = std::move(overlay);
  return shown_ ? av::ref_frame(shown_.get()) : av::Frame();
}

}  // namespace cunbo
