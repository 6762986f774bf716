#include "media/encoder_fault_seam.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string>

#include <spdlog/spdlog.h>

namespace cunbo {

EncoderFaultSeam EncoderFaultSeam::parse(std::string_view text) {
  EncoderFaultSeam seam;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const size_t equals = item.find('=');
    const std::string_view key = item.substr(0, equals);
    const std::string_view value = equals == std::string_view::npos ? std::string_view() : item.substr(equals + 1);
    int64_t frame = -1;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), frame);
    if ((key != "fail_at_frame" && key != "again_at_frame") || error != std::errc() ||
        end != value.data() + value.size() || frame < 0) {
      spdlog::warn("[video-encoder] {} not understood ({}): no fault injected", kVariable, item);
      return {};
    }
    seam.frames_.push_back(frame);
  }
  return seam;
}

EncoderFaultSeam EncoderFaultSeam::from_environment() {
  const char* value = std::getenv(kVariable);
  if (!value) return {};
  EncoderFaultSeam seam = parse(value);
  if (!seam.frames_.empty())
    spdlog::warn("[video-encoder] test seam {}={}: the encoder will fail on purpose", kVariable, value);
  return seam;
}

bool EncoderFaultSeam::fails_now(int64_t pts) {
  const auto planned = std::find(frames_.begin(), frames_.end(), pts);
  if (planned == frames_.end()) return false;
  frames_.erase(planned);
  return true;
}

}  // namespace cunbo
