// Parses the source specs a host or a config file names (DESIGN.md, "Command line"):
// test, file:PATH, file:URL (a network stream, e.g. a phone used as an IP camera),
// v4l2:/dev/videoN, pulse:NAME, alsa:NAME, dshow:..., avfoundation:...
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace cunbo {

enum class MediaKind { video, audio };

struct SourceSpec {
  enum class Kind { test, file, device };
  Kind kind = Kind::test;
  std::string text;          // the spec as given, for messages
  std::string input_format;  // libavdevice/libavformat input name ("lavfi", "v4l2", "pulse"...); empty: probe
  std::string url;           // what avformat_open_input opens
  bool realtime_pacing = false;  // generated or file input: deliver at the media's own rate
  bool loop = false;             // file input: start over at the end
  // file:URL ("://" in it): a live stream that paces itself and never loops; its end means
  // the camera is gone, like an unplugged device.
  bool network = false;
};

struct SpecError {
  std::string spec;  // what was given
};

// `kind` selects the test generator (pattern or tone) and which device families are valid.
[[nodiscard]] std::variant<SourceSpec, SpecError> parse_source_spec(std::string_view text, MediaKind kind);

}  // namespace cunbo
