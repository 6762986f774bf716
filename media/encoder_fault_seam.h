// A test seam, not a feature: CUNBO_FAULT_ENCODER="fail_at_frame=N[,again_at_frame=M]" makes
// the video encoder fail at those output frames (once each), exactly where a real
// avcodec_send_frame error would, so that whole-program tests can show what a host is told
// and what the stream and the recording hold when the encoder breaks; nothing outside makes
// libx264 fail. Read once when the encoder opens and logged as a warning when set; no flag,
// config key or window reaches it.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace cunbo {

class EncoderFaultSeam {
 public:
  static constexpr const char* kVariable = "CUNBO_FAULT_ENCODER";

  // The plan in `text`; a value it cannot read plans nothing (logged).
  [[nodiscard]] static EncoderFaultSeam parse(std::string_view text);
  // The plan in the environment (none when the variable is unset).
  [[nodiscard]] static EncoderFaultSeam from_environment();

  // True once for each planned frame: the encoder's send of frame `pts` must fail now.
  [[nodiscard]] bool fails_now(int64_t pts);
  [[nodiscard]] const std::vector<int64_t>& frames() const { return frames_; }

 private:
  std::vector<int64_t> frames_;  // still to fail; video thread only
};

}  // namespace cunbo
