#include "media/second_encode.h"

#include <spdlog/spdlog.h>

#include "media/thread_name.h"

namespace cunbo {

std::variant<std::unique_ptr<SecondEncode>, std::string> SecondEncode::open(const VideoEncoder& shared,
                                                                            OutputFeed& feed, int kbps) {
  // Opened as the shared one was (the level in its headers follows the VBV), then set to its rate.
  auto opened = VideoEncoder::open(shared.settings(), shared.colorspace(), shared.stream_index());
  if (auto* error = std::get_if<std::string>(&opened)) return *error;
  auto encoder = std::move(std::get<std::unique_ptr<VideoEncoder>>(opened));
  if (!encoder->same_headers_as(shared)) return std::string("its headers differ from the shared encoder's");
  encoder->set_bitrate_kbps(kbps);
  return std::unique_ptr<SecondEncode>(new SecondEncode(std::move(encoder), feed));
}

SecondEncode::SecondEncode(std::unique_ptr<VideoEncoder> encoder, OutputFeed& feed)
    : encoder_(std::move(encoder)), feed_(feed) {}

SecondEncode::~SecondEncode() { stop(); }

void SecondEncode::start() {
  thread_ = std::jthread([this](std::stop_token stop) {
    name_this_thread("second encode");
    run(stop);
  });
}

bool SecondEncode::offer(const AVFrame& frame) {
  if (handed_back_) return false;
  if (end_requested_.load() || failed_.load()) {
    handed_back_ = true;
    feed_.use_shared_from(frame.pts);
    return true;
  }
  av::Frame ref = av::ref_frame(&frame);
  if (!ref) return false;
  if (!switched_) {
    switched_ = true;
    feed_.use_second_from(frame.pts);
  }
  {
    const std::lock_guard lock(mutex_);
    if (pending_) frames_skipped_.fetch_add(1);
    pending_ = std::move(ref);
  }
  wake_.notify_all();
  return false;
}

void SecondEncode::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SecondEncode::run(std::stop_token stop) {
  PacketSink& out = feed_.second();
  for (;;) {
    av::Frame frame;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, stop, [this] { return pending_ || stopping_; });
      frame = std::move(pending_);
      if (!frame && (stopping_ || stop.stop_requested())) break;
    }
    if (!frame) continue;
    if (!encoder_->encode(*frame, out)) {
      // The destination goes back to the shared encoder's pictures at the next tick (offer()).
      spdlog::error("[second-encode] the encoder failed; back to the shared encoder");
      failed_.store(true);
      return;
    }
    frames_encoded_.fetch_add(1);
  }
  encoder_->flush(out);
  spdlog::info("[second-encode] stopped after {} frames ({} skipped)", frames_encoded_.load(), frames_skipped_.load());
}

}  // namespace cunbo
