// Runs one session from the command line through the studio (client/studio/studio.h), the same
// engine the window drives: resolves the shared flags, goes live, keeps the progress line going
// from the studio's snapshots, and ends the session on Ctrl-C / SIGTERM or when every
// destination refused its key (the --duration is the session's own). SIGUSR1: reconnect now.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <variant>

#include "client/cli/commands.h"
#include "client/platform/platform_feed.h"
#include "client/session/session.h"
#include "client/studio/session_setup.h"
#include "client/studio/studio.h"

namespace cunbo {

// The options `practice` and `stream` share: sources, duration, quality, the showcase card.
void add_capture_options(CLI::App* cmd, CaptureFlags& flags);
// The flags' sources, quality, showcase settings and duration into `options`; or an exit code
// after printing what is wrong.
[[nodiscard]] int apply_capture_flags(const CaptureFlags& flags, const Config& config, SessionOptions& options);
// --showcase names a product the feed's list (when already known) does not have: says so and
// returns the usage exit code; else kOk.
[[nodiscard]] int check_showcase_product(const SessionOptions& options, const PlatformFeed* feed);
// The recording's path; or an exit code after printing what is wrong.
[[nodiscard]] std::variant<std::filesystem::path, int> recording_path(const std::optional<std::string>& given,
                                                                      const Config& config, const std::string& prefix);

struct DriveResult {
  SessionSummary summary;  // also saved beside the recording
  SessionStats stats;      // the final figures
  bool every_destination_rejected = false;
};
// A studio for one session of the command line: `feed` (may be null) runs with the session.
[[nodiscard]] StudioOptions headless_studio(const Config& config, std::shared_ptr<PlatformFeed> feed, bool platform,
                                            const std::string& version);
// Goes live with `session` and drives it to its end; if it cannot go live, prints why and
// returns the exit code.
[[nodiscard]] std::variant<DriveResult, int> drive_session(Studio& studio, SessionOptions session);
// The one true thing about the recording at the end: saved, or up to when it was written.
void print_recording(const SessionSummary& summary);

}  // namespace cunbo
