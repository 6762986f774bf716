// One HTTP request at a time over libcurl, the way a careful client makes it: TLS verified
// (libcurl's defaults, never turned off), the system proxy settings (http_proxy, https_proxy,
// no_proxy) respected, http/https only, gzip/deflate/br accepted, connect and total timeouts,
// a cap on the (decoded) body, no signals. No redirect is followed unless the request allows a
// bounded number (image CDNs redirect; the platform API does not, and its requests never
// allow one). Mechanism only: what a status code means is the caller's business (HttpPlatform,
// the image fetch).
//
// A transfer runs on a curl multi handle, so any thread may wake() it: the running request is
// abandoned at once (when `abort` says so) instead of at the next progress tick. The multi
// handle keeps the connection (keep-alive) between requests.
// Thread-safety: perform() from one thread at a time; wake() from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cunbo {

struct HttpRequest {
  enum class Method { get, post };
  Method method = Method::get;
  std::string url;
  std::string json_body;             // sent with post, as application/json
  std::vector<std::string> headers;  // extra header lines ("If-None-Match: ...")
  std::chrono::milliseconds timeout{15'000};  // the whole request, connect included
  // Redirects followed, to http/https only; 0 answers a 3xx as it is. A redirect to another
  // host never carries Settings::authorization (libcurl drops it; UNRESTRICTED_AUTH stays off).
  int max_redirects = 0;
};

struct HttpResponse {
  enum class Outcome {
    completed,  // a status came back: look at `status`
    failed,     // connect/TLS/timeout/reset/bad encoding: `error` says which
    too_large,  // the body passed the cap: abandoned
    aborted,    // `abort` said stop
  };
  Outcome outcome = Outcome::failed;
  long status = 0;
  std::string body;
  std::string etag;         // the ETag header, if any
  std::string retry_after;  // the Retry-After header, if any
  std::string error;        // libcurl's words (never a header value: no token in here)
};

class HttpTransfer {
 public:
  struct Settings {
    // The whole header line, "Authorization: Bearer …" (a secret); empty: none is sent (an
    // image CDN must never see the platform's token).
    std::string authorization;
    std::string user_agent;
    std::chrono::milliseconds connect_timeout{10'000};
    std::size_t max_response_bytes = std::size_t{4} << 20;
    std::string accept = "application/json";  // the Accept header's value
  };
  // `abort` is asked while waiting (and after every wake()): true abandons the request.
  HttpTransfer(Settings settings, std::function<bool()> abort);
  ~HttpTransfer();
  HttpTransfer(const HttpTransfer&) = delete;
  HttpTransfer& operator=(const HttpTransfer&) = delete;

  [[nodiscard]] HttpResponse perform(const HttpRequest& request);
  // Makes a waiting perform() look at `abort` now. Any thread, any time.
  void wake();

  // Percent-encodes a query or path component.
  [[nodiscard]] static std::string escape(const std::string& s);

 private:
  struct Handles;
  Settings settings_;
  std::function<bool()> abort_;
  std::unique_ptr<Handles> handles_;
};

}  // namespace cunbo
