// The product list: fetched at start, then revalidated every products_refresh with its ETag
// (If-None-Match → 304); listeners hear of it only when it changed.
#include "client/platform/http_platform.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "client/platform/http_platform_internal.h"
#include "client/platform/http_transfer.h"
#include "client/platform/platform_json.h"

namespace cunbo {

namespace {

bool same_product(const Product& a, const Product& b) {
  return std::tie(a.id, a.title, a.subtitle, a.price_cents, a.original_price_cents, a.currency, a.stock,
                  a.image_url, a.tags) == std::tie(b.id, b.title, b.subtitle, b.price_cents,
                                                   b.original_price_cents, b.currency, b.stock, b.image_url, b.tags);
}

bool same_products(const std::vector<Product>& a, const std::vector<Product>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), same_product);
}

}  // namespace

using http_platform_detail::log_skipped;
using http_platform_detail::printable_ascii;

void HttpPlatform::run_products() {
  Backoff backoff(random_, options_.backoff);
  std::string etag;
  bool have_list = false;
  std::vector<Product> last;
  while (!halted()) {
    HttpRequest request{HttpRequest::Method::get, url("v1/products"), {}, {}, options_.request_timeout};
    if (have_list && !etag.empty()) request.headers.push_back("If-None-Match: " + etag);
    const HttpResponse response = transfers_[kProducts]->perform(request);
    Outcome out = classify(kProducts, response);
    if (out.verdict == Verdict::not_modified && !have_list) {
      out = {Verdict::retry, "304 for a request without If-None-Match", 0};
    } else if (out.verdict == Verdict::not_modified) {
      out.verdict = Verdict::ok;
    } else if (out.verdict == Verdict::ok) {
      std::vector<std::string> skipped;
      auto page = parse_products(response.body, skipped);
      if (!page) {
        out = {Verdict::retry, "products: not the expected JSON", 0};
      } else {
        log_skipped("products", skipped);
        etag = printable_ascii(response.etag) ? response.etag : std::string();
        if (!have_list || !same_products(last, page->products)) {
          spdlog::info("[platform] {} products", page->products.size());
          {
            const std::lock_guard lock(mutex_);
            products_ = page->products;
          }
          last = std::move(page->products);
          emit(ProductsUpdated{last, false});
        }
        have_list = true;
      }
    }

    if (!settle_poll(kProducts, "products", out, backoff)) return;
    if (out.verdict == Verdict::ok) {
      wait_us(std::chrono::duration_cast<std::chrono::microseconds>(options_.products_refresh).count());
    }
  }
}

}  // namespace cunbo
