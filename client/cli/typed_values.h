// Values the host typed after an option, read by us rather than by CLI11 so that a wrong one is
// named in the host's words ("--rotate 后面要写大于 0 的秒数，不能是「0」"), never as a library dump.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "client/platform/feed_factory.h"

namespace CLI {
class App;
}

namespace cunbo {

// A plain decimal number, the whole text ("12", "0.5", "-3"); not "12abc", "inf", "nan", "0x10".
[[nodiscard]] std::optional<double> parse_decimal(std::string_view text);
// A decimal number above 0 and at most `max` (seconds, mostly).
[[nodiscard]] std::optional<double> parse_positive(std::string_view text, double max);
// Digits only ("0", "42"), within uint64_t.
[[nodiscard]] std::optional<uint64_t> parse_whole(std::string_view text);

// The simulated shop of `practice` and `feed --practice`: its catalog, how busy it is, and a
// seed to replay a session, as typed.
struct SimulatorFlags {
  std::optional<std::string> catalog;
  std::optional<std::string> orders_per_minute;
  std::optional<std::string> comments_per_minute;
  std::optional<std::string> seed;
};
// --catalog, --orders-per-minute, --comments-per-minute and --seed on `cmd`.
void add_simulator_options(CLI::App* cmd, SimulatorFlags& flags);
// Those given into `settings`; or the host's message about the first one that is wrong
// (nothing is set then).
[[nodiscard]] std::optional<std::string> apply_simulator_flags(PracticeFeedSettings& settings,
                                                               const SimulatorFlags& flags);

}  // namespace cunbo
