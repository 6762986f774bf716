#include "client/cli/typed_values.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include <CLI/CLI.hpp>

#include "client/base/strings.h"

namespace cunbo {

std::optional<double> parse_decimal(std::string_view text) {
  // strtod would also take blanks, hex, "inf" and "nan": only digits, one point, a sign.
  if (text.empty() || text.size() > 64) return std::nullopt;
  bool digit = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') digit = true;
    else if (!(c == '.' || ((c == '-' || c == '+') && i == 0))) return std::nullopt;
  }
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (!digit || end != copy.c_str() + copy.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<double> parse_positive(std::string_view text, double max) {
  const std::optional<double> value = parse_decimal(text);
  if (!value || !(*value > 0) || *value > max) return std::nullopt;
  return value;
}

std::optional<uint64_t> parse_whole(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  for (const char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  const std::string copy(text);
  errno = 0;
  const unsigned long long value = std::strtoull(copy.c_str(), nullptr, 10);
  if (errno == ERANGE) return std::nullopt;
  return static_cast<uint64_t>(value);
}

void add_simulator_options(CLI::App* cmd, SimulatorFlags& flags) {
  cmd->add_option("--catalog", flags.catalog, tr("cli.opt_catalog"))->type_name(tr("cli.type_file"));
  cmd->add_option("--orders-per-minute", flags.orders_per_minute, tr("cli.opt_orders_rate"))->type_name(tr("cli.type_count"));
  cmd->add_option("--comments-per-minute", flags.comments_per_minute, tr("cli.opt_comments_rate"))
      ->type_name(tr("cli.type_count"));
  cmd->add_option("--seed", flags.seed, tr("cli.opt_seed"))->type_name(tr("cli.type_count"));
}

std::optional<std::string> apply_simulator_flags(PracticeFeedSettings& settings, const SimulatorFlags& flags) {
  PracticeFeedSettings out = settings;
  if (flags.catalog) out.catalog = *flags.catalog;
  if (flags.seed) {
    const std::optional<uint64_t> value = parse_whole(*flags.seed);
    if (!value) return tr("err.bad_seed", *flags.seed);
    out.seed = *value;
  }
  if (flags.orders_per_minute) {
    const std::optional<double> rate = parse_decimal(*flags.orders_per_minute);
    if (!rate || set_practice_rates(out, rate, std::nullopt)) return tr("err.bad_rate", *flags.orders_per_minute);
  }
  if (flags.comments_per_minute) {
    const std::optional<double> rate = parse_decimal(*flags.comments_per_minute);
    if (!rate || set_practice_rates(out, std::nullopt, rate)) return tr("err.bad_rate", *flags.comments_per_minute);
  }
  settings = out;
  return std::nullopt;
}

}  // namespace cunbo
