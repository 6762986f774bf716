// The end-of-session summary every face gets (the window shows it; `cunbo practice` and
// `cunbo stream` leave it beside their recording): how long each product was presented and
// what sold (the session's SessionStory with the order book's tally), how each destination
// fared, written as pretty JSON beside the recording (<recording>.summary.json).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "client/platform/platform_feed.h"
#include "client/session/order_book.h"

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
  // How each destination fared, in the order given.
  struct DestinationResult {
    std::string display_url;  // key masked
    int attempts = 0;         // connection attempts
    int failures = 0;         // attempts that failed and connections lost
    int64_t connections = 0;  // publishes the server accepted
    double live_s = 0;        // time media flowed
    int64_t bytes = 0;
    int64_t drops = 0;
    bool key_rejected = false;
    std::string last_failure;     // why the last attempt failed or the link went down ("refused"), or empty
    int64_t latency_p50_ms = -1;  // capture → socket
    int64_t latency_p95_ms = -1;
  };
  std::vector<DestinationResult> destinations;
  bool recording_failed = false;  // the disk failed: the recording stops where it did
  double recording_until_s = 0;   // the recording holds the session up to here (all of it unless it failed)
  int camera_losses = 0;          // times the camera went away (each reopened, or not, on its own)
  int mic_losses = 0;
  int encoder_restarts = 0;     // the video encoder failed and was reopened (the picture went on)
  bool encoder_failed = false;  // it failed for good: the session ended there
  int64_t event_lines_lost = 0;  // the event log could not keep up or write
};

// Which card was up when, during one session. Times are session time (µs). Not thread-safe:
// the session guards it.
class SessionStory {
 public:
  // The card on screen from `at_us` on (nullopt: none). The same card again changes nothing.
  void presented(const std::optional<std::string>& product_id, int64_t at_us);

  // Orders, items, GMV (from `sold`: what the order book gained during the session), and per
  // product presented (in the order first presented) its seconds on screen until `end_us` and
  // its orders; titles from `title_of`.
  void fill(SessionSummary& summary, int64_t end_us, const Tally& sold,
            const std::function<std::string(const std::string&)>& title_of) const;

 private:
  struct Shown {
    int64_t at_us = 0;
    std::optional<std::string> product_id;
  };
  std::vector<Shown> timeline_;
};

// <recording>.summary.json; without a recording, beside the event log
// (<name>.events.jsonl → <name>.summary.json).
[[nodiscard]] std::filesystem::path summary_path(const std::filesystem::path& recording,
                                                 const std::filesystem::path& event_log);
[[nodiscard]] std::string summary_json_text(const SessionSummary& summary);
// Written whole or not at all (temp file, then rename). False (and a logged reason) on failure.
bool save_summary(const std::filesystem::path& path, const SessionSummary& summary);

}  // namespace cunbo
