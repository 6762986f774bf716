#include "tests/support/clip_marks.h"

#include <algorithm>
#include <cmath>

namespace cunbo::test {

int clip_frame_luma(int index, int frame_count) {
  if (frame_count <= 1) return kFirstLuma;
  return kFirstLuma +
         static_cast<int>(std::lround(static_cast<double>(index) * (kLastLuma - kFirstLuma) / (frame_count - 1)));
}

std::vector<int> clip_frame_indices(const std::vector<double>& lumas, int frame_count) {
  std::vector<int> indices;
  if (lumas.empty() || frame_count <= 0) return indices;
  const auto [lo, hi] = std::minmax_element(lumas.begin(), lumas.end());
  const double span = *hi - *lo;
  for (double luma : lumas) {
    const double position = span > 0 ? (luma - *lo) / span : 0;
    indices.push_back(std::clamp(static_cast<int>(std::lround(position * (frame_count - 1))), 0, frame_count - 1));
  }
  return indices;
}

LoopAnalysis analyse_loop(const std::vector<int>& indices, int frame_count) {
  LoopAnalysis a;
  a.indices = indices;
  int freeze = 0;
  for (std::size_t k = 1; k < indices.size(); ++k) {
    const int before = indices[k - 1];
    const int after = indices[k];
    const int advance = ((after - before) % frame_count + frame_count) % frame_count;
    if (after < before) {
      ++a.wraps;
      a.wrap_points.emplace_back(before, after);
    }
    if (advance == 0) {
      ++a.repeats;
      a.longest_freeze = std::max(a.longest_freeze, ++freeze);
    } else {
      freeze = 0;
      a.largest_skip = std::max(a.largest_skip, advance - 1);
    }
  }
  return a;
}

std::string LoopAnalysis::describe() const {
  std::string text = "clip frames shown:";
  for (int i : indices) text += ' ' + std::to_string(i);
  text += "\nwraps: " + std::to_string(wraps);
  for (const auto& [before, after] : wrap_points)
    text += " (" + std::to_string(before) + "→" + std::to_string(after) + ")";
  text += "; repeated frames: " + std::to_string(repeats) + "; longest freeze: " + std::to_string(longest_freeze) +
          " frame(s); largest skip: " + std::to_string(largest_skip) + " frame(s)";
  return text;
}

}  // namespace cunbo::test
