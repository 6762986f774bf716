#include "client/config/card_placement.h"

namespace cunbo {

std::optional<CardPlacement> parse_card_placement(std::string_view text) {
  if (text == "bottom-left") return CardPlacement::bottom_left;
  if (text == "bottom-right") return CardPlacement::bottom_right;
  if (text == "top-right") return CardPlacement::top_right;
  return std::nullopt;
}

}  // namespace cunbo
