#include "client/studio/health.h"

#include <algorithm>

namespace cunbo {

namespace {

constexpr int64_t kSilentAfterUs = 5'000'000;
constexpr int64_t kClipShownUs = 2'000'000;

}  // namespace

DestinationHealth health_of(const DestinationStats& d, int64_t now_us) {
  DestinationHealth h;
  h.display_url = d.display_url;
  h.kbps = d.kbps;
  h.fps = d.fps;
  h.drops = d.status.drops;
  using Kind = DestinationHealth::Kind;
  switch (d.status.state) {
    case OutputState::connecting: h.kind = Kind::connecting; break;
    case OutputState::live: h.kind = Kind::good; break;
    case OutputState::congested: h.kind = Kind::congested; break;
    case OutputState::reconnecting:
      h.kind = Kind::reconnecting;
      h.attempt = d.status.attempt;
      h.retry_in_s = static_cast<int>((std::max<int64_t>(0, d.status.retry_at_us - now_us) + 999'999) / 1'000'000);
      break;
    case OutputState::key_rejected: h.kind = Kind::key_rejected; break;
    case OutputState::stopped: h.kind = Kind::connecting; break;
  }
  return h;
}

MicLevel mic_level_of(const AudioLevelMeter::Reading& reading) {
  MicLevel mic;
  mic.peak_dbfs = reading.peak_dbfs;
  mic.rms_dbfs = reading.rms_dbfs;
  mic.silent = reading.quiet_us > kSilentAfterUs;
  mic.clipping = reading.since_clip_us >= 0 && reading.since_clip_us <= kClipShownUs;
  return mic;
}

}  // namespace cunbo
