// How a test clip marks its frames, and how a recording of it is read back: frame i of an
// n-frame clip is a uniform gray whose level ramps with i, so every recorded frame tells which
// clip frame it shows. A looped clip then reads as a sawtooth; a stall as a flat step.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace cunbo::test {

// Luma (full range, 0..255) of clip frame `index`: a ramp from kFirstLuma to kLastLuma.
inline constexpr int kFirstLuma = 32;
inline constexpr int kLastLuma = 224;
[[nodiscard]] int clip_frame_luma(int index, int frame_count);

// Which clip frame each recorded frame shows, from its luma. The lowest and highest luma in
// the recording are taken as the clip's first and last frame, so the reading survives any
// range conversion (full → limited) on the way; the recording must span the whole clip.
[[nodiscard]] std::vector<int> clip_frame_indices(const std::vector<double>& lumas, int frame_count);

struct LoopAnalysis {
  std::vector<int> indices;                      // the clip frame shown by each recorded frame
  int wraps = 0;                                 // jumps from later in the clip back to an earlier frame
  std::vector<std::pair<int, int>> wrap_points;  // (clip frame before, clip frame after) for each wrap
  int longest_freeze = 0;                        // most consecutive recorded frames repeating the one before
  int repeats = 0;                               // recorded frames repeating the one before (judder when frequent)
  int largest_skip = 0;                          // most clip frames jumped over between two recorded frames

  [[nodiscard]] std::string describe() const;  // the index sequence and the findings, for messages
};

[[nodiscard]] LoopAnalysis analyse_loop(const std::vector<int>& indices, int frame_count);

}  // namespace cunbo::test
