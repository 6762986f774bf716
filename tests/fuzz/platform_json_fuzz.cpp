// libFuzzer target over the platform API's response parsers (client/platform/platform_json.cpp), built
// with clang and ASan/UBSan by tests/fuzz/run.sh. Beyond "no crash, no sanitizer report", it
// checks that whatever the parsers accept obeys the limits the rest of the client relies on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "client/platform/platform_json.h"

namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    if (b == 0) return false;
    if (b < 0x80) {
      len = 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

void require_id(const std::string& id) { require(!id.empty() && id.size() <= 64 && valid_utf8(id)); }

void require_reasons(const std::vector<std::string>& skipped) {
  for (const auto& reason : skipped) require(!reason.empty() && valid_utf8(reason) && reason.size() < 512);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  constexpr int64_t kMaxCents = 1'000'000'000'000;

  std::vector<std::string> skipped;
  if (auto page = cunbo::parse_products(body, skipped)) {
    for (const auto& p : page->products) {
      require_id(p.id);
      require(!p.title.empty() && valid_utf8(p.title) && valid_utf8(p.subtitle) && valid_utf8(p.image_url));
      require(p.price_cents >= 0 && p.price_cents <= kMaxCents);
      require(!p.original_price_cents || (*p.original_price_cents >= 0 && *p.original_price_cents <= kMaxCents));
      require(!p.stock || *p.stock >= 0);
      require(p.currency.size() == 3);
      for (const auto& tag : p.tags) require(valid_utf8(tag));
    }
  }
  require_reasons(skipped);

  skipped.clear();
  if (auto page = cunbo::parse_orders(body, skipped)) {
    require(valid_utf8(page->next));
    for (const auto& o : page->orders) {
      require_id(o.id);
      require_id(o.product_id);
      require(valid_utf8(o.buyer) && valid_utf8(o.created_at));
      require(o.quantity >= 1 && o.quantity <= 100'000);
      require(o.amount_cents >= 0 && o.amount_cents <= kMaxCents);
    }
  }
  require_reasons(skipped);

  skipped.clear();
  if (auto page = cunbo::parse_comments(body, skipped)) {
    require(valid_utf8(page->next));
    for (const auto& c : page->comments) {
      require_id(c.id);
      require(!c.text.empty() && valid_utf8(c.text) && valid_utf8(c.user));
    }
  }
  require_reasons(skipped);

  if (auto s = cunbo::parse_live_session(body)) {
    require_id(s->session_id);
    require(!s->push_url.empty() && !s->stream_key.empty() && valid_utf8(s->push_url));
  }
  if (auto e = cunbo::parse_error(body)) require(!e->code.empty() && valid_utf8(e->code) && valid_utf8(e->message));
  return 0;
}
