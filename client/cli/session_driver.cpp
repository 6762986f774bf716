#include "client/cli/session_driver.h"

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <vector>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "client/base/console.h"
#include "client/base/exit_codes.h"
#include "client/base/stop_signals.h"
#include "client/base/strings.h"
#include "client/cli/progress_line.h"

namespace cunbo {

namespace {
constexpr auto kTickInterval = std::chrono::milliseconds(250);
}  // namespace

void add_capture_options(CLI::App* cmd, CaptureFlags& flags) {
  cmd->add_option("--video", flags.video, tr("cli.opt_video"))->type_name(tr("cli.type_spec"));
  cmd->add_option("--audio", flags.audio, tr("cli.opt_audio"))->type_name(tr("cli.type_spec"));
  cmd->add_option("--duration", flags.duration, tr("cli.opt_duration"))->type_name(tr("cli.type_seconds"));
  cmd->add_option("--quality", flags.quality, tr("cli.opt_quality"))->type_name("480p|720p|1080p");
  cmd->add_option("--showcase", flags.showcase, tr("cli.opt_showcase"))->type_name(tr("cli.type_product"));
  cmd->add_option("--card-position", flags.card_position, tr("cli.opt_card_position"))
      ->type_name("bottom-left|bottom-right|top-right");
  cmd->add_option("--shop-name", flags.shop_name, tr("cli.opt_shop_name"))->type_name(tr("cli.type_text"));
}

int apply_capture_flags(const CaptureFlags& flags, const Config& config, SessionOptions& options) {
  auto resolved = resolve_capture_flags(flags, config, options);
  if (auto* err = std::get_if<SessionError>(&resolved)) {
    print_error(err->message);
    return err->exit_code;
  }
  options.duration_s = std::get<std::optional<double>>(resolved);
  return exit_code::kOk;
}

int check_showcase_product(const SessionOptions& options, const PlatformFeed* feed) {
  if (!options.showcase_product || !feed) return exit_code::kOk;
  const std::vector<Product> products = feed->products();
  if (products.empty()) return exit_code::kOk;  // a platform's list comes later: checked then
  for (const Product& p : products)
    if (p.id == *options.showcase_product) return exit_code::kOk;
  print_error(tr("err.unknown_product", *options.showcase_product));
  return exit_code::kUsage;
}

std::variant<std::filesystem::path, int> recording_path(const std::optional<std::string>& given, const Config& config,
                                                        const std::string& prefix) {
  auto chosen = choose_recording_path(given, config, prefix);
  if (auto* err = std::get_if<SessionError>(&chosen)) {
    print_error(err->message);
    return err->exit_code;
  }
  return std::get<std::filesystem::path>(chosen);
}

StudioOptions headless_studio(const Config& config, std::shared_ptr<PlatformFeed> feed, bool platform,
                              const std::string& version) {
  StudioOptions o;
  o.config = config;
  o.version = version;
  o.feed_source = StudioOptions::FeedSource::per_session;
  o.session_feed = std::move(feed);
  o.session_feed_is_platform = platform;
  return o;
}

std::variant<DriveResult, int> drive_session(Studio& studio, SessionOptions session) {
  studio.go_live(std::move(session));
  ProgressLine progress(stderr);
  std::vector<bool> rejection_told;
  DriveResult result;
  bool warned = false;
  for (;;) {
    if (const std::optional<int> sig = stop_signals::wait(kTickInterval)) {
      if (*sig == SIGUSR1) {
        spdlog::info("[session] SIGUSR1: reconnect now");
        studio.reconnect_now();
      } else {
        spdlog::info("[session] signal {}: stopping", *sig);
        studio.end_live();
      }
    }
    const StudioSnapshot snap = studio.snapshot();
    if (snap.state == StudioState::idle) {
      if (snap.last_summary) break;
      if (snap.failure) {
        print_error(snap.failure->message);
        return snap.failure->exit_code;
      }
      continue;
    }
    if (!snap.session) continue;  // starting, or ending
    if (snap.message && !warned) {  // e.g. the platform could not be reached: the stream goes on
      std::fprintf(stderr, "%s\n", snap.message->c_str());
      warned = true;
    }
    // A rejected key is said once, on its own line; when every destination refused, stop.
    const std::vector<DestinationStats>& destinations = snap.session->destinations;
    rejection_told.resize(destinations.size(), false);
    bool all_rejected = !destinations.empty();
    for (size_t i = 0; i < destinations.size(); ++i) {
      const bool rejected = destinations[i].status.state == OutputState::key_rejected;
      all_rejected = all_rejected && rejected;
      if (rejected && !rejection_told[i]) {
        std::fprintf(stderr, "\n%s\n", tr("msg.key_rejected", destinations[i].display_url).c_str());
        rejection_told[i] = true;
      }
    }
    if (all_rejected && !result.every_destination_rejected) {
      result.every_destination_rejected = true;
      studio.end_live();
    }
    progress.update(*snap.session);
  }
  const StudioSnapshot end = studio.snapshot();
  result.summary = *end.last_summary;
  if (end.last_stats) result.stats = *end.last_stats;
  progress.finish(result.stats);
  return result;
}

}  // namespace cunbo
