#include "tests/support/pulse_server.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstring>
#include <numbers>
#include <stdexcept>

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

bool unix_socket_accepts(const std::filesystem::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string text = path.string();
  if (text.size() >= sizeof address.sun_path) return false;
  std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

PulseServer::PulseServer() {
  const std::filesystem::path pulseaudio = require_program("pulseaudio", "pulseaudio");
  require_program("pactl", "pulseaudio-utils");
  require_program("pacat", "pulseaudio-utils");

  socket_ = dir_ / "native";
  if (socket_.string().size() >= sizeof(sockaddr_un::sun_path)) {
    throw std::runtime_error("PulseServer: socket path too long for a unix socket: " + socket_.string() +
                             " (set TMPDIR to a shorter directory)");
  }
  for (const char* sub : {"home", "runtime", "state"}) std::filesystem::create_directories(dir_ / sub);

  SpawnOptions options;
  options.argv = {pulseaudio.string(),
                  "-n",  // no default.pa: only the modules below
                  "--daemonize=no", "--use-pid-file=no", "--exit-idle-time=-1", "--disallow-exit",
                  "--realtime=no",  // nice -11 (as root) but no real-time scheduling
                  "--disable-shm=yes", "--log-target=stderr", "--log-level=warning", "-L",
                  // norewinds: otherwise the null sink renders up to 2 s ahead, and the first
                  // client recording its monitor gets nothing for those 2 s (seen with
                  // PulseAudio 16); a microphone delivers at once.
                  std::string("module-null-sink sink_name=") + kSinkName + " rate=" + std::to_string(kSampleRate) +
                      " channels=2 norewinds=1",
                  "-L", "module-native-protocol-unix auth-anonymous=1 socket=" + socket_.string()};
  // Everything the daemon keeps stays in the temp dir; no X11 or D-Bus to find.
  options.env = {{"HOME", (dir_ / "home").string()},
                 {"XDG_CONFIG_HOME", (dir_ / "home" / ".config").string()},
                 {"XDG_RUNTIME_DIR", (dir_ / "runtime").string()},
                 {"PULSE_RUNTIME_PATH", (dir_ / "runtime").string()},
                 {"PULSE_STATE_PATH", (dir_ / "state").string()},
                 {"PULSE_SERVER", std::nullopt},
                 {"DISPLAY", std::nullopt},
                 {"DBUS_SESSION_BUS_ADDRESS", std::nullopt}};
  daemon_ = Subprocess::spawn(options);

  const bool up = wait_until(deadline_after(15s), [&] { return !daemon_->running() || unix_socket_accepts(socket_); });
  if (!up || !daemon_->running()) {
    daemon_->send_signal(SIGKILL);
    const RunResult ended = daemon_->finish(deadline_after(5s));
    throw std::runtime_error("PulseServer: the PulseAudio daemon did not come up within 15 s.\n" + ended.describe());
  }
  const RunResult sinks = pactl({"list", "short", "sinks"});
  if (!sinks.status.success() || sinks.out.find(kSinkName) == std::string::npos) {
    throw std::runtime_error("PulseServer: the daemon runs but has no sink named " + std::string(kSinkName) + ".\n" +
                             sinks.describe() + "daemon stderr:\n" + daemon_->err());
  }
}

PulseServer::~PulseServer() {
  stop_tone();
  if (daemon_ && daemon_->send_signal(SIGTERM)) {
    // A daemon that does not stop in time is killed by finish().
    (void)daemon_->finish(deadline_after(5s));
  }
}

EnvChanges PulseServer::client_env() const { return {{"PULSE_SERVER", server()}}; }

RunResult PulseServer::pactl(const std::vector<std::string>& args) const {
  SpawnOptions options;
  options.argv = {"pactl"};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.env = client_env();
  options.env["HOME"] = (dir_ / "home").string();
  return run(options, 10s);
}

void PulseServer::play_tone(double frequency_hz, double amplitude) {
  stop_tone();
  SpawnOptions options;
  options.argv = {"pacat", "--playback", "--raw", std::string("--device=") + kSinkName, "--format=float32le",
                  "--rate=" + std::to_string(kSampleRate), "--channels=2",
                  // Half a second queued in the server: a busy test machine starving pacat or
                  // this feeder for a moment must not put gaps into the "microphone".
                  "--latency-msec=500", "--client-name=cunbo-test-tone"};
  options.env = client_env();
  options.env["HOME"] = (dir_ / "home").string();
  options.pipe_stdin = true;
  player_ = Subprocess::spawn(options);

  stop_feeding_ = false;
  feeder_ = std::thread([this, frequency_hz, amplitude] {
    // 10 ms chunks of a continuous sine; send() blocks while pacat's buffer is full, so
    // PulseAudio's clock paces this loop.
    constexpr int kChunk = kSampleRate / 100;
    std::vector<float> chunk(static_cast<std::size_t>(kChunk) * 2);
    const double step = 2 * std::numbers::pi * frequency_hz / kSampleRate;
    int64_t n = 0;
    while (!stop_feeding_) {
      for (int i = 0; i < kChunk; ++i, ++n) {
        const auto value = static_cast<float>(amplitude * std::sin(step * static_cast<double>(n % kSampleRate)));
        chunk[static_cast<std::size_t>(i) * 2] = value;
        chunk[static_cast<std::size_t>(i) * 2 + 1] = value;
      }
      if (!player_->write_stdin(chunk.data(), chunk.size() * sizeof(float))) return;
    }
  });

  const bool playing = wait_until(
      deadline_after(10s),
      [&] {
        if (!player_->running()) return true;
        const RunResult sinks = pactl({"list", "short", "sinks"});
        return sinks.out.find("RUNNING") != std::string::npos;
      },
      50ms);
  if (!playing || !player_->running()) {
    const std::string why = player_->running() ? "the sink did not start playing within 10 s" : "pacat ended";
    stop_tone();
    throw std::runtime_error("PulseServer: cannot play a tone: " + why + "\npacat stderr:\n" + player_err_);
  }
}

void PulseServer::stop_tone() {
  if (!player_) return;
  stop_feeding_ = true;
  player_->send_signal(SIGTERM);  // its end of the socket closes, so a blocked send() fails
  if (feeder_.joinable()) feeder_.join();
  const RunResult ended = player_->finish(deadline_after(5s));
  player_err_ = ended.err;
  player_.reset();
}

}  // namespace cunbo::test
