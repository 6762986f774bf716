// The headless sub-commands. Each returns the process exit status (client/exit_codes.h) and
// prints host-facing text only through the string table.
#pragma once

#include <optional>
#include <string>

#include "client/config.h"

namespace cunbo {

struct PracticeFlags {
  std::optional<std::string> video;
  std::optional<std::string> audio;
  std::optional<std::string> duration;  // validated here, so the message is ours
  std::optional<std::string> out;
  std::optional<std::string> quality;
};

[[nodiscard]] int run_practice(const PracticeFlags& flags, const Config& config);
[[nodiscard]] int run_config_set(const std::string& key, const std::string& value);
[[nodiscard]] int run_config_show();

// Prints one error line ("cunbo: error: ...") on stderr.
void print_error(const std::string& message);

}  // namespace cunbo
