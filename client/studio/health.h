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
    good,          // 网络良好
    congested,     // 网络较差，已自动降低画质
    reconnecting,  // 正在重连（第 N 次，M 秒后）
    key_rejected,  // 推流密钥被拒绝
  };
  std::string display_url;  // key masked
  Kind kind = Kind::connecting;
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

[[nodiscard]] DestinationHealth health_of(const DestinationStats& destination, int64_t now_us);
[[nodiscard]] MicLevel mic_level_of(const AudioLevelMeter::Reading& reading);

}  // namespace cunbo
