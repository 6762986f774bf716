// The session's event log: JSON lines beside the recording (<recording>.events.jsonl), one
// object per event with "t" = seconds since the session started. The session report reads
// it. Thread-safe; each line is flushed as it is written, so a crash keeps what happened.
// Never given a secret: URLs come masked.
#pragma once

#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>

#include <nlohmann/json.hpp>

namespace cunbo {

class EventLog {
 public:
  // `elapsed_us` gives the session time for "t". A log that cannot be opened writes nothing.
  EventLog(const std::filesystem::path& path, std::function<int64_t()> elapsed_us);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  void write(nlohmann::json event);
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::function<int64_t()> elapsed_us_;
  std::mutex mutex_;
  std::FILE* file_ = nullptr;
};

}  // namespace cunbo
