#include "client/session/event_log.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "client/base/files.h"
#include "media/thread_name.h"

namespace cunbo {

namespace {

using nlohmann::json;

template <typename T>
void put_optional(json& j, const char* key, const std::optional<T>& value) {
  if (value) j[key] = *value;
}

json to_json(const event::Encoder& e) {
  return {{"event", "encoder"}, {"video_encoders", e.video_encoders}, {"width", e.width}, {"height", e.height},
          {"fps", e.fps}, {"kbps", e.kbps}, {"destinations", e.destinations}, {"recording", e.recording}};
}
json to_json(const event::Sources& e) {
  json j = {{"event", "sources"}, {"reused", e.reused}};
  put_optional(j, "since_request_ms", e.since_request_ms);
  return j;
}
json to_json(const event::DestinationState& e) {
  json j = {{"event", "state"}, {"dest", e.dest}, {"url", e.url}, {"state", e.state}};
  put_optional(j, "reason", e.reason);
  put_optional(j, "attempt", e.attempt);
  put_optional(j, "retry_in_s", e.retry_in_s);
  return j;
}
json to_json(const event::Queue& e) {
  return {{"event", "queue"}, {"dest", e.dest}, {"ms", e.ms}, {"kbps", e.kbps}, {"state", e.state}};
}
json to_json(const event::Drops& e) { return {{"event", "drop"}, {"dest", e.dest}, {"count", e.count}}; }
json to_json(const event::Local& e) {
  json j = {{"event", "local"}, {"what", e.what}, {"state", e.state}};
  if (e.recorded_until_s) j["recorded_until_s"] = *e.recorded_until_s;
  return j;
}
json to_json(const event::Skip& e) {
  return {{"event", "skip"}, {"dest", e.dest}, {"count", e.count}, {"skipped_s", e.skipped_s}};
}
json to_json(const event::Bitrate& e) { return {{"event", "bitrate"}, {"kbps", e.kbps}}; }
json to_json(const event::FrameRate& e) { return {{"event", "frame_rate"}, {"fps", e.fps}}; }
json to_json(const event::OwnEncode& e) {
  return {{"event", "own_encode"}, {"dest", e.dest}, {"state", e.state}, {"kbps", e.kbps}};
}
json to_json(const event::Order& e) {
  return {{"event", "order"}, {"id", e.id}, {"product_id", e.product_id}, {"quantity", e.quantity},
          {"amount_cents", e.amount_cents}, {"currency", e.currency}};
}
json to_json(const event::Comment& e) { return {{"event", "comment"}, {"id", e.id}, {"text", e.text}}; }
json to_json(const event::Feed& e) { return {{"event", "feed"}, {"state", e.state}}; }
json to_json(const event::Showcase& e) {
  return {{"event", "showcase"}, {"product_id", e.product_id ? json(*e.product_id) : json(nullptr)}};
}
json to_json(const event::ShowcaseMissing& e) { return {{"event", "showcase_missing"}, {"product_id", e.product_id}}; }
json to_json(const event::DestinationSummary& e) {
  return {{"event", "summary"}, {"dest", e.dest}, {"connections", e.connections}, {"drops", e.drops},
          {"bytes", e.bytes}, {"latency_p50_ms", e.latency_p50_ms}, {"latency_p95_ms", e.latency_p95_ms},
          {"key_rejected", e.key_rejected}};
}
json to_json(const event::Finished& e) {
  return {{"event", "finished"}, {"end_s", e.end_s}, {"frames", e.frames}, {"dropped", e.dropped}};
}

}  // namespace

std::string event_json_text(double t_s, const event::Event& event) {
  json line = std::visit([](const auto& e) { return to_json(e); }, event);
  line["t"] = t_s;
  // Text from outside (comments, product ids) may hold invalid UTF-8: replaced, never thrown.
  return line.dump(-1, ' ', false, json::error_handler_t::replace);
}

EventLog::EventLog(const std::filesystem::path& path, const SessionClock& clock)
    : path_(path), clock_(clock), file_(open_c_file(path, "w")) {
  if (!file_) spdlog::warn("[events] cannot write {}", path.string());
}

EventLog::~EventLog() {
  request_stop();
  join();
  if (file_) std::fclose(file_);
}

void EventLog::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] {
    name_this_thread("event log");
    run();
  });
}

void EventLog::request_stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void EventLog::join() {
  if (thread_.joinable()) thread_.join();
}

void EventLog::post(event::Event event) {
  const int64_t origin = origin_us_.load();
  const int64_t t_us = origin == kNoOrigin ? 0 : clock_.now_us() - origin;
  {
    const std::lock_guard lock(mutex_);
    if (queue_.size() >= kMaxQueued) {
      lost_.fetch_add(1);
      return;
    }
    queue_.push_back({t_us, std::move(event)});
  }
  wake_.notify_one();
}

void EventLog::run() {
  bool told = false;
  for (;;) {
    std::deque<Stamped> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stopping, and everything written
      batch.swap(queue_);
    }
    if (!file_) continue;  // could not be opened: said at construction
    for (const Stamped& s : batch) {
      const std::string text = event_json_text(static_cast<double>(s.t_us) / 1e6, s.event) + "\n";
      if (std::fputs(text.c_str(), file_) >= 0 && std::fflush(file_) == 0) continue;
      lost_.fetch_add(1);
      if (!told) {  // a full disk: said once; the session goes on
        spdlog::error("[events] cannot write to {}; event lines are being lost", path_.string());
        told = true;
      }
    }
  }
}

}  // namespace cunbo
