// The cameras and microphones on this machine, as the studio window's pickers show them and
// `cunbo devices` prints them. Every spec is one the capture sources accept as --video / --audio.
//
// Linux (device_list_linux.cpp) — cameras: V4L2 capture nodes (/dev/video*), with the formats, sizes and rates the driver
// offers; metadata and output nodes are skipped. Microphones: PulseAudio sources when a
// server is running (real microphones first, the default one first among them, monitors of
// what the machine plays last); ALSA hardware capture devices only when no server runs
// (otherwise the server owns them and lists them itself).
// Windows (device_list_windows.cpp) — DirectShow's cameras and microphones through libavdevice,
// by their friendly names ("dshow:video=HD Webcam C270", "dshow:audio=麦克风 (Realtek Audio)");
// formats are not listed (DirectShow offers them once the camera is opened).
//
// Listing never starts a sound server and never waits long on one: no reachable socket, no
// PulseAudio probe; an unresponsive server is given up on after a few seconds.
// Errors are logged ("[devices]") and leave the list short; nothing here throws.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cunbo {

struct CameraFormat {
  std::string pixel_format;  // "MJPEG", "YUYV", "H264", else the V4L2 fourcc
  int width = 0;
  int height = 0;
  std::vector<double> fps;  // highest first
};

struct Camera {
  std::string name;  // what the driver calls it ("HD Webcam C270")
  std::string spec;  // "v4l2:/dev/video0", usable as --video
  std::vector<CameraFormat> formats;
};

struct Microphone {
  std::string name;  // what the sound system calls it ("Built-in Audio Analog Stereo")
  std::string spec;  // "pulse:<source name>" or "alsa:plughw:CARD=…,DEV=…", usable as --audio
  bool is_default = false;  // the sound server's default source
  bool is_monitor = false;  // what the machine plays (a PulseAudio ".monitor"), not a microphone
};

// The cameras (under /dev, ordered by node number; DirectShow's, in its order).
[[nodiscard]] std::vector<Camera> list_cameras();
[[nodiscard]] std::vector<Microphone> list_microphones();

// Sends what a device library prints on its own (libasound's "ALSA lib …" lines) to our log
// instead of the host's terminal. Called once by av::initialise().
void route_device_library_messages();

#ifndef _WIN32
// The cameras among the video* nodes in `dev_dir` (tests point it at a directory of their own).
[[nodiscard]] std::vector<Camera> list_cameras_in(const std::filesystem::path& dev_dir);
// One ALSA name hint (NAME, DESC, IOID) as a microphone, or nothing when it is not a
// hardware capture device (null, default, pulse, dmix and other plugins; playback only).
// Exposed for tests: a test machine has no sound card.
[[nodiscard]] std::optional<Microphone> alsa_microphone_from_hint(const std::string& name, const std::string& description,
                                                                  const std::string& ioid);
#endif

}  // namespace cunbo
