// Runs a prepared session from the command line: resolves the shared flags, starts it, keeps
// the progress line and the session's housekeeping going, and stops it on --duration, Ctrl-C /
// SIGTERM, or (streaming) when every destination refused its key. SIGUSR1: reconnect now.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>

#include "client/cli/commands.h"
#include "client/session/session.h"
#include "client/studio/session_setup.h"

namespace cunbo {

// The same for a command: an exit code after printing what is wrong.
[[nodiscard]] std::variant<std::optional<double>, int> apply_capture_flags(const CaptureFlags& flags,
                                                                           const Config& config,
                                                                           SessionOptions& options);
// --showcase names a product the feed's list (when already known) does not have: says so and
// returns the usage exit code; else kOk.
[[nodiscard]] int check_showcase_product(const SessionOptions& options);
// The same for a command: an exit code after printing what is wrong.
[[nodiscard]] std::variant<std::filesystem::path, int> recording_path(const std::optional<std::string>& given,
                                                                      const Config& config, const std::string& prefix);
struct DriveResult {
  SessionStats stats;
  bool every_destination_rejected = false;
};
[[nodiscard]] DriveResult drive_session(Session& session, std::optional<double> duration);
// Creates the session and drives it; if it cannot be created, prints why and returns the
// exit code.
[[nodiscard]] std::variant<DriveResult, int> run_session(const SessionOptions& options, std::optional<double> duration);

}  // namespace cunbo
