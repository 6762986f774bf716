#include "media/output_feed.h"

namespace cunbo {

std::string OutputFeed::open(const std::vector<EncodedStream>& streams) {
  video_.clear();
  for (const EncodedStream& s : streams) video_.push_back(s.params && s.params->codec_type == AVMEDIA_TYPE_VIDEO);
  return output_.open(streams);
}

void OutputFeed::push(const AVPacket& packet) {
  const std::lock_guard lock(mutex_);  // held while handing over: the output sees one order
  if (is_video(packet)) {
    switch (picture_) {
      case Picture::shared: break;
      case Picture::second:
        if (packet.pts >= boundary_) return;
        break;
      case Picture::back_to_shared:
        if (packet.pts < boundary_) return;
        picture_ = Picture::shared;  // its keyframe is in: the second encode's late frames go
        break;
    }
  }
  output_.push(packet);
}

void OutputFeed::push_second(const AVPacket& packet) {
  const std::lock_guard lock(mutex_);
  const bool passes = (picture_ == Picture::second && packet.pts >= boundary_) ||
                      (picture_ == Picture::back_to_shared && packet.pts < boundary_);
  if (passes) output_.push(packet);
}

void OutputFeed::use_second_from(int64_t tick) {
  const std::lock_guard lock(mutex_);
  picture_ = Picture::second;
  boundary_ = tick;
}

void OutputFeed::use_shared_from(int64_t tick) {
  const std::lock_guard lock(mutex_);
  if (picture_ == Picture::shared) return;
  picture_ = Picture::back_to_shared;
  boundary_ = tick;
}

bool OutputFeed::on_second() const {
  const std::lock_guard lock(mutex_);
  return picture_ != Picture::shared;
}

}  // namespace cunbo
