#include "client/cli/session_driver.h"

#include <signal.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <system_error>

#include <spdlog/spdlog.h>

#include "client/base/console.h"
#include "client/base/exit_codes.h"
#include "client/base/paths.h"
#include "client/cli/progress_line.h"
#include "client/base/stop_signals.h"
#include "client/base/strings.h"

namespace cunbo {

namespace {
constexpr auto kTickInterval = std::chrono::milliseconds(250);
}  // namespace

std::variant<std::optional<double>, int> apply_capture_flags(const CaptureFlags& flags, const Config& config,
                                                             SessionOptions& options) {
  auto resolved = resolve_capture_flags(flags, config, options);
  if (auto* err = std::get_if<SessionError>(&resolved)) {
    print_error(err->message);
    return err->exit_code;
  }
  return std::get<std::optional<double>>(resolved);
}

int check_showcase_product(const SessionOptions& options) {
  if (!options.showcase_product || !options.feed) return exit_code::kOk;
  const std::vector<Product> products = options.feed->products();
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

DriveResult drive_session(Session& session, std::optional<double> duration) {
  session.start();
  const int64_t duration_us = duration ? static_cast<int64_t>(*duration * 1e6) : -1;
  if (duration_us > 0) session.end_at(duration_us);  // exact to the frame, whatever the tick

  ProgressLine progress(stderr);
  std::vector<bool> rejection_told;
  DriveResult result;
  int64_t end_us = -1;
  while (end_us < 0) {
    if (auto sig = stop_signals::wait(kTickInterval)) {
      if (*sig == SIGUSR1) {
        spdlog::info("[session] SIGUSR1: reconnect now");
        session.reconnect_now();
        continue;
      }
      spdlog::info("[session] signal {}: stopping", *sig);
      end_us = session.elapsed_us();
      if (duration_us > 0) end_us = std::min(end_us, duration_us);
      break;
    }
    session.tick();
    const SessionStats stats = session.stats();
    if (duration_us > 0 && stats.elapsed_us >= duration_us) end_us = duration_us;

    // A rejected key is said once, on its own line; when every destination refused, stop.
    rejection_told.resize(stats.destinations.size(), false);
    bool all_rejected = !stats.destinations.empty();
    for (size_t i = 0; i < stats.destinations.size(); ++i) {
      const bool rejected = stats.destinations[i].status.state == OutputState::key_rejected;
      all_rejected = all_rejected && rejected;
      if (rejected && !rejection_told[i]) {
        std::fprintf(stderr, "\n%s\n", tr("msg.key_rejected", stats.destinations[i].display_url).c_str());
        rejection_told[i] = true;
      }
    }
    if (all_rejected) {
      result.every_destination_rejected = true;
      end_us = stats.elapsed_us;
    }
    progress.update(stats);
  }
  session.finish(end_us);
  result.stats = session.stats();
  progress.finish(result.stats);
  return result;
}

std::variant<DriveResult, int> run_session(const SessionOptions& options, std::optional<double> duration) {
  auto created = Session::create(options);
  if (auto* err = std::get_if<SessionError>(&created)) {
    print_error(err->message);
    return err->exit_code;
  }
  return drive_session(*std::get<std::unique_ptr<Session>>(created), duration);
}

}  // namespace cunbo
