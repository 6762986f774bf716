// A session's figures in the words the host reads: each destination's health line and the
// microphone's level, from SessionStats (the window picks the strings).
#pragma once

#include <cstdint>
#include <string>

#include "client/session/session.h"

namespace cunbo {

struct DestinationHealth {
  enum class Kind {
    connecting,    // 正在连接
    unreachable,   // 连不上服务器（原因）: never connected yet, the last attempt failed
    good,          // 网络良好
    congested,     // 网络较差，已自动降低画质
    reconnecting,  // 正在重连（第 N 次，M 秒后）: it was live, the link went down
    key_rejected,  // 推流密钥被拒绝
  };
  std::string display_url;  // key masked
  Kind kind = Kind::connecting;
  std::string reason_id;  // with unreachable and reconnecting: "reason.refused", "reason.timeout"…
  int attempt = 0;     // with reconnecting
  int retry_in_s = 0;  // with reconnecting
  int kbps = 0;        // sent over the last second
  double fps = 0;      // video frames sent per second
  int64_t drops = 0;
};

struct MicLevel {
  float peak_dbfs = -120;  // over the last ~100 ms
  float rms_dbfs = -120;
  bool silent = false;    // below −50 dBFS for more than 5 s while live: "麦克风没有声音"
  bool clipping = false;  // peaks at 0 dBFS in the last 2 s: "声音太大，破音了"
};

// Whether the host is on air, in one word for the badge and the timer.
enum class AirState {
  idle,          // no session
  practising,    // a practice session (nothing is pushed)
  connecting,    // live: no destination has taken the stream yet, attempts under way
  unreachable,   // live: none has taken it yet and the attempts fail (连不上服务器)
  on_air,        // live: at least one destination takes the stream now (直播中)
  reconnecting,  // live: they took it, now none does (正在重连)
};

// After this long live with no destination taking the stream, the host is alarmed (a red
// banner and a sound in the window, a line on the command line).
inline constexpr int64_t kOffAirAlarmUs = 15'000'000;

[[nodiscard]] DestinationHealth health_of(const DestinationStats& destination, int64_t now_us);
[[nodiscard]] AirState air_state_of(const SessionStats& stats, bool practice);
// The first destination's reason for not taking the stream, as a string id ("reason.refused"),
// or empty.
[[nodiscard]] std::string off_air_reason(const SessionStats& stats);
[[nodiscard]] MicLevel mic_level_of(const AudioLevelMeter::Reading& reading);

}  // namespace cunbo
