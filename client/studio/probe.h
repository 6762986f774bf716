// `cunbo probe` and the first-start guide's 测一测电脑: how fast this computer encodes camera-like
// pictures with the real encoder settings of each quality preset, and the highest preset it
// can keep up with while leaving room for capture, the overlay and the window (a 2-core laptop
// runs all of them at once): its encoder must run at ≥ 1.5× real time (45 fps for 30 fps).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "media/encoder_settings.h"

namespace cunbo {

// How many times real time a preset must encode to be chosen.
inline constexpr double kProbeHeadroom = 1.5;

struct PresetSpeed {
  Quality quality = Quality::standard_720p;
  double fps = 0;  // frames encoded per second of encoding (frame synthesis not counted)
  int frames = 0;  // frames timed
  // fps / the preset's frame rate: 2.0 means twice as fast as the camera delivers frames.
  [[nodiscard]] double realtime() const;
};

struct ProbeResult {
  std::vector<PresetSpeed> speeds;  // the presets measured, lowest first; a slow one ends the test
  std::optional<Quality> chosen;    // nullopt when cancelled or the encoder could not start
  bool slow = false;                // even 流畅 480p is below the headroom: chosen anyway, with a warning
  bool cancelled = false;
  std::string error;                // the encoder could not start (technical; logged)

  // The chosen preset encodes fast enough for two encodes at once with the headroom each (a
  // destination far slower than the others can then get its own: client/session/supervisor.h).
  [[nodiscard]] bool room_for_second_encode() const;
  // The measurement for `quality`, if it was measured.
  [[nodiscard]] const PresetSpeed* speed_of(Quality quality) const;
};

// Encodes synthetic camera-like frames (a panning textured scene with sensor noise: x264's cost
// depends on content) for 480p, then 720p, then 1080p, each for a third of `budget` at most,
// as fast as it can, stopping at the first preset below the headroom. Blocks its caller: run
// it on a worker thread. `progress` (may be empty) is called on that thread with 0…1; `stop`
// makes it return within one frame's encode with `cancelled` set.
[[nodiscard]] ProbeResult probe_encode_speed(std::chrono::milliseconds budget,
                                             std::function<void(float progress)> progress, std::stop_token stop);

// The preset's name as the host reads it ("标清 720p").
[[nodiscard]] std::string quality_label(Quality quality);
// One line in plain words: "这台电脑适合：标清 720p（编码速度 3.2 倍实时）", the slow warning, or
// the cancelled / failed message.
[[nodiscard]] std::string probe_summary(const ProbeResult& result);

}  // namespace cunbo
