#include "ui/window/frame_stats.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace cunbo::ui {

namespace {

// Peak resident memory (VmHWM) in MB, from /proc.
double peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return 0;
}

}  // namespace

void FrameStats::add(double ms, const FramePhases& phases) {
  frame_ms_.push_back(ms);
  sum_.upload += phases.upload;
  sum_.build += phases.build;
  sum_.raster += phases.raster;
  sum_.present += phases.present;
}

void FrameStats::print(const FrameStatsExtra& extra) const {
  if (frame_ms_.empty()) return;
  std::vector<double> sorted = frame_ms_;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  for (double v : sorted) sum += v;
  const auto n = static_cast<double>(sorted.size());
  auto pct = [&](double p) {
    return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * static_cast<double>(sorted.size())))];
  };
  std::fprintf(stderr,
               "ui-frames %zu mean-ms %.2f p50-ms %.2f p95-ms %.2f max-ms %.2f preview-frames %lld frames-skipped %lld "
               "atlas-kb %zu glyphs %zu atlas-builds %d atlas-build-ms %.1f peak-rss-mb %.1f upload-ms %.2f build-ms %.2f "
               "raster-ms %.2f present-ms %.2f\n",
               sorted.size(), sum / static_cast<double>(sorted.size()), pct(0.5), pct(0.95), sorted.back(),
               static_cast<long long>(extra.preview_frames), static_cast<long long>(extra.frames_skipped),
               extra.atlas_kb, extra.glyphs, extra.atlas_builds, extra.atlas_build_ms, peak_rss_mb(),
               sum_.upload / n, sum_.build / n, sum_.raster / n, sum_.present / n);
}

}  // namespace cunbo::ui
