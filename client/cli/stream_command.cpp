#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "client/base/files.h"
#include "client/cli/command_line.h"
#include "client/cli/commands.h"
#include "client/config/destination.h"
#include "client/base/exit_codes.h"
#include "client/platform/feed_factory.h"
#include "client/platform/http_platform.h"
#include "client/base/paths.h"
#include "client/session/session.h"
#include "client/session/uplink_memory.h"
#include "client/studio/studio.h"
#include "client/cli/session_driver.h"
#include "client/base/strings.h"

namespace cunbo {

namespace {

// Whether going live with the defaults in place of what the file says could push somewhere the
// host did not mean, or leave out where they did: the push addresses, the platform's address and
// token (it hands out a push address) live there.
bool may_hide_destinations(const ConfigProblem& problem) {
  return problem.key.empty() || problem.key == "destinations" || problem.key == "api" || problem.key == "token";
}

}  // namespace

CLI::App* add_stream_command(CLI::App& app, StreamFlags& flags, std::optional<std::string>& lang) {
  CLI::App* cmd = app.add_subcommand("stream", tr("cli.stream"));
  add_capture_options(cmd, flags.capture);
  cmd->add_option("--dest", flags.dest, tr("cli.opt_dest"))->type_name(tr("cli.type_url"));
  cmd->add_option("--key-file", flags.key_file, tr("cli.opt_key_file"))->type_name(tr("cli.type_file"));
  cmd->add_option("--ca-file", flags.ca_file, tr("cli.opt_ca_file"))->type_name(tr("cli.type_file"));
  cmd->add_option("--record", flags.record, tr("cli.opt_record"))->type_name(tr("cli.type_file"));
  cmd->add_flag("--no-record", flags.no_record, tr("cli.opt_no_record"));
  cmd->add_option("--bitrate", flags.bitrate, tr("cli.opt_bitrate"))->type_name(tr("cli.type_kbps"));
  cmd->add_flag("--no-abr", flags.no_abr, tr("cli.opt_no_abr"));
  cmd->add_option("--catalog", flags.catalog, tr("cli.opt_stream_catalog"))->type_name(tr("cli.type_file"));
  add_lang_option(cmd, lang);
  return cmd;
}

int run_stream(const StreamFlags& flags, const LoadedConfig& loaded) {
  if (loaded.problem) {
    if (may_hide_destinations(*loaded.problem)) {
      print_error(tr("config.stream_refused", config_problem_what(*loaded.problem)));
      return exit_code::kUsage;
    }
    print_warning(config_problem_text(*loaded.problem));
  }
  if (flags.record && flags.no_record) {
    print_error(tr("cli.err_conflict", "--record", "--no-record"));
    return exit_code::kUsage;
  }
  const Config& config = loaded.config;
  SessionOptions options;
  if (int code = apply_capture_flags(flags.capture, config, options); code != exit_code::kOk) return code;
  options.adaptive_bitrate = !flags.no_abr;
  if (flags.bitrate) {
    char* end = nullptr;
    const long kbps = std::strtol(flags.bitrate->c_str(), &end, 10);
    if (end == flags.bitrate->c_str() || *end != '\0' || kbps < 200 || kbps > 20000) {
      print_error(tr("err.bad_bitrate", *flags.bitrate));
      return exit_code::kUsage;
    }
    options.bitrate_kbps = static_cast<int>(kbps);
  }

  // Products for the cards: a local catalog when given, else the platform when one is
  // configured (it also sends the orders for the banners and hands out a push address).
  bool platform = false;
  std::shared_ptr<PlatformFeed> feed;
  if (flags.catalog) {
    PracticeFeedSettings catalog;
    catalog.catalog = *flags.catalog;
    catalog.orders_per_minute = 0;  // a catalog has products, not buyers
    catalog.comments_per_minute = 0;
    auto made = make_practice_feed(catalog);
    if (auto* error = std::get_if<std::string>(&made)) {
      print_error(*error);
      return exit_code::kUsage;
    }
    feed = std::move(std::get<std::unique_ptr<PlatformFeed>>(made));
    if (int code = check_showcase_product(options, feed.get()); code != exit_code::kOk) return code;
  } else if (config.api && config.token && !config.token->empty()) {
    if (auto problem = HttpPlatform::base_url_problem(*config.api)) {
      print_error(tr(*problem, *config.api));
      return exit_code::kUsage;
    }
    feed = make_http_feed(HttpFeedSettings{*config.api, *config.token, flags.version});
    platform = true;
  }

  // Destinations: the platform's push address, then --dest (keys inline, or from the key
  // file, taken in order by those that lack one), else the config file's [[destinations]].
  if (flags.dest.empty() && config.destinations.empty() && !platform) {
    print_error(tr("err.no_dest"));
    return exit_code::kUsage;
  }
  if (flags.dest.empty()) {
    if (config.readable_by_others)
      std::fprintf(stderr, "%s\n", readable_by_others_warning(config_path()).c_str());
    auto configured = config_destinations(config);
    if (auto* err = std::get_if<SessionError>(&configured)) {
      print_error(err->message);
      return err->exit_code;
    }
    options.destinations = std::move(std::get<std::vector<Destination>>(configured));
  }
  KeyFile keys;
  if (flags.key_file) {
    auto read = read_key_file(*flags.key_file);
    if (auto* err = std::get_if<DestinationError>(&read)) {
      print_error(tr(err->id, err->what));
      return exit_code::kUsage;
    }
    keys = std::get<KeyFile>(read);
    if (keys.readable_by_others)
      std::fprintf(stderr, "%s\n", readable_by_others_warning(*flags.key_file).c_str());
  }
  size_t next_key = 0;
  for (const std::string& text : flags.dest) {
    std::optional<std::string> key;
    if (!has_own_key(text) && next_key < keys.keys.size()) key = keys.keys[next_key++];
    auto made = make_destination(text, key);
    if (auto* err = std::get_if<DestinationError>(&made)) {
      print_error(tr(err->id, err->what));
      return exit_code::kUsage;
    }
    options.destinations.push_back(std::get<Destination>(made));
  }

  options.ca_file = flags.ca_file.value_or(config.ca_file.value_or(""));
  options.second_encode = config.second_encode.value_or(false);
  options.uplink_memory = UplinkMemory::default_file();
  if (!options.ca_file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(options.ca_file, ec)) {
      print_error(tr("err.ca_file", options.ca_file));
      return exit_code::kUsage;
    }
  }

  if (!flags.no_record) {
    auto path = recording_path(flags.record, config, "live");
    if (auto* code = std::get_if<int>(&path)) return *code;
    options.recording = std::get<std::filesystem::path>(path);
    options.event_log = options.recording.string() + ".events.jsonl";
  } else {
    options.event_log = unrecorded_event_log("live");
  }

  // The platform's live session (its push address first) is asked for when going live.
  Studio studio(headless_studio(config, std::move(feed), platform, flags.version));
  studio.start();
  auto ran = drive_session(studio, std::move(options));
  if (auto* code = std::get_if<int>(&ran)) return *code;
  const DriveResult& result = std::get<DriveResult>(ran);
  print_recording(result.summary);
  bool any_rejected = false;
  bool any_live = false;
  std::string why;
  for (const SessionSummary::DestinationResult& d : result.summary.destinations) {
    any_rejected = any_rejected || d.key_rejected;
    any_live = any_live || d.connections > 0;
    if (why.empty() && !d.last_failure.empty()) why = tr("reason." + d.last_failure);
  }
  if (result.summary.encoder_failed) return exit_code::kFailure;  // said when it happened
  if (any_rejected || result.every_destination_rejected) return exit_code::kKeyRejected;
  if (!any_live) {  // the host must not believe anyone watched
    print_error(tr("msg.never_live", why.empty() ? tr("msg.off_air_no_reason") : why));
    return exit_code::kNeverLive;
  }
  return result.summary.recording_failed ? exit_code::kOutputFailed : exit_code::kOk;
}

}  // namespace cunbo
