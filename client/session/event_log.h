// The session's event log: JSON lines beside the recording (<recording>.events.jsonl), one
// object per event (client/session/events.h) with "t" = seconds since the session started.
//
// Off the hot threads: post() only stamps the event and puts it in a bounded queue; one writer
// thread ("event log") turns events into lines and writes and flushes them, so a crash keeps
// what was written and a slow or full disk never holds up the video, audio, output, feed or UI
// threads. When the queue is full, or the disk refuses a line, the line is lost and counted
// (lost_lines()); media never waits for the log.
//
// Lifecycle: construct (opens the file), start(), post() from any thread, request_stop(),
// join() (writes what is queued, then closes). Events posted before start() wait in the queue.
// Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <limits>
#include <mutex>
#include <thread>

#include "client/session/events.h"
#include "media/session_clock.h"

namespace cunbo {

class EventLog {
 public:
  // Enough for minutes of a stalled disk at the session's few events a second.
  static constexpr size_t kMaxQueued = 4096;

  // A log that cannot be opened writes nothing (said once in the log).
  EventLog(const std::filesystem::path& path, const SessionClock& clock);
  ~EventLog();  // request_stop() + join()
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  void start();
  void request_stop();
  void join();

  // Session time 0 on the session clock; until set, events carry t = 0.
  void set_origin(int64_t origin_us) { origin_us_.store(origin_us); }
  // Never blocks on the disk.
  void post(event::Event event);

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] int64_t lost_lines() const { return lost_.load(); }

 private:
  struct Stamped {
    int64_t t_us = 0;
    event::Event event;
  };
  void run();

  std::filesystem::path path_;
  const SessionClock& clock_;
  static constexpr int64_t kNoOrigin = std::numeric_limits<int64_t>::min();
  std::atomic<int64_t> origin_us_{kNoOrigin};
  std::atomic<int64_t> lost_{0};
  std::FILE* file_ = nullptr;  // writer thread only once started

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Stamped> queue_;  // guarded by mutex_
  bool stopping_ = false;      // guarded by mutex_
  std::thread thread_;
};

// One event as its JSON line's object (without "t"); for the writer and for tests.
[[nodiscard]] std::string event_json_text(double t_s, const event::Event& event);

}  // namespace cunbo
