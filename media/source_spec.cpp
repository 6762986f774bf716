#include "media/source_spec.h"

#include <array>

namespace cunbo {

namespace {

struct DeviceFamily {
  std::string_view prefix;
  std::string_view input_format;
  bool video;
  bool audio;
};

// Which libavdevice inputs exist is a property of the platform FFmpeg was built for; a family
// this build lacks is reported when the device is opened, in words naming it.
constexpr std::array kFamilies = {
    DeviceFamily{"v4l2:", "v4l2", true, false},
    DeviceFamily{"pulse:", "pulse", false, true},
    DeviceFamily{"alsa:", "alsa", false, true},
    DeviceFamily{"dshow:", "dshow", true, true},
    DeviceFamily{"avfoundation:", "avfoundation", true, true},
};

}  // namespace

std::variant<SourceSpec, SpecError> parse_source_spec(std::string_view text, MediaKind kind) {
  SourceSpec spec;
  spec.text = std::string(text);
  if (text == "test") {
    spec.kind = SourceSpec::Kind::test;
    spec.input_format = "lavfi";
    spec.realtime_pacing = true;
    // The URL is completed by the capture source, which knows the output size and rate.
    return spec;
  }
  if (text.starts_with("file:")) {
    std::string_view path = text.substr(5);
    if (path.empty()) return SpecError{spec.text};
    spec.kind = SourceSpec::Kind::file;
    spec.url = std::string(path);
    spec.network = path.find("://") != std::string_view::npos;
    spec.realtime_pacing = !spec.network;
    spec.loop = !spec.network;
    return spec;
  }
  for (const DeviceFamily& family : kFamilies) {
    if (!text.starts_with(family.prefix)) continue;
    if ((kind == MediaKind::video && !family.video) || (kind == MediaKind::audio && !family.audio)) break;
    std::string_view name = text.substr(family.prefix.size());
    if (name.empty()) return SpecError{spec.text};
    spec.kind = SourceSpec::Kind::device;
    spec.input_format = std::string(family.input_format);
    spec.url = std::string(name);
    return spec;
  }
  return SpecError{spec.text};
}

}  // namespace cunbo
