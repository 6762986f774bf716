#include "media/encoder_settings.h"

#include <utility>

namespace cunbo {

std::optional<Quality> parse_quality(std::string_view name) {
  if (name == "480p") return Quality::smooth_480p;
  if (name == "720p") return Quality::standard_720p;
  if (name == "1080p") return Quality::high_1080p;
  return std::nullopt;
}

std::string_view quality_name(Quality quality) {
  switch (quality) {
    case Quality::smooth_480p: return "480p";
    case Quality::standard_720p: return "720p";
    case Quality::high_1080p: return "1080p";
  }
  return "720p";
}

VideoSettings video_settings_for(Quality quality, Orientation orientation) {
  VideoSettings s;
  switch (quality) {
    case Quality::smooth_480p: s.width = 854; s.height = 480; s.bitrate_kbps = 1000; break;
    case Quality::standard_720p: s.width = 1280; s.height = 720; s.bitrate_kbps = 2000; break;
    case Quality::high_1080p: s.width = 1920; s.height = 1080; s.bitrate_kbps = 4000; break;
  }
  if (orientation == Orientation::portrait) std::swap(s.width, s.height);
  return s;
}

}  // namespace cunbo
