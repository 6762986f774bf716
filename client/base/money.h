// Money as the host and the viewers read it. Amounts are integer fen (分) everywhere
// (../shared/platform-api.md); this is the one place that turns them into yuan.
#pragma once

#include <cstdint>
#include <string>

namespace cunbo {

// 3990 → "39.90", -5 → "-0.05", whatever the magnitude (no overflow at INT64_MIN).
[[nodiscard]] std::string format_yuan(int64_t cents);
// With the currency: "¥39.90" for CNY, else "USD 39.90".
[[nodiscard]] std::string format_money(int64_t cents, const std::string& currency = "CNY");

}  // namespace cunbo
