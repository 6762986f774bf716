#include "client/cli/session_driver.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "client/base/console.h"
#include "client/base/exit_codes.h"
#include "client/base/stop_signals.h"
#include "client/base/strings.h"
#include "client/cli/progress_line.h"

namespace cunbo {

namespace {
constexpr auto kTickInterval = std::chrono::milliseconds(250);
// A refused --showcase names this many valid ids at most, each cut to this many bytes: a
// catalog of hundreds (or a hostile id) still gives one readable line.
constexpr size_t kIdsShown = 8;
constexpr size_t kIdBytes = 32;

// "p-a、p-b、…，还有 12 个": the ids a host can give to --showcase.
std::string valid_ids(const std::vector<Product>& products) {
  std::string list;
  const size_t shown = std::min(products.size(), kIdsShown);
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) list += tr("err.ids_separator");
    std::string id = products[i].id;
    if (id.size() > kIdBytes) {
      size_t cut = kIdBytes;
      while (cut > 0 && (static_cast<unsigned char>(id[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
      id = id.substr(0, cut) + "\u2026";
    }
    list += id;
  }
  if (products.size() > shown) return tr("err.ids_more", list, products.size() - shown);
  return list;
}
}  // namespace

void add_capture_options(CLI::App* cmd, CaptureFlags& flags) {
  cmd->add_option("--video", flags.video, tr("cli.opt_video"))->type_name(tr("cli.type_spec"));
  cmd->add_option("--audio", flags.audio, tr("cli.opt_audio"))->type_name(tr("cli.type_spec"));
  cmd->add_option("--duration", flags.duration, tr("cli.opt_duration"))->type_name(tr("cli.type_seconds"));
  cmd->add_option("--quality", flags.quality, tr("cli.opt_quality"))->type_name("480p|720p|1080p");
  cmd->add_option("--denoise", flags.denoise, tr("cli.opt_denoise"))->type_name("on|off");
  cmd->add_option("--mic-gain", flags.mic_gain, tr("cli.opt_mic_gain"))->type_name("DB");
  cmd->add_option("--showcase", flags.showcase, tr("cli.opt_showcase"))->type_name(tr("cli.type_product"));
  cmd->add_option("--card-position", flags.card_position, tr("cli.opt_card_position"))
      ->type_name("bottom-left|bottom-right|top-right");
  cmd->add_option("--shop-name", flags.shop_name, tr("cli.opt_shop_name"))->type_name(tr("cli.type_text"));
  cmd->add_option("--light", flags.light, tr("cli.opt_light"))->type_name("auto|off");
  cmd->add_option("--beauty", flags.beauty, tr("cli.opt_beauty"))->type_name("0..10");
  cmd->add_option("--orientation", flags.orientation, tr("cli.opt_orientation"))->type_name("portrait|landscape");
  cmd->add_option("--framing", flags.framing, tr("cli.opt_framing"))->type_name("fill|fit");
  cmd->add_option("--camera-rotation", flags.camera_rotation, tr("cli.opt_camera_rotation"))
      ->type_name("0|90|180|270");
  cmd->add_option("--mirror", flags.mirror, tr("cli.opt_mirror"))->type_name("on|off");
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
  print_error(tr("err.unknown_product_ids", *options.showcase_product, valid_ids(products)));
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
  std::vector<bool> own_told;
  int fps_told = 0;
  DriveResult result;
  bool warned = false;
  bool off_air_told = false;
  // The host's own computer: each change said once, on its own line.
  bool camera_lost = false;
  bool mic_lost = false;
  bool recording_failed = false;
  int encoder_restarts = 0;
  bool encoder_failed = false;
  auto tell = [](bool now, bool& told, const char* lost_id, const char* back_id) {
    if (now == told) return;
    told = now;
    std::fprintf(stderr, "\n%s\n", tr(now ? lost_id : back_id).c_str());
  };
  for (;;) {
    if (const auto sig = stop_signals::wait(kTickInterval)) {
      if (sig->request == stop_signals::Request::reconnect_now) {
        spdlog::info("[session] {}: reconnect now", sig->name);
        studio.reconnect_now();
      } else {
        spdlog::info("[session] {}: stopping", sig->name);
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
    // Live for 15 s and no platform takes the stream: said once, on its own line (again after
    // the next time one did).
    if (snap.off_air_alarm && !off_air_told) {
      const std::string why = snap.off_air_reason_id.empty() ? tr("msg.off_air_no_reason") : tr(snap.off_air_reason_id);
      std::fprintf(stderr, "\n%s\n", tr("msg.off_air", snap.off_air_us / 1'000'000, why).c_str());
      off_air_told = true;
    } else if (snap.air == AirState::on_air) {
      off_air_told = false;
    }
    // A destination far slower than the others got its own encode, or shares again.
    own_told.resize(destinations.size(), false);
    for (size_t i = 0; i < destinations.size(); ++i) {
      if (destinations[i].own_encode == own_told[i]) continue;
      own_told[i] = destinations[i].own_encode;
      const std::string line = own_told[i] ? tr("msg.own_encode_on", i + 1, destinations[i].kbps)
                                           : tr("msg.own_encode_off", i + 1);
      std::fprintf(stderr, "\n%s\n", line.c_str());
    }
    // Below the bitrate floor the frame rate comes down (and back), said each time it changes.
    if (fps_told == 0) fps_told = snap.session->preset_fps;
    if (snap.session->video_fps != fps_told && snap.session->video_fps > 0) {
      fps_told = snap.session->video_fps;
      const std::string line = fps_told < snap.session->preset_fps ? tr("msg.frame_rate_reduced", fps_told)
                                                                   : tr("msg.frame_rate_restored", fps_told);
      std::fprintf(stderr, "\n%s\n", line.c_str());
    }
    tell(snap.session->camera_lost, camera_lost, "msg.camera_lost", "msg.camera_back");
    tell(snap.session->mic_lost, mic_lost, "msg.mic_lost", "msg.mic_back");
    if (snap.session->encoder_restarts > encoder_restarts) {
      encoder_restarts = snap.session->encoder_restarts;
      std::fprintf(stderr, "\n%s\n", tr("msg.encoder_restarted").c_str());
    }
    if (snap.session->encoder_failed && !encoder_failed) {
      encoder_failed = true;
      std::fprintf(stderr, "\n%s\n", tr("msg.encoder_failed").c_str());
    }
    if (snap.session->recording_failed && !recording_failed) {
      recording_failed = true;
      const int64_t seconds = snap.session->recording_until_us / 1'000'000;
      std::fprintf(stderr, "\n%s\n",
                   tr(snap.session->practice ? "msg.recording_failed_practice" : "msg.recording_failed_live",
                      fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60,
                                                               seconds % 60))
                       .c_str());
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
  // An encoder that failed for good ends the session at once: said here when the session was
  // gone before the loop above saw it.
  if (result.stats.encoder_failed && !encoder_failed) std::fprintf(stderr, "\n%s\n", tr("msg.encoder_failed").c_str());
  progress.finish(result.stats);
  return result;
}

void print_recording(const SessionSummary& summary) {
  if (summary.recording.empty()) return;
  if (!summary.recording_failed) {
    std::printf("%s\n", tr("msg.recording_saved", summary.recording.string()).c_str());
    return;
  }
  const auto seconds = static_cast<int64_t>(summary.recording_until_s);
  print_error(tr("msg.recording_failed_until", summary.recording.string(),
                 fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)));
}

}  // namespace cunbo
