#include "client/platform/http_transfer.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <string_view>
#include <utility>

namespace cunbo {

namespace {

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct MultiDeleter {
  void operator()(CURLM* h) const { curl_multi_cleanup(h); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

// Header values we keep are short; a longer one is ignored rather than stored.
constexpr std::size_t kMaxKeptHeaderValue = 256;
// How long curl_multi_poll sleeps at most when nothing happens: wake() cuts it short, so this
// only bounds the work an idle long poll does (one wake-up a second, nothing more).
constexpr int kPollMs = 1000;

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Context {
  HttpResponse* response = nullptr;
  std::size_t cap = 0;
  bool too_large = false;
  const std::function<bool()>* abort = nullptr;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* ctx = static_cast<Context*>(user);
  const std::size_t n = size * count;
  if (ctx->response->body.size() + n > ctx->cap) {
    ctx->too_large = true;
    return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
  }
  ctx->response->body.append(data, n);
  return n;
}

bool name_is(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  return std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

std::string_view header_value(std::string_view line, std::size_t name_size) {
  std::string_view v = line.substr(name_size + 1);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ' || v.back() == '\t')) {
    v.remove_suffix(1);
  }
  return v;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* ctx = static_cast<Context*>(user);
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    // A new response (after a 100 Continue, say): headers of the earlier one do not apply.
    ctx->response->etag.clear();
    ctx->response->retry_after.clear();
  } else if (name_is(line, "etag")) {
    const auto v = header_value(line, 4);
    if (v.size() <= kMaxKeptHeaderValue) ctx->response->etag = v;
  } else if (name_is(line, "retry-after")) {
    const auto v = header_value(line, 11);
    if (v.size() <= kMaxKeptHeaderValue) ctx->response->retry_after = v;
  }
  return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* ctx = static_cast<Context*>(user);
  return (*ctx->abort)() ? 1 : 0;
}

}  // namespace

struct HttpTransfer::Handles {
  std::unique_ptr<CURLM, MultiDeleter> multi;
  std::unique_ptr<CURL, EasyDeleter> easy;
};

HttpTransfer::HttpTransfer(Settings settings, std::function<bool()> abort)
    : settings_(std::move(settings)), abort_(std::move(abort)), handles_(std::make_unique<Handles>()) {
  global_init_once();
  handles_->multi.reset(curl_multi_init());
  handles_->easy.reset(curl_easy_init());
}

HttpTransfer::~HttpTransfer() = default;

void HttpTransfer::wake() {
  if (handles_->multi) curl_multi_wakeup(handles_->multi.get());
}

HttpResponse HttpTransfer::perform(const HttpRequest& request) {
  HttpResponse response;
  CURLM* multi = handles_->multi.get();
  CURL* easy = handles_->easy.get();
  if (multi == nullptr || easy == nullptr) {
    response.error = "libcurl could not be initialised";
    return response;
  }
  if (abort_()) {
    response.outcome = HttpResponse::Outcome::aborted;
    return response;
  }

  Context ctx{&response, settings_.max_response_bytes, false, &abort_};
  std::array<char, CURL_ERROR_SIZE> error{};

  SlistPtr headers;
  auto add_header = [&headers](const std::string& line) {
    curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
    if (grown != nullptr) {
      (void)headers.release();
      headers.reset(grown);
    }
  };
  if (!settings_.authorization.empty()) add_header(settings_.authorization);
  add_header("Accept: " + settings_.accept);
  for (const auto& h : request.headers) add_header(h);
  if (request.method == HttpRequest::Method::post && !request.json_body.empty()) {
    add_header("Content-Type: application/json");
  }
  if (request.method == HttpRequest::Method::post) {
    add_header("Expect:");  // no 100-continue round trip for a few bytes of JSON
  }

  // Reset per request: no option of an earlier request leaks into this one. The connection
  // cache lives in the multi handle, so keep-alive survives the reset.
  curl_easy_reset(easy);
  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, request.max_redirects > 0 ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_MAXREDIRS, static_cast<long>(std::max(request.max_redirects, 0)));
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings_.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl decodes
  curl_easy_setopt(easy, CURLOPT_USERAGENT, settings_.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(settings_.max_response_bytes));
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &ctx);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &ctx);
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &ctx);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error.data());
  if (request.method == HttpRequest::Method::post) {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.json_body.size()));
    curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, request.json_body.c_str());
  }

  CURLcode result = CURLE_OK;
  bool done = false;
  bool aborted = false;
  curl_multi_add_handle(multi, easy);
  for (;;) {
    int running = 0;
    if (curl_multi_perform(multi, &running) != CURLM_OK) {
      result = CURLE_FAILED_INIT;
      break;
    }
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg == CURLMSG_DONE && msg->easy_handle == easy) {
        result = msg->data.result;
        done = true;
      }
    }
    if (done) break;
    if (running == 0) {
      result = CURLE_FAILED_INIT;
      break;
    }
    if (abort_()) {
      aborted = true;
      break;
    }
    curl_multi_poll(multi, nullptr, 0, kPollMs, nullptr);
  }
  curl_multi_remove_handle(multi, easy);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);

  if (aborted || result == CURLE_ABORTED_BY_CALLBACK) {
    response.outcome = HttpResponse::Outcome::aborted;
  } else if (ctx.too_large || result == CURLE_FILESIZE_EXCEEDED) {
    response.outcome = HttpResponse::Outcome::too_large;
    response.error = "the response passed the size cap";
  } else if (result != CURLE_OK) {
    response.outcome = HttpResponse::Outcome::failed;
    response.error = error[0] != '\0' ? std::string(error.data()) : std::string(curl_easy_strerror(result));
  } else {
    response.outcome = HttpResponse::Outcome::completed;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
  }
  if (response.outcome != HttpResponse::Outcome::completed) response.body.clear();
  return response;
}

std::string HttpTransfer::escape(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace cunbo
