#include "client/base/money.h"

#include <fmt/format.h>

namespace cunbo {

std::string format_yuan(int64_t cents) {
  const bool negative = cents < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  return fmt::format("{}{}.{:02}", negative ? "-" : "", magnitude / 100, magnitude % 100);
}

std::string format_money(int64_t cents, const std::string& currency) {
  return currency == "CNY" ? "\u00A5" + format_yuan(cents) : currency + " " + format_yuan(cents);
}

}  // namespace cunbo
