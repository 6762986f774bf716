#include "tests/support/real_time.h"

#include <fstream>
#include <nlohmann/json.hpp>

namespace cunbo::test {

int64_t frames_excused(const std::filesystem::path& recording) {
  if (!kSanitized) return 0;
  std::ifstream in(recording.string() + ".summary.json");
  const nlohmann::json summary = nlohmann::json::parse(in, nullptr, false);
  if (!summary.is_object()) return 0;
  return summary.value("frames_dropped", int64_t{0});
}

double ticks_per_second(const StreamTiming& timing, int64_t excused) {
  // packets_per_second is (packets - 1) over the span of the pts: the same span, more ticks.
  if (timing.packets < 2) return timing.packets_per_second;
  const double frames = timing.packets - 1;
  return timing.packets_per_second * (frames + static_cast<double>(excused)) / frames;
}

}  // namespace cunbo::test
