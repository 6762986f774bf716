// A real PulseAudio daemon for one test: a null sink named cunbo_test whose monitor is a
// recordable source, reachable only through a native-protocol socket in a private temp dir
// (it never touches the machine's own sound server). It runs as whoever runs the tests,
// root included: with -n (no default.pa) and private HOME / runtime / state dirs, the
// per-user daemon starts fine as root; it only warns.
//
// A client reaches it with PULSE_SERVER=unix:<socket> (client_env()); the recording source
// is monitor_source(). play_tone() feeds a continuous sine into the sink through pacat.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace cunbo::test {

class PulseServer {
 public:
  static constexpr const char* kSinkName = "cunbo_test";
  static constexpr int kSampleRate = 48000;

  // Starts the daemon and waits until it accepts clients and has its sink; throws (with the
  // daemon's own words) when pulseaudio is missing or does not come up.
  PulseServer();
  // Stops the tone, then the daemon.
  ~PulseServer();
  PulseServer(const PulseServer&) = delete;
  PulseServer& operator=(const PulseServer&) = delete;

  [[nodiscard]] std::string server() const { return "unix:" + socket_.string(); }
  [[nodiscard]] std::string monitor_source() const { return std::string(kSinkName) + ".monitor"; }
  // What a client process needs in its environment to talk to this daemon.
  [[nodiscard]] EnvChanges client_env() const;

  // Starts playing a sine of `frequency_hz` at peak `amplitude` (of full scale) into the sink,
  // on both channels, until stop_tone(); returns once the sink is actually playing it.
  void play_tone(double frequency_hz, double amplitude);
  void stop_tone();

  // Runs pactl against this daemon.
  [[nodiscard]] RunResult pactl(const std::vector<std::string>& args) const;

 private:
  TempDir dir_{"cunbo-pulse"};
  std::filesystem::path socket_;
  std::unique_ptr<Subprocess> daemon_;
  std::unique_ptr<Subprocess> player_;
  std::thread feeder_;
  std::atomic<bool> stop_feeding_{false};
  std::string player_err_;  // what pacat said, kept for messages after it ended
};

}  // namespace cunbo::test
