// The headless sub-commands. Each returns the process exit status (client/exit_codes.h) and
// prints host-facing text only through the string table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client/base/console.h"
#include "client/config/config.h"
#include "client/studio/session_setup.h"

namespace CLI {
class App;
}

namespace cunbo {

struct PracticeFlags {
  CaptureFlags capture;
  std::optional<std::string> out;
  std::optional<double> rotate;  // seconds per product; the simulated host moves through the catalog
  // The simulated shop: its catalog, how busy it is, and a seed to replay a session.
  std::optional<std::string> catalog;
  std::optional<double> orders_per_minute;
  std::optional<double> comments_per_minute;
  std::optional<uint64_t> seed;
};

struct StreamFlags {
  CaptureFlags capture;
  std::vector<std::string> dest;
  std::optional<std::string> key_file;
  std::optional<std::string> record;
  bool no_record = false;
  std::optional<std::string> bitrate;
  bool no_abr = false;
  std::optional<std::string> catalog;  // products for the cards when no platform is configured
  std::string version;                 // CUNBO_VERSION, for the User-Agent
};

// `cunbo feed`: the platform's (or the simulator's) products, then orders, comments and state
// changes as they come, one per line. A token never comes from argv: --token-file or config.
struct FeedFlags {
  std::optional<std::string> api;
  std::optional<std::string> token_file;
  bool practice = false;
  std::optional<uint64_t> seed;
  std::optional<std::string> duration;  // validated here, so the message is ours
  std::optional<std::string> catalog;
  std::optional<double> orders_per_minute;
  std::optional<double> comments_per_minute;
  std::string version;  // CUNBO_VERSION, for the User-Agent
};

// Adds the `feed` sub-command and its options to `app`; main.cpp dispatches to run_feed.
CLI::App* add_feed_command(CLI::App& app, FeedFlags& flags);

[[nodiscard]] int run_practice(const PracticeFlags& flags, const Config& config);
[[nodiscard]] int run_stream(const StreamFlags& flags, const Config& config);
[[nodiscard]] int run_feed(const FeedFlags& flags, const Config& config);
[[nodiscard]] int run_config_set(const std::string& key, const std::string& value);
[[nodiscard]] int run_config_show();

// `cunbo probe [--seconds N] [--json] [--save]`.
struct ProbeFlags {
  double seconds = 10;
  bool json = false;
  bool save = false;  // write the chosen quality into the config file
};

// Adds the `probe` sub-command and its options to `app`; main.cpp dispatches to run_probe.
CLI::App* add_probe_command(CLI::App& app, ProbeFlags& flags);
// Runs the test (Ctrl-C cancels it) and returns the exit status.
[[nodiscard]] int run_probe(const ProbeFlags& flags);

}  // namespace cunbo
