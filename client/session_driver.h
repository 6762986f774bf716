// Runs a prepared session from the command line: resolves the shared flags, starts it, keeps
// the progress line and the session's housekeeping going, and stops it on --duration, Ctrl-C /
// SIGTERM, or (streaming) when every destination refused its key. SIGUSR1: reconnect now.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>

#include "client/commands.h"
#include "client/session.h"

namespace cunbo {

// Fills the sources, quality and showcase settings of `options` from flags and config; returns
// the duration (nullopt: until stopped), or what is wrong (the window shows it).
[[nodiscard]] std::variant<std::optional<double>, SessionError> resolve_capture_flags(const CaptureFlags& flags,
                                                                                     const Config& config,
                                                                                     SessionOptions& options);
// The same for a command: an exit code after printing what is wrong.
[[nodiscard]] std::variant<std::optional<double>, int> apply_capture_flags(const CaptureFlags& flags,
                                                                           const Config& config,
                                                                           SessionOptions& options);
// --showcase names a product the feed's list (when already known) does not have: says so and
// returns the usage exit code; else kOk.
[[nodiscard]] int check_showcase_product(const SessionOptions& options);
// `--out`/`--record` as given, else the configured folder, else Videos/Cunbo, named
// <prefix>-YYYYmmdd-HHMMSS.mkv (the folder is created). Or what is wrong.
[[nodiscard]] std::variant<std::filesystem::path, SessionError> choose_recording_path(
    const std::optional<std::string>& given, const Config& config, const std::string& prefix);
// The same for a command: an exit code after printing what is wrong.
[[nodiscard]] std::variant<std::filesystem::path, int> recording_path(const std::optional<std::string>& given,
                                                                      const Config& config, const std::string& prefix);
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

struct DriveResult {
  SessionStats stats;
  bool every_destination_rejected = false;
};
[[nodiscard]] DriveResult drive_session(Session& session, std::optional<double> duration);
// Creates the session and drives it; if it cannot be created, prints why and returns the
// exit code.
[[nodiscard]] std::variant<DriveResult, int> run_session(const SessionOptions& options, std::optional<double> duration);

}  // namespace cunbo
