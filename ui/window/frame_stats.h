// --frame-stats (tests/bench/studio_bench.sh): how long the UI thread worked on each frame and
// how much memory the process peaked at, printed as one line on stderr at exit. UI thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cunbo::ui {

struct FrameStatsExtra {
  int64_t preview_frames = 0;  // camera pictures shown
  size_t atlas_kb = 0;
  size_t glyphs = 0;
  int atlas_builds = 0;
  double atlas_build_ms = 0;
  int64_t frames_skipped = 0;  // frames with nothing new: neither drawn nor presented
};

// Where a frame's time went, in ms.
struct FramePhases {
  double upload = 0;   // the preview picture and product pictures into textures
  double build = 0;    // the ImGui frame (panels, layout, text)
  double raster = 0;   // rasterising the draw data (the software renderer's work)
  double present = 0;  // SDL_RenderPresent
};

class FrameStats {
 public:
  // One frame's work (events, snapshot, uploads, ImGui, raster, present; not the wait after it).
  void add(double ms, const FramePhases& phases);
  // "ui-frames N mean-ms … p50-ms … p95-ms … max-ms … preview-frames … peak-rss-mb …", then the
  // mean of each phase ("upload-ms …").
  void print(const FrameStatsExtra& extra) const;

 private:
  std::vector<double> frame_ms_;
  FramePhases sum_;
};

}  // namespace cunbo::ui
