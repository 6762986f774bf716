#include "media/framing.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace cunbo {

Framing Framing::clamped() const {
  Framing f = *this;
  f.zoom = std::isfinite(zoom) ? std::clamp(zoom, 1.0, kMaxZoom) : 1.0;
  f.offset_x = std::isfinite(offset_x) ? std::clamp(offset_x, -1.0, 1.0) : 0.0;
  f.offset_y = std::isfinite(offset_y) ? std::clamp(offset_y, -1.0, 1.0) : 0.0;
  f.rotation = ((rotation % 360 + 360) % 360) / 90 * 90;
  return f;
}

std::optional<Orientation> parse_orientation(std::string_view text) {
  if (text == "portrait") return Orientation::portrait;
  if (text == "landscape") return Orientation::landscape;
  return std::nullopt;
}

std::string_view orientation_name(Orientation orientation) {
  return orientation == Orientation::portrait ? "portrait" : "landscape";
}

std::optional<FramingMode> parse_framing_mode(std::string_view text) {
  if (text == "fill") return FramingMode::fill;
  if (text == "fit") return FramingMode::fit;
  return std::nullopt;
}

std::string_view framing_mode_name(FramingMode mode) { return mode == FramingMode::fill ? "fill" : "fit"; }

std::optional<int> parse_rotation(std::string_view text) {
  for (const int r : {0, 90, 180, 270})
    if (text == std::to_string(r)) return r;
  return std::nullopt;
}

FramingMode default_framing_mode(Orientation orientation) {
  return orientation == Orientation::portrait ? FramingMode::fill : FramingMode::fit;
}

CropRect fill_crop(int w, int h, int frame_w, int frame_h, const Framing& framing) {
  if (w <= 0 || h <= 0 || frame_w <= 0 || frame_h <= 0) return {0, 0, std::max(w, 0), std::max(h, 0)};
  const Framing f = framing.clamped();
  // The largest rect of the frame's shape inside the picture, made smaller by the zoom.
  const double frame_aspect = static_cast<double>(frame_w) / frame_h;
  double cw = w, ch = h;
  if (static_cast<double>(w) / h > frame_aspect) {
    cw = h * frame_aspect;
  } else {
    ch = w / frame_aspect;
  }
  cw /= f.zoom;
  ch /= f.zoom;
  CropRect r;
  r.w = std::clamp(static_cast<int>(std::lround(cw)) & ~1, std::min(w, 2), w);
  r.h = std::clamp(static_cast<int>(std::lround(ch)) & ~1, std::min(h, 2), h);
  r.x = static_cast<int>(std::lround((w - r.w) / 2.0 * (1 + f.offset_x))) & ~1;
  r.y = static_cast<int>(std::lround((h - r.h) / 2.0 * (1 + f.offset_y))) & ~1;
  r.x = std::clamp(r.x, 0, w - r.w);
  r.y = std::clamp(r.y, 0, h - r.h);
  return r;
}

}  // namespace cunbo
