// Where the product card sits on the picture: a setting (config `card_position`, the
// `--card-position` flag) that the showcase overlay follows.
#pragma once

#include <optional>
#include <string_view>

namespace cunbo {

enum class CardPlacement { bottom_left, bottom_right, top_right };

// "bottom-left" | "bottom-right" | "top-right"
[[nodiscard]] std::optional<CardPlacement> parse_card_placement(std::string_view text);

}  // namespace cunbo
