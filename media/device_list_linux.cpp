#include "media/device_list.h"

#include <alsa/asoundlib.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "media/thread_name.h"

#include "media/av.h"

namespace cunbo {

namespace {

namespace fs = std::filesystem;

// ---- Cameras (V4L2) ------------------------------------------------------------------------

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_;
};

int xioctl(int fd, unsigned long request, void* arg) {
  int r = 0;
  do r = ::ioctl(fd, request, arg);
  while (r < 0 && errno == EINTR);
  return r;
}

std::string pixel_format_name(uint32_t fourcc) {
  switch (fourcc) {
    case V4L2_PIX_FMT_MJPEG: return "MJPEG";
    case V4L2_PIX_FMT_JPEG: return "JPEG";
    case V4L2_PIX_FMT_YUYV: return "YUYV";
    case V4L2_PIX_FMT_H264: return "H264";
    default: break;
  }
  std::string text;
  for (int shift = 0; shift < 32; shift += 8) {
    const auto c = static_cast<char>((fourcc >> shift) & 0xFF);
    if (c != ' ' && c != '\0') text += c;
  }
  return text;
}

// Sizes offered for a camera that takes any size in a range: the usual ones that fit it,
// and its largest.
std::vector<std::pair<int, int>> sizes_in(const v4l2_frmsize_stepwise& s) {
  constexpr std::array<std::pair<int, int>, 7> kCommon = {
      {{320, 240}, {640, 480}, {800, 600}, {1280, 720}, {1920, 1080}, {2560, 1440}, {3840, 2160}}};
  auto fits = [&s](uint32_t value, uint32_t min, uint32_t max, uint32_t step) {
    return value >= min && value <= max && (step == 0 || (value - min) % step == 0);
  };
  std::vector<std::pair<int, int>> sizes;
  for (const auto& [w, h] : kCommon) {
    if (fits(static_cast<uint32_t>(w), s.min_width, s.max_width, s.step_width) &&
        fits(static_cast<uint32_t>(h), s.min_height, s.max_height, s.step_height))
      sizes.emplace_back(w, h);
  }
  const std::pair<int, int> largest{static_cast<int>(s.max_width), static_cast<int>(s.max_height)};
  if (std::find(sizes.begin(), sizes.end(), largest) == sizes.end()) sizes.push_back(largest);
  return sizes;
}

double fps_of(const v4l2_fract& interval) {
  if (interval.numerator == 0) return 0;
  const double fps = static_cast<double>(interval.denominator) / interval.numerator;
  return std::round(fps * 100) / 100;  // 30000/1001 → 29.97
}

std::vector<double> frame_rates(int fd, uint32_t fourcc, int width, int height) {
  std::vector<double> rates;
  v4l2_frmivalenum ival{};
  ival.pixel_format = fourcc;
  ival.width = static_cast<uint32_t>(width);
  ival.height = static_cast<uint32_t>(height);
  for (ival.index = 0; xioctl(fd, VIDIOC_ENUM_FRAMEINTERVALS, &ival) == 0; ++ival.index) {
    if (ival.type == V4L2_FRMIVAL_TYPE_DISCRETE) {
      rates.push_back(fps_of(ival.discrete));
      continue;
    }
    // A range: its fastest and slowest rate, and the usual ones between.
    const double fastest = fps_of(ival.stepwise.min);
    const double slowest = fps_of(ival.stepwise.max);
    rates.push_back(fastest);
    for (double usual : {60.0, 50.0, 30.0, 25.0, 24.0, 20.0, 15.0, 10.0, 5.0})
      if (usual < fastest && usual > slowest) rates.push_back(usual);
    if (slowest > 0) rates.push_back(slowest);
    break;  // a range is the only entry
  }
  std::sort(rates.begin(), rates.end(), std::greater<>());
  rates.erase(std::unique(rates.begin(), rates.end(), [](double a, double b) { return std::abs(a - b) < 0.005; }),
              rates.end());
  std::erase_if(rates, [](double r) { return !(r > 0); });
  return rates;
}

std::vector<CameraFormat> camera_formats(int fd) {
  std::vector<CameraFormat> formats;
  v4l2_fmtdesc desc{};
  desc.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  for (desc.index = 0; xioctl(fd, VIDIOC_ENUM_FMT, &desc) == 0; ++desc.index) {
    const std::string name = pixel_format_name(desc.pixelformat);
    std::vector<std::pair<int, int>> sizes;
    v4l2_frmsizeenum size{};
    size.pixel_format = desc.pixelformat;
    for (size.index = 0; xioctl(fd, VIDIOC_ENUM_FRAMESIZES, &size) == 0; ++size.index) {
      if (size.type == V4L2_FRMSIZE_TYPE_DISCRETE) {
        sizes.emplace_back(static_cast<int>(size.discrete.width), static_cast<int>(size.discrete.height));
        continue;
      }
      sizes = sizes_in(size.stepwise);
      break;  // a range is the only entry
    }
    for (const auto& [w, h] : sizes)
      formats.push_back(CameraFormat{name, w, h, frame_rates(fd, desc.pixelformat, w, h)});
  }
  return formats;
}

std::optional<Camera> probe_camera(const fs::path& node) {
  // Non-blocking: whatever the node is (a FIFO, a busy device), opening it must not wait.
  Fd fd(::open(node.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
  if (!fd) {
    spdlog::warn("[devices] cannot open {}: {}", node.string(), std::strerror(errno));
    return std::nullopt;
  }
  v4l2_capability cap{};
  if (xioctl(fd.get(), VIDIOC_QUERYCAP, &cap) < 0) {
    spdlog::info("[devices] {} is not a V4L2 device: {}", node.string(), std::strerror(errno));
    return std::nullopt;
  }
  const uint32_t caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) != 0 ? cap.device_caps : cap.capabilities;
  if ((caps & V4L2_CAP_VIDEO_CAPTURE) == 0) {  // metadata, output, M2M-only or multi-planar nodes
    spdlog::debug("[devices] {} is not a video capture node (caps {:#x})", node.string(), caps);
    return std::nullopt;
  }
  Camera camera;
  const auto* card = reinterpret_cast<const char*>(cap.card);
  camera.name.assign(card, strnlen(card, sizeof cap.card));
  if (camera.name.empty()) camera.name = node.filename().string();
  camera.spec = "v4l2:" + node.string();
  camera.formats = camera_formats(fd.get());
  return camera;
}

// "video12" → 12; anything else → nothing.
std::optional<int> video_node_number(const std::string& name) {
  if (!name.starts_with("video") || name.size() == 5 || name[5] < '0' || name[5] > '9') return std::nullopt;
  int number = 0;
  const char* first = name.data() + 5;
  const char* last = name.data() + name.size();
  const auto [end, ec] = std::from_chars(first, last, number);
  if (ec != std::errc() || end != last) return std::nullopt;
  return number;
}

// ---- Microphones (PulseAudio, ALSA) -----------------------------------------------------------

constexpr auto kPulseProbeTimeout = std::chrono::seconds(3);

bool unix_socket_accepts(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof address.sun_path) return false;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const int r = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  const bool ok = r == 0 || errno == EAGAIN || errno == EINPROGRESS;  // a full backlog: it is there
  ::close(fd);
  return ok;
}

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// Whether a PulseAudio server may be listening, decided without libpulse: libpulse would
// start one (autospawn) when it finds none, and a listing must not do that. A server given
// by name over the network may be there; local ones are checked by connecting.
bool pulse_server_may_run() {
  const std::string configured = env_or_empty("PULSE_SERVER");
  if (!configured.empty()) {
    std::istringstream servers(configured);
    std::string server;
    while (servers >> server) {
      if (server.starts_with("{")) {  // "{machine-id}unix:/path": only on that machine
        const size_t close = server.find('}');
        if (close == std::string::npos) continue;
        server = server.substr(close + 1);
      }
      if (server.starts_with("unix:")) server = server.substr(5);
      if (!server.starts_with("/")) return true;  // tcp:host, host:port — tried, with a time limit
      if (unix_socket_accepts(server)) return true;
    }
    spdlog::info("[devices] no PulseAudio server at PULSE_SERVER={}", configured);
    return false;
  }
  std::vector<std::string> sockets;
  if (const std::string runtime = env_or_empty("PULSE_RUNTIME_PATH"); !runtime.empty())
    sockets.push_back(runtime + "/native");
  if (const std::string xdg = env_or_empty("XDG_RUNTIME_DIR"); !xdg.empty())
    sockets.push_back(xdg + "/pulse/native");
  else
    sockets.push_back(fmt::format("/run/user/{}/pulse/native", ::getuid()));
  sockets.push_back("/var/run/pulse/native");  // a system-wide daemon
  sockets.erase(std::unique(sockets.begin(), sockets.end()), sockets.end());
  for (const std::string& socket : sockets)
    if (unix_socket_accepts(socket)) return true;
  spdlog::info("[devices] no PulseAudio server running (looked for {})", fmt::join(sockets, ", "));
  return false;
}

struct DeviceListDeleter {
  void operator()(AVDeviceInfoList* list) const noexcept { avdevice_free_list_devices(&list); }
};
using DeviceList = std::unique_ptr<AVDeviceInfoList, DeviceListDeleter>;

struct PulseListing {
  std::vector<Microphone> mics;
  std::string error;  // empty: listed
};

// Logs nothing itself: it may run on a thread that has been given up on (see pulse_sources).
PulseListing pulse_sources_now() {
  const AVInputFormat* pulse = av_find_input_format("pulse");
  if (!pulse) return {{}, "this FFmpeg has no PulseAudio input"};
  AVDeviceInfoList* raw = nullptr;
  const int err = avdevice_list_input_sources(pulse, nullptr, nullptr, &raw);
  DeviceList list(raw);
  if (err < 0 || !list) return {{}, "cannot list PulseAudio sources: " + av::error_string(err)};
  PulseListing listing;
  for (int i = 0; i < list->nb_devices; ++i) {
    const AVDeviceInfo* device = list->devices[i];
    if (!device || !device->device_name) continue;
    Microphone mic;
    const std::string source = device->device_name;
    mic.name = device->device_description && *device->device_description ? device->device_description : source;
    mic.spec = "pulse:" + source;
    mic.is_default = i == list->default_device;
    mic.is_monitor = source.ends_with(".monitor");
    listing.mics.push_back(std::move(mic));
  }
  return listing;
}

// libpulse has no time limit of its own for a server that accepts but never answers, and
// FFmpeg's probe cannot be interrupted: it runs on a thread of its own, and one that overruns
// is left behind (it touches only its own shared state) rather than holding up the host.
std::vector<Microphone> pulse_sources() {
  if (!pulse_server_may_run()) return {};
  struct Probe {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    PulseListing listing;
  };
  auto probe = std::make_shared<Probe>();
  std::thread worker([probe] {
    name_this_thread("pulse probe");
    PulseListing listing = pulse_sources_now();
    std::lock_guard lock(probe->mutex);
    probe->listing = std::move(listing);
    probe->done = true;
    probe->done_cv.notify_all();
  });
  std::unique_lock lock(probe->mutex);
  if (!probe->done_cv.wait_for(lock, kPulseProbeTimeout, [&] { return probe->done; })) {
    lock.unlock();
    worker.detach();
    spdlog::warn("[devices] the PulseAudio server did not answer within {} s", kPulseProbeTimeout.count());
    return {};
  }
  lock.unlock();
  worker.join();
  if (!probe->listing.error.empty()) spdlog::warn("[devices] {}", probe->listing.error);
  return std::move(probe->listing.mics);
}

struct AlsaHintsDeleter {
  void operator()(void** hints) const noexcept { snd_device_name_free_hint(hints); }
};

std::string alsa_hint(void* hint, const char* id) {
  char* value = snd_device_name_get_hint(hint, id);
  if (!value) return {};
  std::string text = value;
  std::free(value);
  return text;
}

// ALSA's own list, not FFmpeg's: FFmpeg keeps only the last line of a description ("Direct
// hardware device without any conversions"), where the card's name is on the first.
std::vector<Microphone> alsa_capture_devices() {
  void** raw = nullptr;
  if (const int err = snd_device_name_hint(-1, "pcm", &raw); err < 0) {
    spdlog::warn("[devices] cannot list ALSA devices: {}", snd_strerror(err));
    return {};
  }
  const std::unique_ptr<void*, AlsaHintsDeleter> hints(raw);
  std::vector<Microphone> mics;
  for (void** hint = raw; *hint; ++hint) {
    auto mic = alsa_microphone_from_hint(alsa_hint(*hint, "NAME"), alsa_hint(*hint, "DESC"), alsa_hint(*hint, "IOID"));
    if (mic) mics.push_back(std::move(*mic));
  }
  // One entry per capture device: plughw (converts to the rate and channels we ask for) over hw.
  auto device_of = [](const Microphone& m) { return m.spec.substr(m.spec.find("hw:") + 3); };
  std::erase_if(mics, [&](const Microphone& m) {
    if (!m.spec.starts_with("alsa:hw:")) return false;
    return std::any_of(mics.begin(), mics.end(), [&](const Microphone& other) {
      return other.spec.starts_with("alsa:plughw:") && device_of(other) == device_of(m);
    });
  });
  return mics;
}

}  // namespace

std::optional<Microphone> alsa_microphone_from_hint(const std::string& name, const std::string& description,
                                                    const std::string& ioid) {
  if (ioid == "Output") return std::nullopt;
  if (!name.starts_with("hw:") && !name.starts_with("plughw:")) return std::nullopt;
  Microphone mic;
  mic.spec = "alsa:" + name;
  // DESC is "Card, Device\nWhat the plugin does": the first line names the microphone.
  mic.name = description.substr(0, description.find('\n'));
  if (mic.name.empty()) mic.name = name;
  return mic;
}

std::vector<Camera> list_cameras_in(const fs::path& dev_dir) {
  std::vector<std::pair<int, fs::path>> nodes;
  std::error_code ec;
  for (fs::directory_iterator it(dev_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (auto number = video_node_number(it->path().filename().string())) nodes.emplace_back(*number, it->path());
  }
  if (ec) spdlog::warn("[devices] cannot read {}: {}", dev_dir.string(), ec.message());
  std::sort(nodes.begin(), nodes.end());
  std::vector<Camera> cameras;
  for (const auto& [number, node] : nodes) {
    if (auto camera = probe_camera(node)) cameras.push_back(std::move(*camera));
  }
  spdlog::info("[devices] {} camera(s) among {} video node(s) in {}", cameras.size(), nodes.size(), dev_dir.string());
  return cameras;
}

std::vector<Camera> list_cameras() { return list_cameras_in("/dev"); }

std::vector<Microphone> list_microphones() {
  av::initialise();  // registers the input devices; routes libasound's complaints to our log
  std::vector<Microphone> mics = pulse_sources();
  const bool pulse = !mics.empty();
  if (!pulse) mics = alsa_capture_devices();
  // Real microphones first, the default one first among them; monitors last.
  std::stable_sort(mics.begin(), mics.end(), [](const Microphone& a, const Microphone& b) {
    return std::pair(a.is_monitor, !a.is_default) < std::pair(b.is_monitor, !b.is_default);
  });
  spdlog::info("[devices] {} microphone(s) from {}", mics.size(), pulse ? "PulseAudio" : "ALSA");
  return mics;
}

namespace {

// libasound prints its own errors straight to stderr ("ALSA lib confmisc.c: ..."): they are
// technical detail, so they go to our log; the host gets one plain line from us.
void alsa_error_handler(const char* file, int line, const char* function, int err, const char* fmt, ...) {
  char text[512];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(text, sizeof text, fmt, args);
  va_end(args);
  spdlog::debug("[alsa] {}:{} {}: {}{}", file, line, function, text, err ? fmt::format(" ({})", snd_strerror(err)) : "");
}

}  // namespace

void route_device_library_messages() { snd_lib_error_set_handler(alsa_error_handler); }

}  // namespace cunbo
