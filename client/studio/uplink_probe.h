// `cunbo probe --uplink` and 测网速: what the host's uplink carries to a push address, measured
// by a short real publish (about 8 s) of a test pattern at rising rates: from 500 kbit/s,
// doubling every second, until the link no longer takes what is offered; then 3 s held there,
// and what it carried over those 3 s is the figure. Every picture is a keyframe (a small noisy
// one), so the server receives a stream it can decode whatever the rate. Together with the
// encode-speed test it picks the quality (uplink_choice()).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>

#include "client/config/destination.h"
#include "media/encoder_settings.h"
#include "media/stream_output.h"

namespace cunbo {

struct UplinkResult {
  bool reached = false;     // the server took the publish
  OutputFailure failure = OutputFailure::none;  // why not
  int kbps = 0;             // what the link carried (everything sent), 0 when not reached
  bool saturated = false;   // the link set the figure; false: it took even our highest rate
  double seconds = 0;       // how long the publish ran
  bool cancelled = false;
};

// Blocks its caller. `progress` (may be empty) is called on that thread with 0…1; `stop` ends
// the publish within a tick, with `cancelled` set.
[[nodiscard]] UplinkResult probe_uplink(const Destination& destination, const std::string& ca_file,
                                        std::function<void(float progress)> progress, std::stop_token stop);

// The highest preset whose video and sound fit in 80 % of the uplink (room for the link's bad
// moments), never above `by_speed` (what the computer can encode); the lowest when none fits.
[[nodiscard]] Quality uplink_choice(const UplinkResult& uplink, Quality by_speed);
// What the test measured, kept in the uplink memory (client/session/uplink_memory.h) for the
// destination's host, so that the first stream there starts at what the link carries: the
// video's share of it, limited when the link was full. Nothing for a test that did not finish.
void remember_uplink(const Destination& destination, const UplinkResult& uplink, const std::filesystem::path& file);

// "上传速度约 1.2 Mbit/s，建议 标清 720p" (or why it could not be measured).
[[nodiscard]] std::string uplink_summary(const UplinkResult& uplink, Quality chosen);

}  // namespace cunbo
