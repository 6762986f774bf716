// Reading `cunbo stream`'s event log: JSON lines beside the recording
// (`<recording>.events.jsonl`), one object per line with at least {"t": seconds, "event": …}.
// The program may be writing it while a test reads: an unfinished last line is skipped.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cunbo::test {

struct EventLog {
  std::vector<nlohmann::json> events;  // in file order
  std::string text;                    // the file as read, for failure messages
  std::vector<std::string> bad_lines;  // complete lines that are not JSON objects

  // Events named `name`; with dest > 0 only those about that destination (1-based).
  [[nodiscard]] std::vector<nlohmann::json> of(std::string_view name, int dest = 0) const;
  // The "state" values a destination went through, in order (repeats kept).
  [[nodiscard]] std::vector<std::string> states(int dest) const;
  // The first event named `name` (about `dest`, if > 0) matching `state` when given.
  [[nodiscard]] std::optional<nlohmann::json> first(std::string_view name, int dest = 0,
                                                     std::string_view state = {}) const;
  [[nodiscard]] double last_t() const;  // the latest "t", or -1
};

// The event log that goes with a recording.
[[nodiscard]] std::filesystem::path event_log_path(const std::filesystem::path& recording);

// Reads what is there now (an empty log if the file does not exist yet).
[[nodiscard]] EventLog read_event_log(const std::filesystem::path& path);

// A number field, or `fallback` when the event lacks it.
[[nodiscard]] double event_number(const nlohmann::json& event, const char* field, double fallback = -1);
[[nodiscard]] std::string event_text(const nlohmann::json& event, const char* field);

}  // namespace cunbo::test
