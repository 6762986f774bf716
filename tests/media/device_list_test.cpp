// What the studio window's pickers list: real PulseAudio sources (from a daemon of our own),
// nothing when there is no sound server or it does not answer, and no camera
// made up from /dev nodes that are not cameras.
#include "media/device_list.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <future>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/pulse_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

// Sets an environment variable of this process for one test and puts the old value back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::optional<std::string>& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) ::setenv(name, value->c_str(), 1);
    else ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_.c_str(), old_->c_str(), 1);
    else ::unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

const Microphone* find_spec(const std::vector<Microphone>& mics, const std::string& spec) {
  auto it = std::find_if(mics.begin(), mics.end(), [&](const Microphone& m) { return m.spec == spec; });
  return it == mics.end() ? nullptr : &*it;
}

bool any_pulse(const std::vector<Microphone>& mics) {
  return std::any_of(mics.begin(), mics.end(), [](const Microphone& m) { return m.spec.starts_with("pulse:"); });
}

std::string specs(const std::vector<Microphone>& mics) {
  std::string text;
  for (const Microphone& m : mics) text += m.spec + (m.is_default ? " (default)" : "") + "\n";
  return text;
}

TEST(DeviceList, ListsTheMonitorOfARealPulseAudioSinkAsAMarkedSource) {
  PulseServer pulse;
  ScopedEnv server("PULSE_SERVER", pulse.server());
  const std::vector<Microphone> mics = list_microphones();
  const Microphone* monitor = find_spec(mics, "pulse:" + pulse.monitor_source());
  ASSERT_NE(monitor, nullptr) << specs(mics);
  EXPECT_TRUE(monitor->is_monitor);
  EXPECT_FALSE(monitor->name.empty());
}

TEST(DeviceList, PutsTheDefaultMicrophoneFirstAndMonitorsLast) {
  PulseServer pulse;
  const RunResult loaded =
      pulse.pactl({"load-module", "module-null-source", "source_name=cunbo_mic", "rate=48000", "channels=2"});
  ASSERT_TRUE(loaded.status.success()) << loaded.describe();
  const RunResult loaded2 = pulse.pactl({"load-module", "module-null-source", "source_name=cunbo_mic2"});
  ASSERT_TRUE(loaded2.status.success()) << loaded2.describe();
  const RunResult set = pulse.pactl({"set-default-source", "cunbo_mic2"});
  ASSERT_TRUE(set.status.success()) << set.describe();

  ScopedEnv server("PULSE_SERVER", pulse.server());
  const std::vector<Microphone> mics = list_microphones();
  ASSERT_EQ(mics.size(), 3u) << specs(mics);
  EXPECT_EQ(mics[0].spec, "pulse:cunbo_mic2");
  EXPECT_TRUE(mics[0].is_default);
  EXPECT_FALSE(mics[0].is_monitor);
  EXPECT_EQ(mics[1].spec, "pulse:cunbo_mic");
  EXPECT_FALSE(mics[1].is_default);
  EXPECT_FALSE(mics[1].is_monitor);
  EXPECT_EQ(mics[2].spec, "pulse:" + pulse.monitor_source());
  EXPECT_TRUE(mics[2].is_monitor);
}

TEST(DeviceList, ListsNoPulseAudioSourceWhenNoServerRuns) {
  TempDir dir("cunbo-no-pulse");
  ScopedEnv server("PULSE_SERVER", "unix:" + (dir / "nothing-here").string());
  // How long the listing takes is a figure (tests/bench/README.md), not asserted here.
  const std::vector<Microphone> mics = list_microphones();
  EXPECT_FALSE(any_pulse(mics)) << specs(mics);
}

TEST(DeviceList, StartsNoSoundServerWhenNoneRuns) {
  // Where libpulse would look by default, and then start a daemon of its own (autospawn).
  TempDir dir("cunbo-no-pulse");
  ScopedEnv server("PULSE_SERVER", std::nullopt);
  ScopedEnv runtime("PULSE_RUNTIME_PATH", (dir / "pulse").string());
  ScopedEnv xdg("XDG_RUNTIME_DIR", dir.path().string());
  ASSERT_NE(::access("/var/run/pulse/native", F_OK), 0) << "a system-wide PulseAudio runs here: this test needs none";
  const std::vector<Microphone> mics = list_microphones();
  EXPECT_FALSE(any_pulse(mics)) << specs(mics);
  EXPECT_FALSE(std::filesystem::exists(dir / "pulse" / "native")) << "a PulseAudio daemon was started";
}

TEST(DeviceList, GivesUpOnASoundServerThatNeverAnswers) {
  // A socket that takes connections into its backlog and never says a word.
  TempDir dir("cunbo-mute-pulse");
  const std::string path = (dir / "native").string();
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof address.sun_path);
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0) << std::strerror(errno);
  ASSERT_EQ(::listen(fd, 16), 0);

  ScopedEnv server("PULSE_SERVER", "unix:" + path);
  // libpulse alone would wait for an answer for ever; the listing gives up on its own (after
  // 3 s), long before 30 s. On failure the socket is closed so the listing can end.
  auto listed = std::async(std::launch::async, [] { return list_microphones(); });
  const bool gave_up = listed.wait_for(30s) == std::future_status::ready;
  ::close(fd);
  ASSERT_TRUE(gave_up) << "still waiting for the mute sound server after 30 s";
  const std::vector<Microphone> mics = listed.get();
  EXPECT_FALSE(any_pulse(mics)) << specs(mics);
}

TEST(DeviceList, MakesNoCameraOutOfVideoNodesThatAreNotCameras) {
  TempDir dir("cunbo-fake-dev");
  write_text_file(dir / "video0", "not a camera");
  std::filesystem::create_symlink("/dev/null", dir / "video1");  // a character device, not V4L2
  ASSERT_EQ(::mkfifo((dir / "video2").c_str(), 0600), 0);        // opening one could block
  std::filesystem::create_symlink(dir / "gone", dir / "video3");
  write_text_file(dir / "videoX", "");
  write_text_file(dir / "video-1", "");
  // Opening the FIFO for reading would block until a writer comes: the listing must not,
  // so it is done within 30 s or the test opens the writing end to let it go and fails.
  auto listed = std::async(std::launch::async, [&dir] { return list_cameras_in(dir.path()); });
  if (listed.wait_for(30s) != std::future_status::ready) {
    const int writer = ::open((dir / "video2").c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    listed.wait();
    if (writer >= 0) ::close(writer);
    FAIL() << "the camera listing blocked on a video node that is not a camera";
  }
  const std::vector<Camera> cameras = listed.get();
  EXPECT_TRUE(cameras.empty());
  EXPECT_TRUE(list_cameras_in(dir / "no-such-dir").empty());
}

TEST(DeviceList, KeepsOnlyHardwareCaptureDevicesFromAlsaHints) {
  const auto mic = alsa_microphone_from_hint(
      "plughw:CARD=PCH,DEV=0", "HDA Intel PCH, ALC892 Analog\nHardware device with all software conversions", "");
  ASSERT_TRUE(mic);
  EXPECT_EQ(mic->spec, "alsa:plughw:CARD=PCH,DEV=0");
  EXPECT_EQ(mic->name, "HDA Intel PCH, ALC892 Analog");
  EXPECT_FALSE(mic->is_monitor);

  const auto input_only = alsa_microphone_from_hint("hw:CARD=C270,DEV=0", "USB Device 0x46d:0x825, USB Audio", "Input");
  ASSERT_TRUE(input_only);
  EXPECT_EQ(input_only->name, "USB Device 0x46d:0x825, USB Audio");

  EXPECT_FALSE(alsa_microphone_from_hint("hw:CARD=PCH,DEV=3", "HDA Intel PCH, HDMI 0", "Output"));
  EXPECT_FALSE(alsa_microphone_from_hint("null", "Discard all samples (playback) or generate zero samples (capture)", ""));
  EXPECT_FALSE(alsa_microphone_from_hint("default", "Default ALSA Output (currently PulseAudio Sound Server)", ""));
  EXPECT_FALSE(alsa_microphone_from_hint("pulse", "PulseAudio Sound Server", ""));
  EXPECT_FALSE(alsa_microphone_from_hint("dmix:CARD=PCH,DEV=0", "HDA Intel PCH\nDirect sample mixing device", ""));
}

}  // namespace
}  // namespace cunbo::test
