#include "tests/support/platform_server.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

#include "tests/support/loopback_http.h"

namespace cunbo::test {

namespace {

// Not "application/json" exactly: cpp-httplib compresses that on its own whenever a client
// accepts gzip or br. With the charset parameter it leaves bodies alone, so gzip is a mode
// this server decides (set_gzip), the way a real platform's CDN might or might not.
constexpr const char* kJsonType = "application/json; charset=utf-8";
constexpr std::size_t kMaxItemsPerPage = 100;
constexpr std::size_t kChunk = 64 * 1024;

std::string error_body(const std::string& code) {
  return nlohmann::json{{"error", {{"code", code}, {"message", "test server: " + code}}}}.dump();
}

std::optional<int> parse_int(const std::string& s) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

PlatformServer::PlatformServer(std::string token, bool keep_alive)
    : token_(std::move(token)), server_(std::make_unique<httplib::Server>()) {
  // Long polls hold a worker each: room for several clients' worth.
  server_->new_task_queue = [] { return new httplib::ThreadPool(64); };
  if (!keep_alive) server_->set_keep_alive_max_count(1);
  // Headers and body go out in separate writes: with Nagle on, the body waits for the
  // client's delayed ACK (40 ms), which would be measured as the client's latency.
  server_->set_tcp_nodelay(true);
  server_->Get(R"(/img/(.+))", [this](const httplib::Request& req, httplib::Response& res) { handle_image(req, res); });
  server_->Get(R"(/v1/.*)", [this](const httplib::Request& req, httplib::Response& res) { handle_api(req, res); });
  server_->Post(R"(/v1/.*)", [this](const httplib::Request& req, httplib::Response& res) { handle_api(req, res); });
  port_ = serve_on_loopback(*server_, thread_, "platform server");
}

PlatformServer::~PlatformServer() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string PlatformServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

// ---- Content -------------------------------------------------------------------------------

void PlatformServer::set_push_url(std::string url) {
  const std::lock_guard lock(mutex_);
  push_url_ = std::move(url);
}

void PlatformServer::set_products_json(std::string products_array) {
  const std::lock_guard lock(mutex_);
  products_ = std::move(products_array);
  ++products_version_;
}

int PlatformServer::post_order(std::string item) {
  int position = 0;
  {
    const std::lock_guard lock(mutex_);
    orders_.items.push_back(std::move(item));
    position = static_cast<int>(orders_.items.size());
  }
  changed_.notify_all();
  return position;
}

int PlatformServer::post_comment(std::string item) {
  int position = 0;
  {
    const std::lock_guard lock(mutex_);
    comments_.items.push_back(std::move(item));
    position = static_cast<int>(comments_.items.size());
  }
  changed_.notify_all();
  return position;
}

std::string PlatformServer::order_json(std::string_view id, std::string_view product_id, int quantity,
                                       int64_t amount_cents) {
  return nlohmann::json{{"id", id},
                        {"product_id", product_id},
                        {"buyer", "张**"},
                        {"quantity", quantity},
                        {"amount_cents", amount_cents},
                        {"currency", "CNY"},
                        {"created_at", "2026-11-29T08:01:02+08:00"}}
      .dump();
}

std::string PlatformServer::comment_json(std::string_view id, std::string_view text) {
  return nlohmann::json{{"id", id}, {"user", "李**"}, {"text", text}, {"created_at", "2026-11-29T08:01:02+08:00"}}
      .dump();
}

void PlatformServer::set_image(const std::string& name, std::string bytes, std::string content_type) {
  const std::lock_guard lock(mutex_);
  images_[name] = {std::move(bytes), std::move(content_type)};
}

// ---- Faults and modes ----------------------------------------------------------------------

void PlatformServer::inject(const std::string& path, PlatformFault fault, int times) {
  const std::lock_guard lock(mutex_);
  for (int i = 0; i < times; ++i) faults_.emplace_back(path, fault);
}

void PlatformServer::redeliver_orders(int times) {
  const std::lock_guard lock(mutex_);
  orders_.redeliver += times;
}

void PlatformServer::set_gzip(bool on) {
  const std::lock_guard lock(mutex_);
  gzip_ = on;
}

void PlatformServer::revoke_token(int status) {
  {
    const std::lock_guard lock(mutex_);
    revoked_status_ = status;
  }
  changed_.notify_all();
}

void PlatformServer::end_session_on_platform(const std::string& session_id) {
  const std::lock_guard lock(mutex_);
  live_sessions_.erase(session_id);
}

std::optional<PlatformFault> PlatformServer::take_fault(const std::string& path) {
  const auto it = std::find_if(faults_.begin(), faults_.end(),
                               [&](const auto& f) { return f.first.empty() || f.first == path; });
  if (it == faults_.end()) return std::nullopt;
  PlatformFault fault = it->second;
  faults_.erase(it);
  return fault;
}

// ---- What happened ---------------------------------------------------------------------------

std::vector<PlatformRequest> PlatformServer::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

std::vector<PlatformRequest> PlatformServer::requests_to(std::string_view path) const {
  const std::lock_guard lock(mutex_);
  std::vector<PlatformRequest> out;
  for (const auto& r : requests_) {
    if (r.path == path) out.push_back(r);
  }
  return out;
}

std::size_t PlatformServer::count(std::string_view path) const {
  const std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(requests_.begin(), requests_.end(), [&](const auto& r) { return r.path == path; }));
}

bool PlatformServer::wait_for_requests(std::string_view path, std::size_t n, Deadline deadline) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, deadline, [&] {
    return static_cast<std::size_t>(std::count_if(requests_.begin(), requests_.end(),
                                                  [&](const auto& r) { return r.path == path; })) >= n;
  });
}

int PlatformServer::held_polls(std::string_view path) const {
  const std::lock_guard lock(mutex_);
  const auto it = held_.find(std::string(path));
  return it == held_.end() ? 0 : it->second;
}

std::vector<std::string> PlatformServer::showcased() const {
  const std::lock_guard lock(mutex_);
  return showcased_;
}

std::vector<std::string> PlatformServer::ended_sessions() const {
  const std::lock_guard lock(mutex_);
  return ended_;
}

std::size_t PlatformServer::gzipped_responses() const {
  const std::lock_guard lock(mutex_);
  return gzipped_;
}

// ---- Answering -------------------------------------------------------------------------------

void PlatformServer::handle_image(const httplib::Request& req, httplib::Response& res) {
  const std::string name = req.matches.size() > 1 ? std::string(req.matches[1]) : std::string();
  const std::lock_guard lock(mutex_);
  PlatformRequest rec;
  rec.method = req.method;
  rec.path = req.path;
  rec.raw_target = req.target;
  rec.user_agent = req.get_header_value("User-Agent");
  rec.at = Clock::now();
  const auto it = images_.find(name);
  if (it == images_.end()) {
    res.status = 404;
  } else {
    res.status = 200;
    res.set_content(it->second.first, it->second.second.c_str());
  }
  rec.status = res.status;
  requests_.push_back(std::move(rec));
  changed_.notify_all();
}

void PlatformServer::handle_api(const httplib::Request& req, httplib::Response& res) {
  PlatformRequest rec;
  rec.method = req.method;
  rec.path = req.path;
  rec.raw_target = req.target;
  for (const auto& [k, v] : req.params) rec.params[k] = v;
  const std::string authorization = req.get_header_value("Authorization");
  rec.has_authorization = req.has_header("Authorization");
  rec.authorized = authorization == "Bearer " + token_;
  rec.accept = req.get_header_value("Accept");
  rec.accept_encoding = req.get_header_value("Accept-Encoding");
  rec.user_agent = req.get_header_value("User-Agent");
  rec.if_none_match = req.get_header_value("If-None-Match");
  rec.body = req.body;
  rec.at = Clock::now();

  std::unique_lock lock(mutex_);
  const std::size_t index = requests_.size();
  requests_.push_back(std::move(rec));
  changed_.notify_all();
  const int status = answer(lock, req, res, req.path);
  requests_[index].status = status;
  changed_.notify_all();
}

void PlatformServer::send_json(const httplib::Request& req, httplib::Response& res, int status, std::string body) {
  res.status = status;
  if (gzip_ && req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos) {
    std::string compressed;
    httplib::detail::gzip_compressor gz;
    const bool ok = gz.compress(body.data(), body.size(), true, [&](const char* data, size_t n) {
      compressed.append(data, n);
      return true;
    });
    if (ok) {
      res.set_header("Content-Encoding", "gzip");
      ++gzipped_;
      body = std::move(compressed);
    }
  }
  res.set_content(body, kJsonType);
}

void PlatformServer::send_error(const httplib::Request& req, httplib::Response& res, int status,
                                const std::string& code) {
  send_json(req, res, status, error_body(code));
}

int PlatformServer::answer(std::unique_lock<std::mutex>& lock, const httplib::Request& req, httplib::Response& res,
                           const std::string& path) {
  if (req.get_header_value("Authorization") != "Bearer " + token_) {
    send_error(req, res, 401, "token_invalid");
    return 401;
  }
  if (revoked_status_ != 0) {
    send_error(req, res, revoked_status_, revoked_status_ == 403 ? "forbidden" : "token_expired");
    return revoked_status_;
  }

  if (auto fault = take_fault(path)) {
    using K = PlatformFault::Kind;
    switch (fault->kind) {
      case K::status:
        send_error(req, res, fault->status, fault->status >= 500 ? "internal" : "test_fault");
        return fault->status;
      case K::retry_after:
        if (!fault->retry_after.empty()) res.set_header("Retry-After", fault->retry_after);
        send_error(req, res, 429, "rate_limited");
        return 429;
      case K::stall: {
        const auto until = Clock::now() + fault->stall;
        changed_.wait_until(lock, until, [this] { return stopping_.load(); });
        break;  // then answer normally, to a client that has given up
      }
      case K::drop_mid_body: {
        auto body = std::make_shared<std::string>(R"({"orders":[],"comments":[],"products":[],"next":"c-0"})");
        body->append(4096, ' ');
        res.status = 200;
        res.set_content_provider(body->size(), kJsonType,
                                 [body](size_t offset, size_t, httplib::DataSink& sink) {
                                   if (offset == 0) sink.write(body->data(), body->size() / 2);
                                   return offset == 0 ? true : false;  // then close: half a body
                                 });
        return 200;
      }
      case K::malformed_json:
        send_json(req, res, 200, R"({"orders": [ {"id": "o-broken", "quantity": )");
        return 200;
      case K::huge_body: {
        const std::size_t total = fault->huge_bytes;
        res.status = 200;
        res.set_chunked_content_provider(kJsonType, [this, total](size_t offset, httplib::DataSink& sink) {
          if (stopping_.load() || offset >= total) {
            sink.done();
            return true;
          }
          std::string chunk = offset == 0 ? std::string(R"({"orders":[)") : std::string();
          chunk.resize(std::min(kChunk, total - offset), ' ');
          return sink.write(chunk.data(), chunk.size());
        });
        return 200;
      }
      case K::wrong_shape:
        send_json(req, res, 200, R"({"orders":"none","comments":7,"products":{"p":1},"next":42,"session_id":[]})");
        return 200;
    }
  }

  if (req.method == "GET" && path == "/v1/products") {
    const std::string etag = "\"v" + std::to_string(products_version_) + "\"";
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      res.set_header("ETag", etag);
      return 304;
    }
    res.set_header("ETag", etag);
    send_json(req, res, 200,
              R"({"products":)" + products_ + R"(,"updated_at":"2026-11-29T08:00:00+08:00"})");
    return 200;
  }
  if (req.method == "GET" && path == "/v1/orders") return answer_stream(lock, req, res, orders_, path, "orders");
  if (req.method == "GET" && path == "/v1/comments") {
    return answer_stream(lock, req, res, comments_, path, "comments");
  }
  if (req.method == "POST" && path == "/v1/live/sessions") {
    const auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("title")) {
      send_error(req, res, 400, "bad_request");
      return 400;
    }
    const std::string id = "s-" + std::to_string(next_session_++);
    live_sessions_.insert(id);
    send_json(req, res, 201,
              nlohmann::json{{"session_id", id},
                             {"push_url", push_url_},
                             {"stream_key", "sk_test_" + id},
                             {"expires_at", "2026-11-29T12:00:00+08:00"}}
                  .dump());
    return 201;
  }
  const std::string prefix = "/v1/live/sessions/";
  if (req.method == "POST" && path.starts_with(prefix)) {
    const std::string rest = path.substr(prefix.size());
    const auto slash = rest.find('/');
    const std::string id = rest.substr(0, slash);
    const std::string action = slash == std::string::npos ? std::string() : rest.substr(slash + 1);
    if (action == "showcase" || action == "end") {
      if (!live_sessions_.contains(id)) {
        send_error(req, res, 404, "session_not_found");
        return 404;
      }
      if (action == "showcase") {
        const auto body = nlohmann::json::parse(req.body, nullptr, false);
        if (body.is_discarded() || !body.is_object() || !body.contains("product_id") ||
            !body["product_id"].is_string()) {
          send_error(req, res, 400, "bad_request");
          return 400;
        }
        showcased_.push_back(body["product_id"].get<std::string>());
      } else {
        live_sessions_.erase(id);
        ended_.push_back(id);
      }
      res.status = 204;
      return 204;
    }
  }
  send_error(req, res, 404, "not_found");
  return 404;
}

int PlatformServer::answer_stream(std::unique_lock<std::mutex>& lock, const httplib::Request& req,
                                  httplib::Response& res, Stream& stream, const std::string& path, const char* list) {
  std::size_t position = stream.items.size();  // no `after`: from now
  if (req.has_param("after")) {
    const std::string after = req.get_param_value("after");
    const auto n = after.starts_with("c-") ? parse_int(after.substr(2)) : std::nullopt;
    if (!n || *n < 0 || static_cast<std::size_t>(*n) > stream.items.size()) {
      send_error(req, res, 400, "bad_cursor");
      return 400;
    }
    position = static_cast<std::size_t>(*n);
  }
  int wait_s = 0;
  if (req.has_param("wait")) {
    const auto w = parse_int(req.get_param_value("wait"));
    if (!w || *w < 0 || *w > 30) {
      send_error(req, res, 400, "bad_wait");
      return 400;
    }
    wait_s = *w;
  }

  ++held_[path];
  changed_.notify_all();
  changed_.wait_until(lock, Clock::now() + std::chrono::seconds(wait_s), [&] {
    return stopping_.load() || stream.items.size() > position || revoked_status_ != 0;
  });
  --held_[path];
  if (revoked_status_ != 0) {
    send_error(req, res, revoked_status_, revoked_status_ == 403 ? "forbidden" : "token_expired");
    return revoked_status_;
  }

  const std::size_t end = std::min(stream.items.size(), position + kMaxItemsPerPage);
  std::string body = std::string("{\"") + list + "\":[";
  for (std::size_t i = position; i < end; ++i) {
    if (i > position) body += ',';
    body += stream.items[i];
  }
  std::size_t next = end;
  if (end > position && stream.redeliver > 0) {
    --stream.redeliver;
    next = position;  // the cursor stays: these come again
  }
  body += "],\"next\":\"c-" + std::to_string(next) + "\"}";
  send_json(req, res, 200, std::move(body));
  return 200;
}

}  // namespace cunbo::test
