// `cunbo probe`: the encode-speed test from the command line, and with --uplink the uplink test
// to a push address (client/studio/uplink_probe.h); the quality chosen fits both. Plain lines in
// the host's language, or one JSON object (--json); --save stores the chosen quality like
// `cunbo config set quality`.
#include <atomic>
#include <cmath>
#include <cstdio>
#include <thread>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "client/cli/command_line.h"
#include "client/cli/commands.h"
#include "client/cli/typed_values.h"
#include "client/config/config.h"
#include "client/session/uplink_memory.h"
#include "client/base/console.h"
#include "client/base/exit_codes.h"
#include "client/studio/probe.h"
#include "client/studio/session_setup.h"
#include "client/studio/uplink_probe.h"
#include "client/base/stop_signals.h"
#include "client/base/strings.h"

namespace cunbo {

namespace {

void print_line(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
}

// 25.7, not 25.700000000000003: JSON readers print what they get.
double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

nlohmann::json to_json(const UplinkResult& uplink) {
  return {{"reached", uplink.reached}, {"kbps", uplink.kbps}, {"saturated", uplink.saturated},
          {"seconds", round_to(uplink.seconds, 1)}, {"failure", uplink.reached ? "" : to_string(uplink.failure)}};
}

// The push address to measure: the one given (its key inline), else the config's first.
std::variant<Destination, int> uplink_destination(const std::string& given, const Config& config) {
  if (!given.empty()) {
    auto made = make_destination(given, std::nullopt);
    if (auto* err = std::get_if<DestinationError>(&made)) {
      print_error(tr(err->id, err->what));
      return exit_code::kUsage;
    }
    return std::get<Destination>(made);
  }
  auto configured = config_destinations(config);
  if (auto* err = std::get_if<SessionError>(&configured)) {
    print_error(err->message);
    return err->exit_code;
  }
  auto& list = std::get<std::vector<Destination>>(configured);
  if (list.empty()) {
    print_error(tr("err.no_dest"));
    return exit_code::kUsage;
  }
  return list.front();
}

nlohmann::json to_json(const ProbeResult& result, bool saved) {
  nlohmann::json presets = nlohmann::json::array();
  for (const PresetSpeed& s : result.speeds) {
    presets.push_back({{"quality", std::string(quality_name(s.quality))},
                       {"fps", round_to(s.fps, 1)},
                       {"realtime", round_to(s.realtime(), 2)},
                       {"frames", s.frames}});
  }
  nlohmann::json out = {{"presets", std::move(presets)}, {"cancelled", result.cancelled}, {"slow", result.slow},
                        {"saved", saved}, {"headroom", kProbeHeadroom}};
  if (result.chosen) {
    const PresetSpeed* speed = result.speed_of(*result.chosen);
    out["quality"] = std::string(quality_name(*result.chosen));
    out["label"] = quality_label(*result.chosen);
    out["realtime"] = speed ? round_to(speed->realtime(), 2) : 0.0;
  } else {
    out["quality"] = nullptr;
  }
  out["second_encode"] = result.room_for_second_encode();
  out["summary"] = probe_summary(result);
  return out;
}

}  // namespace

CLI::App* add_probe_command(CLI::App& app, ProbeFlags& flags, std::optional<std::string>& lang) {
  CLI::App* cmd = app.add_subcommand("probe", tr("probe.cli"));
  cmd->add_option("--seconds", flags.seconds, tr("probe.opt_seconds"))->type_name(tr("cli.type_seconds"));
  cmd->add_flag("--json", flags.json, tr("probe.opt_json"));
  cmd->add_flag("--save", flags.save, tr("probe.opt_save"));
  cmd->add_option("--uplink", flags.uplink, tr("probe.opt_uplink"))->expected(0, 1)->type_name(tr("cli.type_url"));
  add_lang_option(cmd, lang);
  return cmd;
}

int run_probe(const ProbeFlags& flags) {
  double seconds = 10;
  if (flags.seconds) {
    const std::optional<double> given = parse_decimal(*flags.seconds);
    if (!given || !(*given >= 1 && *given <= 600)) {
      print_error(tr("err.bad_probe_seconds", *flags.seconds));
      return exit_code::kUsage;
    }
    seconds = *given;
  }
  const auto budget = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  std::optional<Destination> uplink_to;
  std::string ca_file;
  if (flags.uplink) {
    const Config config = load_config_or_defaults(config_path()).config;
    ca_file = config.ca_file.value_or("");
    auto chosen = uplink_destination(*flags.uplink, config);
    if (const int* code = std::get_if<int>(&chosen)) return *code;
    uplink_to = std::get<Destination>(chosen);
  }
  const bool show_progress = !flags.json && stderr_is_terminal();
  if (!flags.json) {
    print_line(tr("probe.running", static_cast<int>(std::lround(seconds))));
    std::fflush(stdout);
  }

  // The test runs on a worker so that this thread can take Ctrl-C (stop_signals: blocked in
  // every thread, taken here) and cancel it.
  std::atomic<float> progress{0};
  std::atomic<bool> done{false};
  ProbeResult result;
  std::jthread worker([&](std::stop_token stop) {
    result = probe_encode_speed(budget, [&](float p) { progress.store(p); }, stop);
    done.store(true);
  });
  while (!done.load()) {
    if (stop_signals::wait(std::chrono::milliseconds(100))) worker.request_stop();
    if (show_progress) std::fprintf(stderr, "\r%3d%%", static_cast<int>(progress.load() * 100));
  }
  worker.join();
  if (show_progress) std::fputs("\r    \r", stderr);

  // The uplink, with a real publish of a test pattern to the push address (about 8 s).
  std::optional<UplinkResult> uplink;
  if (uplink_to && result.chosen && !result.cancelled) {
    if (!flags.json) {
      print_line(tr("probe.uplink_running", uplink_to->display_url));
      std::fflush(stdout);
    }
    done.store(false);
    std::jthread measuring([&](std::stop_token stop) {
      uplink = probe_uplink(*uplink_to, ca_file, {}, stop);
      remember_uplink(*uplink_to, *uplink, UplinkMemory::default_file());
      done.store(true);
    });
    while (!done.load())
      if (stop_signals::wait(std::chrono::milliseconds(100))) measuring.request_stop();
    measuring.join();
  }
  // What this computer can encode, said as measured; what is saved and used fits the uplink too.
  const std::string speed_summary = probe_summary(result);
  if (uplink && uplink->reached) result.chosen = uplink_choice(*uplink, *result.chosen);

  bool saved = false;
  std::optional<ConfigError> save_error;
  std::optional<KeptAside> broken;
  if (flags.save && result.chosen) {
    save_error = set_config_value(config_path(), "quality", std::string(quality_name(*result.chosen)), &broken);
    if (!save_error)
      save_error = set_config_value(config_path(), "second_encode", result.room_for_second_encode() ? "true" : "false",
                                    nullptr);
    saved = !save_error;
  }
  if (broken) print_warning(config_kept_aside_text(broken->problem, broken->kept));

  if (flags.json) {
    nlohmann::json out = to_json(result, saved);
    out["summary"] = speed_summary;
    if (uplink) {
      out["uplink"] = to_json(*uplink);
      out["uplink"]["summary"] = uplink_summary(*uplink, *result.chosen);
    }
    print_line(out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    for (const PresetSpeed& s : result.speeds) print_line(tr("probe.speed", quality_label(s.quality), s.fps, s.realtime()));
    print_line(speed_summary);
    if (result.chosen) print_line(tr(result.room_for_second_encode() ? "probe.second_encode" : "probe.no_second_encode"));
    if (uplink) print_line(uplink_summary(*uplink, *result.chosen));
    if (saved) print_line(tr("probe.saved", quality_label(*result.chosen), config_path().string()));
  }
  std::fflush(stdout);
  if (save_error) {
    print_error(tr(save_error->id, save_error->what, save_error->detail));
    return exit_code::kFailure;
  }
  if (uplink && !uplink->reached) return exit_code::kFailure;
  return result.chosen ? exit_code::kOk : exit_code::kFailure;
}

}  // namespace cunbo
