#include "client/platform/http_platform.h"

#include <curl/curl.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <tuple>
#include <utility>

#include "client/platform/http_transfer.h"
#include "client/platform/platform_json.h"
#include "client/platform/recent_ids.h"
#include "client/platform/retry_after.h"

namespace cunbo {

namespace {

// A long poll that comes back empty long before its `wait` (a server ignoring `wait`, or a
// configured wait of 0) must not turn into a busy loop: empty answers are spaced at least
// this far apart.
constexpr int64_t kEmptyPollSpacingUs = 1'000'000;
// Skip reasons logged per response; the rest are counted.
constexpr std::size_t kLoggedSkipReasons = 3;

struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlStringDeleter {
  void operator()(char* s) const { curl_free(s); }
};

std::string url_part(CURLU* u, CURLUPart part) {
  char* raw = nullptr;
  if (curl_url_get(u, part, &raw, 0) != CURLUE_OK || raw == nullptr) return {};
  const std::unique_ptr<char, CurlStringDeleter> owned(raw);
  return owned.get();
}

bool is_loopback_host(std::string host) {
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return host == "localhost" || host.starts_with("127.") || host == "[::1]" || host == "::1";
}

bool same_product(const Product& a, const Product& b) {
  return std::tie(a.id, a.title, a.subtitle, a.price_cents, a.original_price_cents, a.currency, a.stock,
                  a.image_url, a.tags) == std::tie(b.id, b.title, b.subtitle, b.price_cents,
                                                   b.original_price_cents, b.currency, b.stock, b.image_url, b.tags);
}

bool same_products(const std::vector<Product>& a, const std::vector<Product>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), same_product);
}

bool printable_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

int64_t default_monotonic_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t default_wall_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void log_skipped(std::string_view what, const std::vector<std::string>& skipped) {
  for (std::size_t i = 0; i < skipped.size() && i < kLoggedSkipReasons; ++i) {
    spdlog::warn("[platform] skipped {}", skipped[i]);
  }
  if (skipped.size() > kLoggedSkipReasons) {
    spdlog::warn("[platform] skipped {} more {} items", skipped.size() - kLoggedSkipReasons, what);
  }
}

}  // namespace

// What a response means for the caller. `why` is for the log and FeedStatus::detail.
struct HttpPlatform::Outcome {
  Verdict verdict = Verdict::retry;
  std::string why;
  int64_t retry_after_us = 0;  // with Verdict::retry_after
};

std::optional<std::string> HttpPlatform::base_url_problem(std::string_view base_url) {
  const std::unique_ptr<CURLU, CurlUrlDeleter> u(curl_url());
  if (!u) return "cannot parse URLs";
  const std::string text(base_url);
  if (text.empty() || curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return "the API address is not a URL";
  }
  std::string scheme = url_part(u.get(), CURLUPART_SCHEME);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme == "https") return std::nullopt;
  if (scheme == "http" && is_loopback_host(url_part(u.get(), CURLUPART_HOST))) return std::nullopt;
  if (scheme == "http") return "the API address must use https (plain http only to this computer)";
  return "the API address must be an https URL";
}

HttpPlatform::HttpPlatform(Options options) : options_(std::move(options)) {
  if (!options_.monotonic_us) options_.monotonic_us = default_monotonic_us;
  if (!options_.wall_us) options_.wall_us = default_wall_us;
  if (!options_.random) {
    options_.random = [gen = std::make_shared<std::mt19937_64>(std::random_device{}())] {
      return std::uniform_real_distribution<double>(0.0, 1.0)(*gen);
    };
  }
  random_ = [this] {
    const std::lock_guard lock(random_mutex_);
    return options_.random();
  };
  options_.long_poll_wait_s = std::clamp(options_.long_poll_wait_s, 0, 30);
  if (!options_.base_url.empty() && options_.base_url.back() != '/') options_.base_url += '/';
  config_problem_ = base_url_problem(options_.base_url);
  // A token read from a file usually ends in a newline; a control character or space inside
  // it would break (or split) the Authorization header.
  auto& token = options_.token;
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ' || token.back() == '\t')) {
    token.pop_back();
  }
  token.erase(0, std::min(token.find_first_not_of(" \t\r\n"), token.size()));
  if (!config_problem_ && (token.empty() || !std::all_of(token.begin(), token.end(), [](char c) {
                             return c > 0x20 && c < 0x7F;
                           }))) {
    config_problem_ = "the token is empty or contains spaces, control characters or non-ASCII bytes";
  }

  HttpTransfer::Settings settings;
  settings.authorization = "Authorization: Bearer " + options_.token;
  settings.user_agent = options_.user_agent;
  settings.connect_timeout = options_.connect_timeout;
  settings.max_response_bytes = options_.max_response_bytes;
  for (int c = 0; c < kChannelCount; ++c) {
    // Session calls are the caller's: only a stop abandons them. The rest also end at
    // login_required.
    std::function<bool()> abort = c == kSession ? std::function<bool()>([this] { return stopping_.load(); })
                                                : std::function<bool()>([this] { return halted(); });
    transfers_[c] = std::make_unique<HttpTransfer>(settings, std::move(abort));
  }
}

HttpPlatform::~HttpPlatform() {
  request_stop();
  join();
}

void HttpPlatform::start(Listener listener) {
  {
    const std::lock_guard listener_lock(listener_mutex_);
    const std::lock_guard lock(mutex_);
    if (started_) {
      spdlog::warn("[platform] start() called twice; ignored");
      return;
    }
    started_ = true;
    listener_ = std::move(listener);
  }
  if (config_problem_) {
    spdlog::error("[platform] not starting: {}", *config_problem_);
    set_status_and_emit(FeedStatus{FeedState::stopped, 0, false, *config_problem_});
    return;
  }
  spdlog::info("[platform] polling products, orders and comments (wait {} s)", options_.long_poll_wait_s);
  products_thread_ = std::thread([this] { run_products(); });
  orders_thread_ = std::thread([this] { run_stream(kOrders); });
  comments_thread_ = std::thread([this] { run_stream(kComments); });
  showcase_thread_ = std::thread([this] { run_showcase(); });
}

void HttpPlatform::request_stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : transfers_) t->wake();
}

void HttpPlatform::join() {
  bool joined = false;
  for (std::thread* t : {&products_thread_, &orders_thread_, &comments_thread_, &showcase_thread_}) {
    if (t->joinable()) {
      t->join();
      joined = true;
    }
  }
  if (!joined) return;
  // The last word: stopped, unless the host must log in again (that stays on screen).
  if (!login_required_) {
    FeedStatus s = status();
    s.state = FeedState::stopped;
    s.retry_in_ms = 0;
    set_status_and_emit(s);
  }
  spdlog::info("[platform] stopped");
}

std::vector<Product> HttpPlatform::products() const {
  const std::lock_guard lock(mutex_);
  return products_;
}

FeedStatus HttpPlatform::status() const {
  const std::lock_guard lock(mutex_);
  return status_;
}

std::string HttpPlatform::session_id() const {
  const std::lock_guard lock(mutex_);
  return session_id_;
}

std::string HttpPlatform::url(std::string_view path) const { return options_.base_url + std::string(path); }

int64_t HttpPlatform::now_us() const { return options_.monotonic_us(); }

bool HttpPlatform::wait_us(int64_t us, const std::function<bool()>& also) {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(std::max<int64_t>(us, 0));
  wake_.wait_until(lock, deadline, [&] { return halted() || (also && also()); });
  return !halted();
}

// ---- What a response means -------------------------------------------------------------

HttpPlatform::Outcome HttpPlatform::classify(Channel channel, const HttpResponse& response) const {
  using O = HttpResponse::Outcome;
  switch (response.outcome) {
    case O::aborted:
      return {Verdict::stopped, "stopped", 0};
    case O::too_large:
      return {Verdict::retry, "response larger than " + std::to_string(options_.max_response_bytes) + " bytes", 0};
    case O::failed:
      return {Verdict::retry, response.error, 0};
    case O::completed:
      break;
  }
  const long status = response.status;
  std::string why = "HTTP " + std::to_string(status);
  if (status >= 400) {
    // The server's machine code only (printable, short): its human text could echo anything.
    if (const auto err = parse_error(response.body); err && !err->code.empty() && err->code.size() <= 64 &&
                                                     printable_ascii(err->code) &&
                                                     (options_.token.empty() || err->code.find(options_.token) == std::string::npos)) {
      why += " " + err->code;
    }
  }
  if (status == 304 && channel == kProducts) return {Verdict::not_modified, why, 0};
  if (status >= 200 && status < 300) return {Verdict::ok, why, 0};
  if (status == 401 || status == 403) return {Verdict::login_required, why, 0};
  if (status == 429) {
    if (const auto after = parse_retry_after(response.retry_after, options_.wall_us())) {
      return {Verdict::retry_after, why, *after};
    }
    return {Verdict::retry, why + " without a usable Retry-After", 0};
  }
  if (status == 404 && (channel == kShowcase || channel == kSession)) return {Verdict::session_gone, why, 0};
  if (status >= 500) return {Verdict::retry, why, 0};
  // Any other status: a poller keeps trying (slowly); a session call reports it.
  return {channel == kSession || channel == kShowcase ? Verdict::rejected : Verdict::retry, why, 0};
}

// ---- Status and events -------------------------------------------------------------------

void HttpPlatform::emit(const FeedEvent& event) {
  const std::lock_guard listener_lock(listener_mutex_);
  if (!listener_) return;
  try {
    listener_(event);
  } catch (const std::exception& e) {
    spdlog::error("[platform] the feed listener threw: {}", e.what());
  }
}

void HttpPlatform::set_status_and_emit(const FeedStatus& status) {
  update_status([&](const FeedStatus&) { return std::optional<FeedStatus>(status); });
}

void HttpPlatform::update_status(const std::function<std::optional<FeedStatus>(const FeedStatus&)>& change) {
  // listener_mutex_ first: states reach the listener in the order they were decided.
  const std::lock_guard listener_lock(listener_mutex_);
  FeedStatus next;
  {
    const std::lock_guard lock(mutex_);
    auto decided = change(status_);
    if (!decided) return;
    status_ = *decided;
    next = status_;
  }
  if (!listener_) return;
  try {
    listener_(FeedStateChanged{std::move(next)});
  } catch (const std::exception& e) {
    spdlog::error("[platform] the feed listener threw: {}", e.what());
  }
}

void HttpPlatform::mark_ok(Channel channel) {
  update_status([&](const FeedStatus& current) -> std::optional<FeedStatus> {
    failing_[channel] = false;
    if (halted() || current.state == FeedState::online) return std::nullopt;
    if (failing_[kProducts] || failing_[kOrders] || failing_[kComments]) return std::nullopt;
    spdlog::info("[platform] online");
    FeedStatus s = current;
    s.state = FeedState::online;
    s.retry_in_ms = 0;
    s.detail.clear();
    return s;
  });
}

void HttpPlatform::mark_failing(Channel channel, int64_t retry_in_us, const std::string& why) {
  update_status([&](const FeedStatus& current) -> std::optional<FeedStatus> {
    failing_[channel] = true;
    if (halted()) return std::nullopt;
    FeedStatus s = current;
    s.state = FeedState::offline_retrying;
    s.retry_in_ms = retry_in_us / 1000;
    s.detail = why;
    return s;
  });
}

void HttpPlatform::enter_login_required(const std::string& why) {
  bool first = false;
  update_status([&](const FeedStatus& current) -> std::optional<FeedStatus> {
    if (login_required_) return std::nullopt;
    login_required_ = true;
    first = true;
    FeedStatus s = current;
    s.state = FeedState::login_required;
    s.retry_in_ms = 0;
    s.detail = why;
    return s;
  });
  if (!first) return;
  spdlog::warn("[platform] the platform refused the token ({}); log in again. Polling stopped.", why);
  wake_.notify_all();  // login_required_ was set under mutex_: no waiter misses it
  for (int c = 0; c < kChannelCount; ++c) {
    if (c != kSession) transfers_[c]->wake();
  }
}

// ---- Products ------------------------------------------------------------------------------

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

    switch (out.verdict) {
      case Verdict::stopped:
        return;
      case Verdict::login_required:
        enter_login_required(out.why);
        return;
      case Verdict::ok:
        backoff.on_success();
        mark_ok(kProducts);
        wait_us(std::chrono::duration_cast<std::chrono::microseconds>(options_.products_refresh).count());
        break;
      default: {
        const int64_t wait = out.verdict == Verdict::retry_after ? backoff.on_retry_after(now_us(), out.retry_after_us)
                                                                  : backoff.on_failure(now_us());
        spdlog::warn("[platform] products: {}; retrying in {} ms", out.why, wait / 1000);
        mark_failing(kProducts, wait, out.why);
        wait_us(wait);
      }
    }
  }
}

// ---- Orders and comments -------------------------------------------------------------------

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

    switch (out.verdict) {
      case Verdict::stopped:
        return;
      case Verdict::login_required:
        enter_login_required(out.why);
        return;
      case Verdict::ok: {
        backoff.on_success();
        mark_ok(channel);
        const int64_t elapsed_us = now_us() - started_us;
        if (count == 0 && !probe && elapsed_us < kEmptyPollSpacingUs) wait_us(kEmptyPollSpacingUs - elapsed_us);
        break;
      }
      default: {
        const int64_t wait = out.verdict == Verdict::retry_after ? backoff.on_retry_after(now_us(), out.retry_after_us)
                                                                  : backoff.on_failure(now_us());
        spdlog::warn("[platform] {}: {}; retrying in {} ms", what, out.why, wait / 1000);
        mark_failing(channel, wait, out.why);
        wait_us(wait);
      }
    }
  }
}

// ---- Sessions and the showcase ---------------------------------------------------------------

void HttpPlatform::showcase(const std::string& product_id) {
  {
    const std::lock_guard lock(mutex_);
    if (session_id_.empty()) {
      spdlog::info("[platform] showcase {} ignored: no live session", product_id);
      return;
    }
    pending_showcase_ = product_id;  // a newer one replaces an unsent older one
  }
  wake_.notify_all();
}

void HttpPlatform::run_showcase() {
  Backoff backoff(random_, options_.backoff);
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return halted() || pending_showcase_.has_value(); });
    if (halted()) return;
    const std::string product = std::move(*pending_showcase_);
    pending_showcase_.reset();
    const std::string session = session_id_;
    lock.unlock();

    nlohmann::json body = {{"product_id", product}};
    const HttpRequest request{HttpRequest::Method::post,
                              url("v1/live/sessions/" + HttpTransfer::escape(session) + "/showcase"),
                              body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                              {},
                              options_.request_timeout};
    for (;;) {
      if (session.empty()) break;
      const Outcome out = classify(kShowcase, transfers_[kShowcase]->perform(request));
      if (out.verdict == Verdict::stopped) return;
      if (out.verdict == Verdict::login_required) {
        enter_login_required(out.why);
        return;
      }
      if (out.verdict == Verdict::ok) {
        backoff.on_success();
        spdlog::info("[platform] showcasing {}", product);
        break;
      }
      if (out.verdict == Verdict::session_gone) {
        spdlog::warn("[platform] live session {} ended on the platform side ({})", session, out.why);
        const std::lock_guard l(mutex_);
        if (session_id_ == session) session_id_.clear();
        break;
      }
      if (out.verdict == Verdict::rejected) {
        spdlog::warn("[platform] the platform refused to showcase {} ({})", product, out.why);
        break;
      }
      const int64_t wait = out.verdict == Verdict::retry_after ? backoff.on_retry_after(now_us(), out.retry_after_us)
                                                                : backoff.on_failure(now_us());
      spdlog::warn("[platform] showcase {}: {}; retrying in {} ms", product, out.why, wait / 1000);
      // A newer product cuts the wait short and replaces this one.
      if (!wait_us(wait, [this] { return pending_showcase_.has_value(); })) return;
      {
        const std::lock_guard l(mutex_);
        if (pending_showcase_) break;
      }
    }
    lock.lock();
  }
}

std::variant<LiveSession, FeedError> HttpPlatform::start_session(const std::string& title,
                                                                 const std::vector<std::string>& product_ids) {
  if (config_problem_) return FeedError{FeedError::Code::unreachable, *config_problem_};
  const std::lock_guard call(session_call_mutex_);
  const nlohmann::json body = {{"title", title}, {"product_ids", product_ids}};
  const HttpResponse response = transfers_[kSession]->perform(
      {HttpRequest::Method::post, url("v1/live/sessions"),
       body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), {}, options_.request_timeout});
  const Outcome out = classify(kSession, response);
  switch (out.verdict) {
    case Verdict::ok: {
      auto session = parse_live_session(response.body);
      if (!session) {
        spdlog::warn("[platform] start session: the answer is not a session");
        return FeedError{FeedError::Code::bad_response, "start session: not the expected JSON"};
      }
      {
        const std::lock_guard lock(mutex_);
        session_id_ = session->session_id;
      }
      spdlog::info("[platform] live session {} started", session->session_id);  // never the key
      return std::move(*session);
    }
    case Verdict::login_required:
      enter_login_required(out.why);
      return FeedError{FeedError::Code::login_required, out.why};
    case Verdict::rejected:
    case Verdict::session_gone:
      spdlog::warn("[platform] start session refused: {}", out.why);
      return FeedError{FeedError::Code::rejected, out.why};
    default:
      spdlog::warn("[platform] start session failed: {}", out.why);
      return FeedError{FeedError::Code::unreachable, out.why};
  }
}

void HttpPlatform::end_session() {
  if (config_problem_) return;
  const std::lock_guard call(session_call_mutex_);
  const std::string session = session_id();
  if (session.empty()) return;
  {
    const std::lock_guard lock(mutex_);
    pending_showcase_.reset();  // nothing to showcase in an ended session
  }
  Backoff backoff(random_, options_.backoff);
  const HttpRequest request{HttpRequest::Method::post,
                            url("v1/live/sessions/" + HttpTransfer::escape(session) + "/end"),
                            {},
                            {},
                            options_.request_timeout};
  for (int attempt = 1;; ++attempt) {
    const Outcome out = classify(kSession, transfers_[kSession]->perform(request));
    switch (out.verdict) {
      case Verdict::ok:
      case Verdict::session_gone: {
        spdlog::info("[platform] live session {} ended{}", session,
                     out.verdict == Verdict::session_gone ? " (already, on the platform side)" : "");
        const std::lock_guard lock(mutex_);
        if (session_id_ == session) session_id_.clear();
        return;
      }
      case Verdict::stopped:
        return;
      case Verdict::login_required:
        enter_login_required(out.why);
        return;
      case Verdict::rejected:
        spdlog::warn("[platform] end session {} refused: {}", session, out.why);
        return;
      default:
        break;
    }
    if (attempt >= options_.end_session_attempts) {
      spdlog::warn("[platform] could not end live session {}: {}", session, out.why);
      return;
    }
    const int64_t wait = out.verdict == Verdict::retry_after ? backoff.on_retry_after(now_us(), out.retry_after_us)
                                                              : backoff.on_failure(now_us());
    spdlog::warn("[platform] end session {}: {}; retrying in {} ms", session, out.why, wait / 1000);
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, std::chrono::microseconds(wait), [this] { return stopping_.load(); })) return;
  }
}

}  // namespace cunbo
