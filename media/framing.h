// How the camera's picture is put into the output frame: the frame's orientation (landscape
// 16:9 or portrait 9:16, the quality presets naming the short side), the framing of a picture
// of another shape (fill: cropped to fill the frame, centred, with a zoom and an offset the
// host can nudge; fit: the whole picture over a blurred, darkened copy of itself instead of
// black bars) and the camera's mounting (a camera or phone turned sideways).
#pragma once

#include <optional>
#include <string_view>

namespace cunbo {

enum class Orientation { landscape, portrait };
enum class FramingMode { fill, fit };

struct Framing {
  FramingMode mode = FramingMode::fit;
  // Fill only: 1 (the largest crop) .. kMaxZoom, and where the crop sits in the room it leaves,
  // -1 (left / top) .. 1 (right / bottom); 0 is centred.
  double zoom = 1;
  double offset_x = 0;
  double offset_y = 0;
  // Clockwise turn that makes the camera's picture upright: 0, 90, 180 or 270.
  int rotation = 0;
  // The camera's picture left-right mirrored (after the turn), as the host sees themselves in a
  // mirror: viewers see it so too, the writing on a box backwards. The overlay is never mirrored.
  bool mirror = false;
  static constexpr double kMaxZoom = 3;
  bool operator==(const Framing&) const = default;
  // Zoom and offsets brought into range, the rotation to one of the four.
  [[nodiscard]] Framing clamped() const;
};

// The host's words: "portrait" | "landscape"; "fill" | "fit"; "0" | "90" | "180" | "270".
[[nodiscard]] std::optional<Orientation> parse_orientation(std::string_view text);
[[nodiscard]] std::string_view orientation_name(Orientation orientation);
[[nodiscard]] std::optional<FramingMode> parse_framing_mode(std::string_view text);
[[nodiscard]] std::string_view framing_mode_name(FramingMode mode);
[[nodiscard]] std::optional<int> parse_rotation(std::string_view text);
// The framing a frame of this orientation gets when the host chose none: a landscape webcam
// fills a portrait frame (the host's face, not a strip); a landscape frame shows the whole
// picture, so an old 4:3 webcam loses nothing.
[[nodiscard]] FramingMode default_framing_mode(Orientation orientation);

// The part of a picture (w x h) that fills a frame of frame_w x frame_h under `framing`
// (fill), or the whole picture (fit); even offsets and sizes for 4:2:0 chroma.
struct CropRect {
  int x = 0, y = 0, w = 0, h = 0;
  bool operator==(const CropRect&) const = default;
};
[[nodiscard]] CropRect fill_crop(int w, int h, int frame_w, int frame_h, const Framing& framing);

}  // namespace cunbo
