// Turning what the host asked for (flags, the config, the window's toggles) into a session's
// options: sources, quality, showcase settings, where the recording goes, the destinations, and
// the platform's live session with its push address. Shared by the command line and the window.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "client/config/config.h"
#include "client/platform/platform_feed.h"
#include "client/session/overlay_painter.h"
#include "client/session/session.h"

namespace cunbo {

// What `practice` and `stream` share: the sources, the quality and when to stop.
struct CaptureFlags {
  std::optional<std::string> video;
  std::optional<std::string> audio;
  std::optional<std::string> duration;  // validated here, so the message is ours
  // The config's `duration` applies only where this is set (`cunbo practice`): a live stream
  // ends when the host ends it, or at a --duration given on its own command line.
  bool config_duration = false;
  std::optional<std::string> quality;
  // Clean sound: on|off (降噪), and the mic gain in dB; over the config's denoise / mic_gain.
  std::optional<std::string> denoise;
  std::optional<std::string> mic_gain;
  // The showcase overlay: the product presented from the start, where its card sits, the
  // shop name in the corner.
  std::optional<std::string> showcase;
  std::optional<std::string> card_position;
  std::optional<std::string> shop_name;
  // Light and beauty (补光 / 美颜), validated here: auto|off, 0..10.
  std::optional<std::string> light;
  std::optional<std::string> beauty;
  // The picture's shape and framing (media/framing.h), validated here: portrait|landscape,
  // fill|fit, 0|90|180|270.
  std::optional<std::string> orientation;
  std::optional<std::string> framing;
  std::optional<std::string> camera_rotation;
  // 镜像 for viewers too (on|off; over the config's mirror_stream): the command line has no
  // preview, so its mirror is the stream's.
  std::optional<std::string> mirror;
  // Draws the overlay (the executable hands over the ui/ painter; none: no overlay).
  OverlayPainterFactory overlay_painter;
};

// Fills the sources, quality and showcase settings of `options` from flags and config; returns
// the duration (nullopt: until stopped), or what is wrong (the window shows it).
[[nodiscard]] std::variant<std::optional<double>, SessionError> resolve_capture_flags(const CaptureFlags& flags,
                                                                                     const Config& config,
                                                                                     SessionOptions& options);
// `--out`/`--record` as given (its extension picks the container: .mkv, .mp4 or .flv; any
// other is refused), else the configured folder, else Videos/Cunbo, named
// <prefix>-YYYYmmdd-HHMMSS.mkv (the folder is created). Or what is wrong.
// Light, beauty and tone as the config says (what is not set: the defaults).
[[nodiscard]] EnhanceSettings enhance_settings(const Config& config);
// The orientation and framing as the config says (what is not set: the defaults).
[[nodiscard]] Orientation configured_orientation(const Config& config);
[[nodiscard]] Framing configured_framing(const Config& config, Orientation orientation);
// 镜像 for the host: the window's preview mirrored (config mirror), unless the stream's picture
// is mirrored itself (mirror_stream: the preview then shows it as viewers get it).
[[nodiscard]] bool preview_mirrored(const Config& config);

[[nodiscard]] std::variant<std::filesystem::path, SessionError> choose_recording_path(
    const std::optional<std::string>& given, const Config& config, const std::string& prefix);
// Where the event log of a session without a recording goes: the state folder (created),
// <prefix>-YYYYmmdd-HHMMSS.mkv.events.jsonl, named like a recording would be.
[[nodiscard]] std::filesystem::path unrecorded_event_log(const std::string& prefix);

// The config file's [[destinations]], in order; or what is wrong with the first bad one.
[[nodiscard]] std::variant<std::vector<Destination>, SessionError> config_destinations(const Config& config);

// Asks the platform for a live session (with the feed's products) and puts the push address it
// gives first in `destinations`. A refused token is an error (kLoginRequired); an unreachable
// platform is one only when there is nowhere else to push (kFailure), else a warning: the stream
// goes on without the platform.
struct PlatformSessionOutcome {
  std::optional<SessionError> error;
  std::optional<std::string> warning;
};
[[nodiscard]] PlatformSessionOutcome start_platform_session(PlatformFeed& feed,
                                                            std::vector<Destination>& destinations);

}  // namespace cunbo
