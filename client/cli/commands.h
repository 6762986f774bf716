// The headless sub-commands. Each returns the process exit status (client/exit_codes.h) and
// prints host-facing text only through the string table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client/base/console.h"
#include "client/config/config.h"
#include "client/cli/typed_values.h"
#include "client/studio/session_setup.h"

namespace CLI {
class App;
}

namespace cunbo {

// Numbers are kept as typed and read by the command (client/cli/typed_values.h), so that a
// wrong one is named in the host's words.
struct PracticeFlags {
  CaptureFlags capture;
  std::optional<std::string> out;
  std::optional<std::string> rotate;  // seconds per product; the simulated host moves through the catalog
  SimulatorFlags simulator;
};

struct StreamFlags {
  CaptureFlags capture;
  std::vector<std::string> dest;
  std::optional<std::string> key_file;
  std::optional<std::string> ca_file;  // rtmps: the CA to trust
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
  std::optional<std::string> duration;
  SimulatorFlags simulator;  // with --practice
  std::string version;  // CUNBO_VERSION, for the User-Agent
};

// `cunbo config set KEY VALUE` / `cunbo config show`.
struct ConfigFlags {
  CLI::App* set = nullptr;  // the sub-commands, to see which was typed
  CLI::App* show = nullptr;
  std::optional<std::string> key;
  std::optional<std::string> value;
};

// `cunbo probe [--seconds N] [--json] [--save]`.
struct ProbeFlags {
  std::optional<std::string> seconds;  // 1–600, default 10
  bool json = false;
  bool save = false;  // write the chosen quality into the config file
  // Also measure the uplink to this push address (empty: the config's first destination).
  std::optional<std::string> uplink;
};

// Each adds a sub-command and its options (--lang bound to `lang`, which every command shares)
// to `app`; main.cpp dispatches to its run_*.
CLI::App* add_practice_command(CLI::App& app, PracticeFlags& flags, std::optional<std::string>& lang);
CLI::App* add_stream_command(CLI::App& app, StreamFlags& flags, std::optional<std::string>& lang);
CLI::App* add_feed_command(CLI::App& app, FeedFlags& flags, std::optional<std::string>& lang);
CLI::App* add_config_command(CLI::App& app, ConfigFlags& flags, std::optional<std::string>& lang);
CLI::App* add_probe_command(CLI::App& app, ProbeFlags& flags, std::optional<std::string>& lang);

// `config` is what load_config_or_defaults gave; its problem was already told (stream refuses
// to go live on a problem that may hide its destinations, see run_stream).
[[nodiscard]] int run_practice(const PracticeFlags& flags, const Config& config);
[[nodiscard]] int run_stream(const StreamFlags& flags, const LoadedConfig& config);
[[nodiscard]] int run_feed(const FeedFlags& flags, const Config& config);
// Sets a value (a config file that cannot be used is kept aside, and said so) or shows the file.
[[nodiscard]] int run_config(const ConfigFlags& flags, const std::optional<ConfigProblem>& problem);
// Runs the test (Ctrl-C cancels it) and returns the exit status.
[[nodiscard]] int run_probe(const ProbeFlags& flags);

}  // namespace cunbo
