// Strict parsers for the platform API's responses. See platform_json.h for the rules.
//
// nlohmann::json rejects a whole document for one bad string (invalid UTF-8, a lone
// surrogate escape, a raw control character), but the contract wants only that item skipped.
// So the body first goes through a small scanner that rewrites each such defect *inside a
// string* to a sentinel (U+FDD0, a noncharacter no platform has a reason to send) and measures
// the nesting depth; every string the parsers keep is then checked for the sentinel. Defects
// outside strings are left alone: the document is not JSON and parsing fails.
#include "client/platform/platform_json.h"

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace cunbo {
namespace {

using Json = nlohmann::json;

// U+FDD0 in UTF-8, and as a JSON escape.
constexpr std::string_view kSentinel = "\xEF\xB7\x90";
constexpr std::string_view kSentinelEscape = "\\uFDD0";

// Deeper nesting than this is not a platform response; refusing it early also keeps the
// recursive parts of the JSON library (destruction, copies) away from the stack limit.
constexpr int kMaxDepth = 64;

constexpr int64_t kMaxCents = 1'000'000'000'000;  // 10^12 fen = 10^10 yuan: absurd above
constexpr int64_t kMaxStock = 1'000'000'000'000;
constexpr int64_t kMaxQuantity = 100'000;
constexpr size_t kMaxIdBytes = 64;
constexpr size_t kMaxCursorBytes = 1024;
constexpr size_t kMaxTextBytes = 4096;  // titles, comment texts, URLs: long is fine, absurd is not
constexpr size_t kMaxTags = 64;
constexpr size_t kMaxTagBytes = 256;
constexpr size_t kMaxErrorCodeBytes = 64;
constexpr size_t kMaxErrorMessageBytes = 1024;

// Length of the well-formed UTF-8 sequence starting at s[i], or 0 when it is not one
// (overlong forms, UTF-16 surrogates and code points above U+10FFFF are not well-formed).
size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The value of a \uXXXX escape at s[i] (s[i] == '\\'), or -1 when it is not one.
int unicode_escape_at(std::string_view s, size_t i) {
  if (i + 6 > s.size() || s[i] != '\\' || s[i + 1] != 'u') return -1;
  int value = 0;
  for (size_t k = i + 2; k < i + 6; ++k) {
    if (!is_hex(s[k])) return -1;
    const char c = s[k];
    const int digit = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    value = value * 16 + digit;
  }
  return value;
}

struct Scanned {
  std::string rewritten;  // empty when the body needed no rewriting
  bool rewrote = false;
  int max_depth = 0;
};

// One pass over the body: tracks strings and nesting, rewrites string defects to the sentinel.
Scanned scan(std::string_view body) {
  Scanned out;
  std::string& w = out.rewritten;
  size_t copied = 0;  // body[0, copied) is already in `w` (only maintained once rewriting)
  const auto replace = [&](size_t from, size_t to, std::string_view with) {
    if (!out.rewrote) {
      out.rewrote = true;
      w.reserve(body.size() + 16);
    }
    w.append(body.substr(copied, from - copied));
    w.append(with);
    copied = to;
  };

  int depth = 0;
  bool in_string = false;
  size_t i = 0;
  while (i < body.size()) {
    const char c = body[i];
    if (!in_string) {
      if (c == '"') {
        in_string = true;
      } else if (c == '[' || c == '{') {
        ++depth;
        if (depth > out.max_depth) out.max_depth = depth;
      } else if (c == ']' || c == '}') {
        --depth;
      }
      ++i;
      continue;
    }
    const auto uc = static_cast<unsigned char>(c);
    if (c == '"') {
      in_string = false;
      ++i;
    } else if (c == '\\') {
      const int cp = unicode_escape_at(body, i);
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        const int low = unicode_escape_at(body, i + 6);
        if (low >= 0xDC00 && low <= 0xDFFF) {
          i += 12;
        } else {
          replace(i, i + 6, kSentinelEscape);
          i += 6;
        }
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        replace(i, i + 6, kSentinelEscape);
        i += 6;
      } else {
        // Any other escape (or a malformed one, which the parser will reject) is two bytes
        // as far as string tracking is concerned: what matters is skipping an escaped quote.
        i += 2;
      }
    } else if (uc < 0x20) {
      replace(i, i + 1, kSentinel);
      ++i;
    } else if (uc >= 0x80) {
      const size_t len = utf8_sequence_length(body, i);
      if (len == 0) {
        replace(i, i + 1, kSentinel);
        ++i;
      } else {
        i += len;
      }
    } else {
      ++i;
    }
  }
  if (out.rewrote) w.append(body.substr(copied));
  return out;
}

std::optional<Json> parse_document(std::string_view body) {
  const Scanned scanned = scan(body);
  if (scanned.max_depth > kMaxDepth) return std::nullopt;
  const std::string_view text = scanned.rewrote ? std::string_view(scanned.rewritten) : body;
  Json doc = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return std::nullopt;
  return doc;
}

// A string fit to keep: well-formed UTF-8 (already guaranteed by the parser but cheap to
// check again), no sentinel (i.e. no defect rewritten by scan()), no NUL.
bool is_clean_text(std::string_view s) {
  if (s.find(kSentinel) != std::string_view::npos) return false;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '\0') return false;
    const size_t len = utf8_sequence_length(s, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

bool is_clean_id(std::string_view s) {
  if (s.empty() || s.size() > kMaxIdBytes || !is_clean_text(s)) return false;
  for (const char c : s) {
    const auto uc = static_cast<unsigned char>(c);
    if (uc < 0x20 || uc == 0x7F) return false;
  }
  return true;
}

// Why an item was skipped. Carries only field names and limits, never a value from the item
// (buyer and user names, texts): the reason goes to the log.
class ItemError {
 public:
  void fail(std::string why) {
    if (reason_.empty()) reason_ = std::move(why);
  }
  [[nodiscard]] bool failed() const { return !reason_.empty(); }
  [[nodiscard]] const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

const Json* member(const Json& obj, const char* key) {
  const auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

// The string at `key`, or null with the error set (missing, or not a string).
const std::string* find_string(const Json& obj, const char* key, ItemError& err) {
  const Json* v = member(obj, key);
  if (v == nullptr) {
    err.fail(std::string(key) + " is missing");
    return nullptr;
  }
  if (!v->is_string()) {
    err.fail(std::string(key) + " is not a string");
    return nullptr;
  }
  return &v->get_ref<const std::string&>();
}

// Required string field. Returns the value or empty with the error set.
std::string take_string(const Json& obj, const char* key, size_t max_bytes, bool allow_empty,
                        ItemError& err) {
  const std::string* found = find_string(obj, key, err);
  if (found == nullptr) return {};
  const std::string& s = *found;
  if (!is_clean_text(s)) {
    err.fail(std::string(key) + " is not valid UTF-8 text");
    return {};
  }
  if (s.size() > max_bytes) {
    err.fail(std::string(key) + " is longer than " + std::to_string(max_bytes) + " bytes");
    return {};
  }
  if (!allow_empty && s.empty()) {
    err.fail(std::string(key) + " is empty");
    return {};
  }
  return s;
}

// Optional string field: missing or null gives "".
std::string take_optional_string(const Json& obj, const char* key, size_t max_bytes, ItemError& err) {
  const Json* v = member(obj, key);
  if (v == nullptr || v->is_null()) return {};
  return take_string(obj, key, max_bytes, /*allow_empty=*/true, err);
}

std::string take_id(const Json& obj, const char* key, ItemError& err) {
  const std::string* found = find_string(obj, key, err);
  if (found == nullptr) return {};
  const std::string& s = *found;
  if (!is_clean_id(s)) {
    err.fail(std::string(key) + " is not an id (1-64 bytes of printable UTF-8)");
    return {};
  }
  return s;
}

// An integer in [min, max]. JSON floats (3990.0, 1e3) are refused: money and counts are exact.
std::optional<int64_t> integer_in(const Json& v, int64_t min, int64_t max) {
  int64_t value = 0;
  if (v.is_number_unsigned()) {
    const auto u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(max)) return std::nullopt;
    value = static_cast<int64_t>(u);
  } else if (v.is_number_integer()) {
    value = v.get<int64_t>();
  } else {
    return std::nullopt;
  }
  if (value < min || value > max) return std::nullopt;
  return value;
}

int64_t take_integer(const Json& obj, const char* key, int64_t min, int64_t max, ItemError& err) {
  const Json* v = member(obj, key);
  if (v == nullptr) {
    err.fail(std::string(key) + " is missing");
    return 0;
  }
  if (!v->is_number_integer()) {  // true for signed and unsigned integers, false for floats
    err.fail(std::string(key) + " is not an integer");
    return 0;
  }
  const auto value = integer_in(*v, min, max);
  if (!value) {
    err.fail(std::string(key) + " is out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    return 0;
  }
  return *value;
}

// Optional integer: missing or null gives nullopt; present but wrong is an error.
std::optional<int64_t> take_optional_integer(const Json& obj, const char* key, int64_t min, int64_t max,
                                             ItemError& err) {
  const Json* v = member(obj, key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  const int64_t value = take_integer(obj, key, min, max, err);
  if (err.failed()) return std::nullopt;
  return value;
}

// ISO 4217: three capital letters. Missing or null means CNY (the contract's normal case).
std::string take_currency(const Json& obj, ItemError& err) {
  const Json* v = member(obj, "currency");
  if (v == nullptr || v->is_null()) return "CNY";
  if (!v->is_string()) {
    err.fail("currency is not a string");
    return {};
  }
  const auto& s = v->get_ref<const std::string&>();
  const bool ok = s.size() == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
                  s[2] >= 'A' && s[2] <= 'Z';
  if (!ok) {
    err.fail("currency is not an ISO 4217 code");
    return {};
  }
  return s;
}

std::vector<std::string> take_tags(const Json& obj, ItemError& err) {
  std::vector<std::string> tags;
  const Json* v = member(obj, "tags");
  if (v == nullptr || v->is_null()) return tags;
  if (!v->is_array()) {
    err.fail("tags is not an array");
    return tags;
  }
  if (v->size() > kMaxTags) {
    err.fail("tags has more than " + std::to_string(kMaxTags) + " entries");
    return tags;
  }
  for (const Json& t : *v) {
    if (!t.is_string()) {
      err.fail("tags has a non-string entry");
      return {};
    }
    const auto& s = t.get_ref<const std::string&>();
    if (!is_clean_text(s) || s.size() > kMaxTagBytes) {
      err.fail("tags has an entry that is not valid UTF-8 text of at most " + std::to_string(kMaxTagBytes) +
               " bytes");
      return {};
    }
    tags.push_back(s);
  }
  return tags;
}

// "products[3] (id p-1001): price_cents is negative". The id is named only when it is a clean,
// short, printable-ASCII id, so a hostile id cannot inject text into the log.
std::string item_reason(const char* list, size_t index, const Json& item, const std::string& why) {
  std::string out = std::string(list) + "[" + std::to_string(index) + "]";
  if (item.is_object()) {
    const Json* id = member(item, "id");
    if (id != nullptr && id->is_string()) {
      const auto& s = id->get_ref<const std::string&>();
      bool printable = !s.empty() && s.size() <= kMaxIdBytes;
      for (const char c : s) printable = printable && c > 0x20 && c < 0x7F;
      if (printable) out += " (id " + s + ")";
    }
  }
  return out + ": " + why;
}

std::optional<Product> parse_product(const Json& item, ItemError& err) {
  if (!item.is_object()) {
    err.fail("not an object");
    return std::nullopt;
  }
  Product p;
  p.id = take_id(item, "id", err);
  p.title = take_string(item, "title", kMaxTextBytes, /*allow_empty=*/false, err);
  p.subtitle = take_optional_string(item, "subtitle", kMaxTextBytes, err);
  p.price_cents = take_integer(item, "price_cents", 0, kMaxCents, err);
  p.original_price_cents = take_optional_integer(item, "original_price_cents", 0, kMaxCents, err);
  p.currency = take_currency(item, err);
  p.stock = take_optional_integer(item, "stock", 0, kMaxStock, err);
  p.image_url = take_optional_string(item, "image_url", kMaxTextBytes, err);
  p.tags = take_tags(item, err);
  if (err.failed()) return std::nullopt;
  return p;
}

std::optional<Order> parse_order(const Json& item, ItemError& err) {
  if (!item.is_object()) {
    err.fail("not an object");
    return std::nullopt;
  }
  Order o;
  o.id = take_id(item, "id", err);
  o.product_id = take_id(item, "product_id", err);
  o.buyer = take_string(item, "buyer", kMaxIdBytes, /*allow_empty=*/true, err);
  o.quantity = static_cast<int>(take_integer(item, "quantity", 1, kMaxQuantity, err));
  o.amount_cents = take_integer(item, "amount_cents", 0, kMaxCents, err);
  o.currency = take_currency(item, err);
  o.created_at = take_optional_string(item, "created_at", kMaxIdBytes, err);
  if (err.failed()) return std::nullopt;
  return o;
}

std::optional<Comment> parse_comment(const Json& item, ItemError& err) {
  if (!item.is_object()) {
    err.fail("not an object");
    return std::nullopt;
  }
  Comment c;
  c.id = take_id(item, "id", err);
  c.user = take_string(item, "user", kMaxIdBytes, /*allow_empty=*/true, err);
  c.text = take_string(item, "text", kMaxTextBytes, /*allow_empty=*/false, err);
  c.created_at = take_optional_string(item, "created_at", kMaxIdBytes, err);
  if (err.failed()) return std::nullopt;
  return c;
}

// Runs `parse_item` over doc[list], keeping the good items and the reasons for the rest.
// Returns false when doc[list] is not an array (the top-level shape is wrong).
template <typename T, typename ParseItem>
bool parse_list(const Json& doc, const char* list, std::vector<T>& out, std::vector<std::string>& skipped,
                ParseItem parse_item) {
  const Json* items = member(doc, list);
  if (items == nullptr || !items->is_array()) return false;
  out.reserve(items->size());
  size_t index = 0;
  for (const Json& item : *items) {
    ItemError err;
    if (auto parsed = parse_item(item, err)) {
      out.push_back(std::move(*parsed));
    } else {
      skipped.push_back(item_reason(list, index, item, err.reason()));
    }
    ++index;
  }
  return true;
}

// The paging cursor: required, a clean string (it goes back into a query string).
std::optional<std::string> take_cursor(const Json& doc) {
  const Json* v = member(doc, "next");
  if (v == nullptr || !v->is_string()) return std::nullopt;
  const auto& s = v->get_ref<const std::string&>();
  if (!is_clean_text(s) || s.size() > kMaxCursorBytes) return std::nullopt;
  return s;
}

}  // namespace

std::optional<ProductsPage> parse_products(std::string_view body, std::vector<std::string>& skipped) {
  const auto doc = parse_document(body);
  if (!doc || !doc->is_object()) return std::nullopt;
  ProductsPage page;
  if (!parse_list(*doc, "products", page.products, skipped, parse_product)) return std::nullopt;
  // updated_at is informational: a missing or bad one does not cost the product list.
  ItemError ignored;
  page.updated_at = take_optional_string(*doc, "updated_at", kMaxIdBytes, ignored);
  if (ignored.failed()) page.updated_at.clear();
  return page;
}

std::optional<OrdersPage> parse_orders(std::string_view body, std::vector<std::string>& skipped) {
  const auto doc = parse_document(body);
  if (!doc || !doc->is_object()) return std::nullopt;
  OrdersPage page;
  auto next = take_cursor(*doc);
  if (!next) return std::nullopt;
  page.next = std::move(*next);
  if (!parse_list(*doc, "orders", page.orders, skipped, parse_order)) return std::nullopt;
  return page;
}

std::optional<CommentsPage> parse_comments(std::string_view body, std::vector<std::string>& skipped) {
  const auto doc = parse_document(body);
  if (!doc || !doc->is_object()) return std::nullopt;
  CommentsPage page;
  auto next = take_cursor(*doc);
  if (!next) return std::nullopt;
  page.next = std::move(*next);
  if (!parse_list(*doc, "comments", page.comments, skipped, parse_comment)) return std::nullopt;
  return page;
}

std::optional<LiveSession> parse_live_session(std::string_view body) {
  const auto doc = parse_document(body);
  if (!doc || !doc->is_object()) return std::nullopt;
  ItemError err;
  LiveSession s;
  s.session_id = take_id(*doc, "session_id", err);
  s.push_url = take_string(*doc, "push_url", kMaxTextBytes, /*allow_empty=*/false, err);
  s.stream_key = take_string(*doc, "stream_key", kMaxTextBytes, /*allow_empty=*/false, err);
  s.expires_at = take_optional_string(*doc, "expires_at", kMaxIdBytes, err);
  if (err.failed()) return std::nullopt;
  return s;
}

std::optional<ApiErrorBody> parse_error(std::string_view body) {
  const auto doc = parse_document(body);
  if (!doc || !doc->is_object()) return std::nullopt;
  const Json* error = member(*doc, "error");
  if (error == nullptr || !error->is_object()) return std::nullopt;
  ItemError err;
  ApiErrorBody out;
  out.code = take_string(*error, "code", kMaxErrorCodeBytes, /*allow_empty=*/false, err);
  if (err.failed()) return std::nullopt;
  // The message is only for the log: a bad one is dropped, the code still counts.
  ItemError message_err;
  out.message = take_optional_string(*error, "message", kMaxErrorMessageBytes, message_err);
  if (message_err.failed()) out.message.clear();
  return out;
}

}  // namespace cunbo
