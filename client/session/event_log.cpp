#include "client/session/event_log.h"

#include <spdlog/spdlog.h>

namespace cunbo {

EventLog::EventLog(const std::filesystem::path& path, std::function<int64_t()> elapsed_us)
    : path_(path), elapsed_us_(std::move(elapsed_us)), file_(std::fopen(path.c_str(), "we")) {
  if (!file_) spdlog::warn("[events] cannot write {}", path.string());
}

EventLog::~EventLog() {
  if (file_) std::fclose(file_);
}

void EventLog::write(nlohmann::json event) {
  nlohmann::json line = {{"t", static_cast<double>(elapsed_us_()) / 1e6}};
  line.update(event);
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mutex_);
  if (!file_) return;
  std::fputs(text.c_str(), file_);
  std::fflush(file_);
}

}  // namespace cunbo
