// The end-of-session summary the studio shows and saves: how long each product was presented
// and what sold, from the studio's own record of the session (SessionStory), written as pretty
// JSON beside the recording (<recording>.summary.json).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/platform/platform_feed.h"

namespace cunbo {

// What the end-of-session summary holds; also saved as <recording>.summary.json.
struct SessionSummary {
  std::filesystem::path recording;  // empty without one
  double duration_s = 0;
  int64_t orders = 0;
  int64_t items = 0;
  int64_t gmv_cents = 0;
  struct Presented {
    std::string product_id;
    std::string title;
    double seconds = 0;
    int64_t orders = 0;
  };
  std::vector<Presented> presented;  // per product, in the order first presented
  int64_t frames_dropped = 0;        // by the encoder pipeline (too slow)
  int64_t network_drops = 0;         // by the outputs (weak network), all destinations
  int64_t reconnects = 0;            // all destinations
  bool practice = false;
};


// What happened during one live session. Times are session time (µs). Not thread-safe: the
// studio guards it with its model's lock.
class SessionStory {
 public:
  // The card on screen from `at_us` on (nullopt: none). The same card again changes nothing.
  void presented(const std::optional<std::string>& product_id, int64_t at_us);
  void sold(const Order& order);

  // Orders, items, GMV, and per product presented (in the order first presented) its seconds on
  // screen until `end_us` and its orders; titles from `title_of`.
  void fill(SessionSummary& summary, int64_t end_us,
            const std::function<std::string(const std::string&)>& title_of) const;

 private:
  struct Shown {
    int64_t at_us = 0;
    std::optional<std::string> product_id;
  };
  struct Sold {
    int64_t orders = 0;
    int64_t items = 0;
    int64_t cents = 0;
  };
  std::vector<Shown> timeline_;
  std::map<std::string, Sold> per_product_;
  Sold total_;
};

// <recording>.summary.json; without a recording, beside the event log
// (<name>.events.jsonl → <name>.summary.json).
[[nodiscard]] std::filesystem::path summary_path(const std::filesystem::path& recording,
                                                 const std::filesystem::path& event_log);
[[nodiscard]] std::string summary_json_text(const SessionSummary& summary);
// Written whole or not at all (temp file, then rename). False (and a logged reason) on failure.
bool save_summary(const std::filesystem::path& path, const SessionSummary& summary);

}  // namespace cunbo
