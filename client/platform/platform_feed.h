// What the studio knows of the platform: the products the host may sell, the orders and
// comments coming in, and the live session (where to push). One interface, two
// implementations: HttpPlatform (the platform API over libcurl, ../shared/platform-api.md) and
// PracticeSimulator (offline, from the local catalog). The session, the window and the overlay
// consume only this.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cunbo {

// Money is integer fen with an ISO-4217 currency (normally CNY).
struct Product {
  std::string id;
  std::string title;
  std::string subtitle;
  int64_t price_cents = 0;
  std::optional<int64_t> original_price_cents;
  std::string currency = "CNY";
  std::optional<int64_t> stock;  // nullopt: unlimited
  std::string image_url;
  std::vector<std::string> tags;
};

struct Order {
  std::string id;
  std::string product_id;
  std::string buyer;  // masked by the platform ("张**"); never unmasked, never logged in full
  int quantity = 1;
  int64_t amount_cents = 0;
  std::string currency = "CNY";
  std::string created_at;  // RFC 3339
};

struct Comment {
  std::string id;
  std::string user;  // masked like buyers
  std::string text;
  std::string created_at;
};

struct LiveSession {
  std::string session_id;
  std::string push_url;
  std::string stream_key;  // a secret
  std::string expires_at;
};

enum class FeedState {
  connecting,        // first contact not made yet
  online,            // polling works
  offline_retrying,  // the platform is unreachable or failing; retry_in_ms says when
  login_required,    // 401/403: the token is invalid, expired or lacks the scope; no more polling
  stopped,
};

struct FeedStatus {
  FeedState state = FeedState::connecting;
  int64_t retry_in_ms = 0;       // with offline_retrying
  bool products_cached = false;  // the product list shown is the one kept on disk
  std::string detail;            // technical detail for the log (never a token)
};

// Events a feed delivers, in order, on its own threads: a listener must not block.
struct ProductsUpdated {
  std::vector<Product> products;
  bool cached = false;
};
struct NewOrder {
  Order order;
};
struct NewComment {
  Comment comment;
};
struct FeedStateChanged {
  FeedStatus status;
};
using FeedEvent = std::variant<ProductsUpdated, NewOrder, NewComment, FeedStateChanged>;

struct FeedError {
  enum class Code { unreachable, login_required, rejected, bad_response };
  Code code = Code::unreachable;
  std::string detail;
};

class PlatformFeed {
 public:
  using Listener = std::function<void(const FeedEvent&)>;
  virtual ~PlatformFeed() = default;

  // Starts fetching products and polling orders and comments; events go to `listener`.
  virtual void start(Listener listener) = 0;
  virtual void request_stop() = 0;  // non-blocking; wakes every wait
  virtual void join() = 0;

  [[nodiscard]] virtual std::vector<Product> products() const = 0;  // a snapshot
  [[nodiscard]] virtual FeedStatus status() const = 0;

  // Blocking (an HTTP round trip): call off the UI and media threads.
  [[nodiscard]] virtual std::variant<LiveSession, FeedError> start_session(
      const std::string& title, const std::vector<std::string>& product_ids) = 0;
  // Fire-and-forget with retry: tells the platform which product is presented now.
  virtual void showcase(const std::string& product_id) = 0;
  // Ends the live session (404: already ended, fine). Blocking, bounded by a timeout.
  virtual void end_session() = 0;
};

}  // namespace cunbo
