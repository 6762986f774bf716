// Live sessions: start and end on the caller's thread, and the showcase ("now presenting")
// sent by its own thread, retrying, newest product only.
#include "client/platform/http_platform.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "client/platform/http_platform_internal.h"
#include "client/platform/http_transfer.h"
#include "client/platform/platform_json.h"

namespace cunbo {

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
      const int64_t wait = retry_wait_us(backoff, out);
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
    const int64_t wait = retry_wait_us(backoff, out);
    spdlog::warn("[platform] end session {}: {}; retrying in {} ms", session, out.why, wait / 1000);
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, std::chrono::microseconds(wait), [this] { return stopping_.load(); })) return;
  }
}

}  // namespace cunbo
