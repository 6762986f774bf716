// Strict parsers for the platform API's responses (../shared/platform-api.md). Nothing a
// server sends can crash them: a body that is not JSON, or not the expected shape at the top,
// gives nullopt (treated like a 5xx); an item with wrong types, missing fields, absurd
// numbers or invalid UTF-8 is skipped with a reason appended to `skipped`, the rest is used.
// Unknown fields are ignored. Pure functions; fuzzed (tests/fuzz).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/platform/platform_feed.h"

namespace cunbo {

struct ProductsPage {
  std::vector<Product> products;
  std::string updated_at;
};

struct OrdersPage {
  std::vector<Order> orders;
  std::string next;  // the cursor for the next call (unchanged when no orders)
};

struct CommentsPage {
  std::vector<Comment> comments;
  std::string next;
};

struct ApiErrorBody {
  std::string code;     // e.g. token_invalid, token_expired, forbidden
  std::string message;  // the server's human text
};

[[nodiscard]] std::optional<ProductsPage> parse_products(std::string_view body, std::vector<std::string>& skipped);
[[nodiscard]] std::optional<OrdersPage> parse_orders(std::string_view body, std::vector<std::string>& skipped);
[[nodiscard]] std::optional<CommentsPage> parse_comments(std::string_view body, std::vector<std::string>& skipped);
[[nodiscard]] std::optional<LiveSession> parse_live_session(std::string_view body);
[[nodiscard]] std::optional<ApiErrorBody> parse_error(std::string_view body);

}  // namespace cunbo
