// HttpPlatform's lifecycle, what a response means, and the feed's status. Its three kinds of
// traffic live next to this file: http_platform_products.cpp (the list and its ETag),
// http_platform_streams.cpp (orders and comments by long poll), http_platform_sessions.cpp
// (start, showcase, end).
#include "client/platform/http_platform.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <utility>

#include "client/base/strings.h"
#include "client/platform/http_platform_internal.h"
#include "client/platform/http_transfer.h"
#include "client/platform/platform_json.h"
#include "client/platform/retry_after.h"
#include "media/session_clock.h"
#include "media/thread_name.h"

namespace cunbo {

using http_platform_detail::printable_ascii;

namespace {

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


}  // namespace

namespace http_platform_detail {

// Skip reasons logged per response; the rest are counted.
constexpr std::size_t kLoggedSkipReasons = 3;

bool printable_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

void log_skipped(std::string_view what, const std::vector<std::string>& skipped) {
  for (std::size_t i = 0; i < skipped.size() && i < kLoggedSkipReasons; ++i) {
    spdlog::warn("[platform] skipped {}", skipped[i]);
  }
  if (skipped.size() > kLoggedSkipReasons) {
    spdlog::warn("[platform] skipped {} more {} items", skipped.size() - kLoggedSkipReasons, what);
  }
}

}  // namespace http_platform_detail

std::optional<std::string> HttpPlatform::base_url_problem(std::string_view base_url) {
  const std::unique_ptr<CURLU, CurlUrlDeleter> u(curl_url());
  const std::string text(base_url);
  if (!u || text.empty() || curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return "err.api_not_url";
  }
  std::string scheme = url_part(u.get(), CURLUPART_SCHEME);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme == "https") return std::nullopt;
  if (scheme == "http" && is_loopback_host(url_part(u.get(), CURLUPART_HOST))) return std::nullopt;
  if (scheme == "http") return "err.api_plain_http";
  return "err.api_not_https";
}

HttpPlatform::HttpPlatform(Options options) : options_(std::move(options)) {
  if (!options_.monotonic_us) options_.monotonic_us = steady_now_us;
  if (!options_.wall_us) options_.wall_us = wall_now_us;
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
  // In the log, in English whatever the host's language.
  if (auto id = base_url_problem(options_.base_url)) config_problem_ = tr_in(Language::en, *id, options_.base_url);
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
  products_thread_ = std::thread([this] {
    name_this_thread("products");
    run_products();
  });
  orders_thread_ = std::thread([this] {
    name_this_thread("orders");
    run_stream(kOrders);
  });
  comments_thread_ = std::thread([this] {
    name_this_thread("comments");
    run_stream(kComments);
  });
  showcase_thread_ = std::thread([this] {
    name_this_thread("showcase");
    run_showcase();
  });
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

int64_t HttpPlatform::retry_wait_us(Backoff& backoff, const Outcome& out) const {
  return out.verdict == Verdict::retry_after ? backoff.on_retry_after(now_us(), out.retry_after_us)
                                             : backoff.on_failure(now_us());
}

bool HttpPlatform::settle_poll(Channel channel, std::string_view what, const Outcome& out, Backoff& backoff) {
  switch (out.verdict) {
    case Verdict::stopped:
      return false;
    case Verdict::login_required:
      enter_login_required(out.why);
      return false;
    case Verdict::ok:
      backoff.on_success();
      mark_ok(channel);
      return true;
    default: {
      const int64_t wait = retry_wait_us(backoff, out);
      spdlog::warn("[platform] {}: {}; retrying in {} ms", what, out.why, wait / 1000);
      mark_failing(channel, wait, out.why);
      wait_us(wait);
      return true;
    }
  }
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

}  // namespace cunbo
