// The platform API (../shared/platform-api.md) served in-process by cpp-httplib on a free
// loopback port, for tests of HttpPlatform and `cunbo feed`: products with ETag/304, orders
// and comments by long poll with cursors and `wait`, live sessions, the showcase, ending a
// session, and image bytes at /img/NAME (no auth: that is a CDN).
//
// Faults a test switches on: status bursts (the next N requests to a path fail), 429 with a
// Retry-After, an answer slower than the client's timeout, a connection dropped mid-body,
// malformed JSON, a huge body, valid JSON of the wrong shape, orders delivered twice, a token
// that expires mid-session; gzip bodies as a mode.
//
// It records every API request (method, path, query, the headers a client must send, when it
// arrived, what it was answered) but never the Authorization value: only whether it was
// present and whether it was "Bearer <the token>", so a test can check without printing it.
//
// Runs on its own thread from construction to destruction. Thread-safe: the test thread
// configures and reads while the server's threads answer.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/support/wait.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace cunbo::test {

struct PlatformRequest {
  std::string method;
  std::string path;  // "/v1/orders"
  std::map<std::string, std::string> params;  // the decoded query
  std::string raw_target;                     // path and query as sent (to check no secret is in it)
  bool has_authorization = false;
  bool authorized = false;  // "Authorization: Bearer <the server's token>" exactly
  std::string accept;
  std::string accept_encoding;
  std::string user_agent;
  std::string if_none_match;
  std::string body;
  int status = 0;       // what the server answered (0: the connection was dropped or stalled)
  Clock::time_point at;  // when it arrived
};

// One fault, applied to the next request(s) to a path.
struct PlatformFault {
  enum class Kind {
    status,          // answer `status` with an error body
    retry_after,     // 429 with Retry-After: `retry_after` (empty: no header)
    stall,           // hold the answer for `stall`, then answer normally (to a gone client)
    drop_mid_body,   // promise a body, send half of it, close the connection
    malformed_json,  // 200 with a body that is not JSON
    huge_body,       // 200 with `huge_bytes` of (chunked, unannounced length) JSON-ish body
    wrong_shape,     // 200 with JSON whose top-level fields have the wrong types
  };
  Kind kind = Kind::status;
  int status = 500;
  std::string retry_after;
  std::chrono::milliseconds stall{0};
  std::size_t huge_bytes = std::size_t{50} << 20;

  static PlatformFault http_status(int s) { return {Kind::status, s, {}, {}, {}}; }
  static PlatformFault too_many(std::string after) { return {Kind::retry_after, 429, std::move(after), {}, {}}; }
  static PlatformFault slow(std::chrono::milliseconds d) { return {Kind::stall, 200, {}, d, {}}; }
  static PlatformFault drop() { return {Kind::drop_mid_body, 200, {}, {}, {}}; }
  static PlatformFault malformed() { return {Kind::malformed_json, 200, {}, {}, {}}; }
  static PlatformFault huge(std::size_t bytes = std::size_t{50} << 20) {
    return {Kind::huge_body, 200, {}, {}, bytes};
  }
  static PlatformFault wrong_shape() { return {Kind::wrong_shape, 200, {}, {}, {}}; }
};

class PlatformServer {
 public:
  // Starts listening at once; throws std::runtime_error if it cannot. Requests must carry
  // "Authorization: Bearer <token>", else 401 token_invalid. Without keep-alive every answer
  // closes its connection (cpp-httplib polls idle keep-alive connections every 10 ms, which
  // would drown a measurement of the client's idle CPU).
  explicit PlatformServer(std::string token, bool keep_alive = true);
  ~PlatformServer();  // wakes every held request, stops the server and joins its thread
  PlatformServer(const PlatformServer&) = delete;
  PlatformServer& operator=(const PlatformServer&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string base_url() const;  // "http://127.0.0.1:PORT/"

  // ---- Content
  // Where a new live session is told to push ("rtmp://127.0.0.1/live" unless set).
  void set_push_url(std::string url);
  // The JSON array for "products"; each call makes a new ETag.
  void set_products_json(std::string products_array);
  // Appends to the orders (comments) stream and wakes the long polls. `item` is a JSON object
  // as the server sends it (any shape: tests of wrong types pass broken ones). Returns its
  // cursor position.
  int post_order(std::string item);
  int post_comment(std::string item);
  // A valid order / comment object.
  [[nodiscard]] static std::string order_json(std::string_view id, std::string_view product_id = "p-1",
                                              int quantity = 1, int64_t amount_cents = 3990);
  [[nodiscard]] static std::string comment_json(std::string_view id, std::string_view text = "好吃吗？");
  // Bytes served at /img/NAME (no auth) with that Content-Type.
  void set_image(const std::string& name, std::string bytes, std::string content_type);

  // ---- Faults and modes
  // The next `times` requests whose path is `path` ("/v1/orders", or "" for any API path)
  // meet `fault`. Faults for a path are used in the order they were added.
  void inject(const std::string& path, PlatformFault fault, int times = 1);
  // The next `times` orders answers that carry orders leave the cursor where it was, so those
  // orders come again in the following answer (at-least-once delivery).
  void redeliver_orders(int times);
  // Bodies gzip-compressed (Content-Encoding: gzip) when the client accepts gzip.
  void set_gzip(bool on);
  // From now on every API request gets 401 (`code`: token_expired) or 403 (forbidden).
  void revoke_token(int status = 401);
  // The platform ends a live session on its own: its showcase and end calls get 404.
  void end_session_on_platform(const std::string& session_id);

  // ---- What happened
  [[nodiscard]] std::vector<PlatformRequest> requests() const;
  [[nodiscard]] std::vector<PlatformRequest> requests_to(std::string_view path) const;
  [[nodiscard]] std::size_t count(std::string_view path) const;
  // Waits until at least `n` requests to `path` have arrived (false at the deadline).
  [[nodiscard]] bool wait_for_requests(std::string_view path, std::size_t n, Deadline deadline) const;
  // Long polls being held right now for a path.
  [[nodiscard]] int held_polls(std::string_view path) const;
  // Product ids showcased, in order; sessions started and ended.
  [[nodiscard]] std::vector<std::string> showcased() const;
  [[nodiscard]] std::vector<std::string> ended_sessions() const;
  [[nodiscard]] std::size_t gzipped_responses() const;

 private:
  struct Stream {
    std::vector<std::string> items;  // position i+1 is cursor "c-(i+1)"; the log never shrinks
    int redeliver = 0;
  };

  void handle_api(const httplib::Request& req, httplib::Response& res);
  void handle_image(const httplib::Request& req, httplib::Response& res);
  // Answers an API path; with `lock` held (it may wait on it for a long poll).
  int answer(std::unique_lock<std::mutex>& lock, const httplib::Request& req, httplib::Response& res,
             const std::string& path);
  int answer_stream(std::unique_lock<std::mutex>& lock, const httplib::Request& req, httplib::Response& res,
                    Stream& stream, const std::string& path, const char* list);
  void send_json(const httplib::Request& req, httplib::Response& res, int status, std::string body);
  void send_error(const httplib::Request& req, httplib::Response& res, int status, const std::string& code);
  std::optional<PlatformFault> take_fault(const std::string& path);

  std::string token_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;  // new items, new requests, shutting down
  std::atomic<bool> stopping_{false};  // set under mutex_; read bare by body providers
  std::string products_ = "[]";
  int products_version_ = 1;
  Stream orders_;
  Stream comments_;
  std::map<std::string, std::pair<std::string, std::string>> images_;  // name → (bytes, type)
  std::deque<std::pair<std::string, PlatformFault>> faults_;
  bool gzip_ = false;
  int revoked_status_ = 0;  // 0: the token is good
  int next_session_ = 1;
  std::set<std::string> live_sessions_;
  std::vector<std::string> showcased_;
  std::string push_url_ = "rtmp://127.0.0.1/live";
  std::vector<std::string> ended_;
  std::vector<PlatformRequest> requests_;
  std::map<std::string, int> held_;
  std::size_t gzipped_ = 0;
};

}  // namespace cunbo::test
