// Orders and comments: one long poll each (so neither delays the other), with cursors, a
// probe after a failure, and repeats dropped by id.
#include "client/platform/http_platform.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/platform/http_platform_internal.h"
#include "client/platform/http_transfer.h"
#include "client/platform/platform_json.h"
#include "client/platform/recent_ids.h"

namespace cunbo {

namespace {

// A long poll that comes back empty long before its `wait` (a server ignoring `wait`, or a
// configured wait of 0) must not turn into a busy loop: empty answers are spaced at least
// this far apart.
constexpr int64_t kEmptyPollSpacingUs = 1'000'000;

}  // namespace

using http_platform_detail::log_skipped;

void HttpPlatform::run_stream(Channel channel) {
  const bool orders = channel == kOrders;
  const std::string_view what = orders ? "orders" : "comments";
  Backoff backoff(random_, options_.backoff);
  RecentIds seen(options_.dedup_capacity);
  std::string cursor;  // empty: "from now" (the first call omits `after`)

  // New items go to the listener; repeats (at-least-once delivery) are dropped.
  auto deliver = [&](auto& items, auto make_event) {
    for (auto& item : items) {
      if (!seen.insert(item.id)) {
        spdlog::debug("[platform] {} {} delivered again; dropped", what, item.id);
        continue;
      }
      spdlog::debug("[platform] {} {}", what, item.id);
      emit(make_event(std::move(item)));
    }
  };

  while (!halted()) {
    std::string target = std::string("v1/") + std::string(what) + "?";
    if (!cursor.empty()) target += "after=" + HttpTransfer::escape(cursor) + "&";
    // After a failure the next attempt is a probe (wait=0): a held long poll would hide for up
    // to 30 s that the platform is back, and the host would see "offline" all that time.
    const bool probe = backoff.failures() > 0;
    const int wait_s = probe ? 0 : options_.long_poll_wait_s;
    target += "wait=" + std::to_string(wait_s);
    const auto timeout = std::chrono::milliseconds(int64_t{wait_s} * 1000) + options_.long_poll_slack;
    const int64_t started_us = now_us();
    HttpResponse response =
        transfers_[channel]->perform({HttpRequest::Method::get, url(target), {}, {}, timeout});
    Outcome out = classify(channel, response);
    std::size_t count = 0;
    if (out.verdict == Verdict::ok) {
      std::vector<std::string> skipped;
      std::string next;
      bool parsed = false;
      if (orders) {
        if (auto page = parse_orders(response.body, skipped)) {
          parsed = true;
          count = page->orders.size();
          next = std::move(page->next);
          deliver(page->orders, [](Order&& o) { return FeedEvent{NewOrder{std::move(o)}}; });
        }
      } else if (auto page = parse_comments(response.body, skipped)) {
        parsed = true;
        count = page->comments.size();
        next = std::move(page->next);
        deliver(page->comments, [](Comment&& c) { return FeedEvent{NewComment{std::move(c)}}; });
      }
      if (!parsed) {
        out = {Verdict::retry, std::string(what) + ": not the expected JSON", 0};
      } else {
        log_skipped(what, skipped);
        count += skipped.size();
        if (!next.empty()) cursor = std::move(next);
      }
    }

    if (!settle_poll(channel, what, out, backoff)) return;
    const int64_t elapsed_us = now_us() - started_us;
    if (out.verdict == Verdict::ok && count == 0 && !probe && elapsed_us < kEmptyPollSpacingUs) {
      wait_us(kEmptyPollSpacingUs - elapsed_us);
    }
  }
}

}  // namespace cunbo
