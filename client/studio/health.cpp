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
      // Never connected: the host is told the server cannot be reached and why, not that a
      // connection that never was is being made again.
      h.kind = d.status.connections == 0 ? Kind::unreachable : Kind::reconnecting;
      h.attempt = d.status.attempt;
      h.retry_in_s = static_cast<int>((std::max<int64_t>(0, d.status.retry_at_us - now_us) + 999'999) / 1'000'000);
      if (d.status.last_failure != OutputFailure::none) h.reason_id = std::string("reason.") + to_string(d.status.last_failure);
      break;
    case OutputState::key_rejected: h.kind = Kind::key_rejected; break;
    case OutputState::stopped: h.kind = Kind::connecting; break;
  }
  return h;
}

AirState air_state_of(const SessionStats& stats, bool practice) {
  if (practice) return AirState::practising;
  bool was_on_air = false;
  bool failing = false;
  for (const DestinationStats& d : stats.destinations) {
    if (d.status.state == OutputState::live || d.status.state == OutputState::congested) return AirState::on_air;
    was_on_air = was_on_air || d.status.connections > 0;
    failing = failing || d.failures > 0;
  }
  if (was_on_air) return AirState::reconnecting;
  return failing ? AirState::unreachable : AirState::connecting;
}

std::string off_air_reason(const SessionStats& stats) {
  for (const DestinationStats& d : stats.destinations) {
    if (d.status.state == OutputState::key_rejected) return "reason.publish_refused";
    if (d.status.last_failure != OutputFailure::none) return std::string("reason.") + to_string(d.status.last_failure);
  }
  return {};
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
