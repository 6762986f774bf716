#include "media/device_list.h"

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

extern "C" {
#include <libavdevice/avdevice.h>
#include <libavformat/avformat.h>
}

#include <spdlog/spdlog.h>

#include "media/av.h"

namespace cunbo {

namespace {

struct DeviceListDeleter {
  void operator()(AVDeviceInfoList* list) const { avdevice_free_list_devices(&list); }
};

bool offers(const AVDeviceInfo& device, AVMediaType type) {
  for (int i = 0; i < device.nb_media_types; ++i) {
    if (device.media_types[i] == type) return true;
  }
  return false;
}

// DirectShow's devices of one kind, by friendly name (the description; the name is the
// device's unique moniker). dshow accepts either after "video=" / "audio=".
template <typename Device>
std::vector<Device> dshow_devices(AVMediaType type, const char* prefix) {
  av::initialise();  // registers the input devices
  std::vector<Device> found;
  const AVInputFormat* dshow = av_find_input_format("dshow");
  if (!dshow) {
    spdlog::warn("[devices] this build has no DirectShow input");
    return found;
  }
  AVDeviceInfoList* raw = nullptr;
  const int err = avdevice_list_input_sources(dshow, nullptr, nullptr, &raw);
  std::unique_ptr<AVDeviceInfoList, DeviceListDeleter> list(raw);
  if (err < 0 || !list) {
    spdlog::warn("[devices] cannot list DirectShow devices: {}", av::error_string(err));
    return found;
  }
  for (int i = 0; i < list->nb_devices; ++i) {
    const AVDeviceInfo* device = list->devices[i];
    if (!device || !offers(*device, type)) continue;
    const std::string name = device->device_description && *device->device_description ? device->device_description
                                                                                         : device->device_name;
    Device d;
    d.name = name;
    d.spec = std::string("dshow:") + prefix + name;
    if constexpr (std::is_same_v<Device, Microphone>) d.is_default = i == list->default_device;
    found.push_back(std::move(d));
  }
  return found;
}

}  // namespace

std::vector<Camera> list_cameras() {
  auto cameras = dshow_devices<Camera>(AVMEDIA_TYPE_VIDEO, "video=");
  spdlog::info("[devices] {} camera(s) from DirectShow", cameras.size());
  return cameras;
}

std::vector<Microphone> list_microphones() {
  auto mics = dshow_devices<Microphone>(AVMEDIA_TYPE_AUDIO, "audio=");
  spdlog::info("[devices] {} microphone(s) from DirectShow", mics.size());
  return mics;
}

void route_device_library_messages() {}

}  // namespace cunbo
