// The platform defaults (DESIGN.md, "Defaults that platforms expect") and the quality presets.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "media/framing.h"

namespace cunbo {

// A thinned frame rate is a share of every kFrameShares output frames (6: all of them; 4: 20
// of 30 fps; 3: 15), spread evenly (BitrateController, VideoEncoder::set_frame_share).
inline constexpr int kFrameShares = 6;

struct VideoSettings {
  int width = 1280;
  int height = 720;
  int fps = 30;
  int bitrate_kbps = 2000;
  int keyframe_interval_s = 2;
  std::string x264_preset = "veryfast";
};

struct AudioSettings {
  int sample_rate = 48000;
  int channels = 2;
  int bitrate_kbps = 128;
};

enum class Quality { smooth_480p, standard_720p, high_1080p };

[[nodiscard]] std::optional<Quality> parse_quality(std::string_view name);  // "480p", "720p", "1080p"
[[nodiscard]] std::string_view quality_name(Quality quality);
// The preset names the short side: 720p is 1280x720 in landscape and 720x1280 in portrait, at
// the same bitrate (the same number of pixels).
[[nodiscard]] VideoSettings video_settings_for(Quality quality, Orientation orientation = Orientation::landscape);

}  // namespace cunbo
