// The exit status of `cunbo`, documented in README.md.
#pragma once

namespace cunbo::exit_code {

inline constexpr int kOk = 0;
inline constexpr int kFailure = 1;        // something broke while running (see the log)
inline constexpr int kUsage = 2;          // a flag, spec or config value is not valid
inline constexpr int kSourceFailed = 3;   // a camera, microphone or file cannot be opened
inline constexpr int kOutputFailed = 4;   // the recording cannot be written
inline constexpr int kKeyRejected = 5;    // a destination refused its stream key (others streamed on)
inline constexpr int kLoginRequired = 6;  // the platform refused the token (401/403): log in again
inline constexpr int kNeverLive = 7;      // `stream`: no destination ever took the stream (the recording is kept)
inline constexpr int kPlatformUnreachable = 8;  // `feed --duration`: the platform never answered

}  // namespace cunbo::exit_code
