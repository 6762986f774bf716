// A second H.264 encode of the video thread's pictures, for one destination whose link is far
// slower than the others' (media/output_feed.h). Its own thread ("second encode") and encoder,
// opened with the shared encoder's settings so that its headers are the ones the destination's
// stream was opened with, at its own bitrate. It encodes the newest picture offered; one it is
// too slow for is skipped (that destination gets fewer frames, never late ones).
//
// Lifecycle: open() (no thread), start(), then the video thread offers every picture; stop()
// flushes into the feed and joins. Thread-safe as noted.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>

#include "media/av.h"
#include "media/output_feed.h"
#include "media/video_encoder.h"

namespace cunbo {

class SecondEncode {
 public:
  // Fails (in words, for the log) when the encoder cannot be opened or its headers differ.
  [[nodiscard]] static std::variant<std::unique_ptr<SecondEncode>, std::string> open(const VideoEncoder& shared,
                                                                                     OutputFeed& feed, int kbps);
  ~SecondEncode();
  SecondEncode(const SecondEncode&) = delete;
  SecondEncode& operator=(const SecondEncode&) = delete;

  void start();
  // Video thread, before the shared encoder encodes `frame` (pts = its tick): the first offer
  // switches the feed's picture to this encode from that tick on; the first after end() (or
  // after this encoder failed) switches it back to the shared encoder from that tick, and
  // returns true: the shared encoder must make that frame a keyframe. Later offers are
  // ignored. Never blocks.
  [[nodiscard]] bool offer(const AVFrame& frame);
  // Thread-safe: the destination goes back to the shared encoder at the next tick.
  void end() { end_requested_.store(true); }
  void set_bitrate_kbps(int kbps) { encoder_->set_bitrate_kbps(kbps); }  // thread-safe
  [[nodiscard]] int bitrate_kbps() const { return encoder_->bitrate_kbps(); }
  void set_frame_share(int share) { encoder_->set_frame_share(share); }  // thread-safe
  void request_keyframe() { encoder_->request_keyframe(); }  // thread-safe
  // Encodes what was offered, flushes into the feed, ends the thread. Idempotent.
  void stop();

  [[nodiscard]] int64_t frames_encoded() const { return frames_encoded_.load(); }
  [[nodiscard]] int64_t frames_skipped() const { return frames_skipped_.load(); }
  // The encoder failed for good: the feed goes back to the shared encoder's pictures.
  [[nodiscard]] bool failed() const { return failed_.load(); }

 private:
  SecondEncode(std::unique_ptr<VideoEncoder> encoder, OutputFeed& feed);
  void run(std::stop_token stop);

  std::unique_ptr<VideoEncoder> encoder_;
  OutputFeed& feed_;
  bool switched_ = false;     // video thread only
  bool handed_back_ = false;  // video thread only
  std::atomic<bool> end_requested_{false};
  std::mutex mutex_;
  std::condition_variable_any wake_;
  av::Frame pending_;  // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
  std::atomic<int64_t> frames_encoded_{0};
  std::atomic<int64_t> frames_skipped_{0};
  std::atomic<bool> failed_{false};
  std::jthread thread_;
};

}  // namespace cunbo
