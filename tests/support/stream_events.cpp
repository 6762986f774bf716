#include "tests/support/stream_events.h"

#include <fstream>
#include <sstream>

namespace cunbo::test {

namespace {

bool about(const nlohmann::json& e, int dest) {
  return dest <= 0 || (e.contains("dest") && e["dest"].is_number() && e["dest"].get<int>() == dest);
}

}  // namespace

std::filesystem::path event_log_path(const std::filesystem::path& recording) {
  return recording.string() + ".events.jsonl";
}

EventLog read_event_log(const std::filesystem::path& path) {
  EventLog log;
  std::ifstream in(path, std::ios::binary);
  if (!in) return log;
  std::ostringstream all;
  all << in.rdbuf();
  log.text = all.str();
  std::size_t start = 0;
  for (std::size_t end = log.text.find('\n'); end != std::string::npos; end = log.text.find('\n', start)) {
    const std::string_view line(log.text.data() + start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    nlohmann::json value = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (value.is_object()) {
      log.events.push_back(std::move(value));
    } else {
      log.bad_lines.emplace_back(line);
    }
  }
  // Whatever follows the last newline is a line still being written.
  return log;
}

std::vector<nlohmann::json> EventLog::of(std::string_view name, int dest) const {
  std::vector<nlohmann::json> found;
  for (const nlohmann::json& e : events) {
    if (event_text(e, "event") == name && about(e, dest)) found.push_back(e);
  }
  return found;
}

std::vector<std::string> EventLog::states(int dest) const {
  std::vector<std::string> found;
  for (const nlohmann::json& e : of("state", dest)) found.push_back(event_text(e, "state"));
  return found;
}

std::optional<nlohmann::json> EventLog::first(std::string_view name, int dest, std::string_view state) const {
  for (const nlohmann::json& e : events) {
    if (event_text(e, "event") == name && about(e, dest) && (state.empty() || event_text(e, "state") == state)) return e;
  }
  return std::nullopt;
}

double EventLog::last_t() const {
  double t = -1;
  for (const nlohmann::json& e : events) t = std::max(t, event_number(e, "t"));
  return t;
}

double event_number(const nlohmann::json& event, const char* field, double fallback) {
  const auto it = event.find(field);
  return it != event.end() && it->is_number() ? it->get<double>() : fallback;
}

std::string event_text(const nlohmann::json& event, const char* field) {
  const auto it = event.find(field);
  return it != event.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace cunbo::test
