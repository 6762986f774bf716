#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <spdlog/spdlog.h>

#include "client/commands.h"
#include "client/exit_codes.h"
#include "client/paths.h"
#include "client/progress_line.h"
#include "client/session.h"
#include "client/stop_signals.h"
#include "client/strings.h"

namespace cunbo {

namespace {

constexpr auto kProgressInterval = std::chrono::milliseconds(250);

// Where the recording goes: --out as given, else the configured folder, else the Videos folder.
std::variant<std::filesystem::path, int> recording_path(const PracticeFlags& flags, const Config& config) {
  std::error_code ec;
  if (flags.out) return std::filesystem::absolute(*flags.out, ec);
  const std::filesystem::path dir = config.out_dir ? std::filesystem::path(*config.out_dir) : videos_dir() / "Cunbo";
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    spdlog::error("[practice] cannot create {}: {}", dir.string(), ec.message());
    print_error(tr("err.output_unwritable", dir.string()));
    return exit_code::kOutputFailed;
  }
  return timestamped_recording(std::filesystem::absolute(dir, ec), "practice", std::chrono::system_clock::now());
}

}  // namespace

int run_practice(const PracticeFlags& flags, const Config& config) {
  SessionOptions options;
  options.video_spec = flags.video.value_or(config.video.value_or("test"));
  options.audio_spec = flags.audio.value_or(config.audio.value_or("test"));

  const std::string quality = flags.quality.value_or(config.quality.value_or("720p"));
  const auto parsed_quality = parse_quality(quality);
  if (!parsed_quality) {
    print_error(tr("err.bad_quality", quality));
    return exit_code::kUsage;
  }
  options.quality = *parsed_quality;

  std::optional<double> duration = config.duration;
  if (flags.duration) {
    char* end = nullptr;
    duration = std::strtod(flags.duration->c_str(), &end);
    if (end == flags.duration->c_str() || *end != '\0') duration = -1;
  }
  if (duration && !(*duration > 0 && std::isfinite(*duration))) {
    print_error(tr("err.bad_duration", flags.duration.value_or(std::to_string(*duration))));
    return exit_code::kUsage;
  }

  auto path = recording_path(flags, config);
  if (auto* code = std::get_if<int>(&path)) return *code;
  options.recording = std::get<std::filesystem::path>(path);

  auto created = Session::create(options);
  if (auto* err = std::get_if<SessionError>(&created)) {
    print_error(err->message);
    return err->exit_code;
  }
  Session& session = *std::get<std::unique_ptr<Session>>(created);
  session.start();

  const int64_t duration_us = duration ? static_cast<int64_t>(*duration * 1e6) : -1;
  if (duration_us > 0) session.end_at(duration_us);  // exact to the frame, whatever the progress tick
  ProgressLine progress(stderr);
  int64_t end_us = -1;
  while (end_us < 0) {
    if (auto sig = stop_signals::wait(kProgressInterval)) {
      spdlog::info("[practice] signal {}: stopping", *sig);
      end_us = session.elapsed_us();
      if (duration_us > 0) end_us = std::min(end_us, duration_us);
      break;
    }
    if (duration_us > 0 && session.elapsed_us() >= duration_us) end_us = duration_us;
    progress.update(session.stats());
  }
  session.finish(end_us);
  const SessionStats stats = session.stats();
  progress.finish(stats);
  std::printf("%s\n", tr("msg.recording_saved", options.recording.string()).c_str());
  return stats.recording_failed ? exit_code::kOutputFailed : exit_code::kOk;
}

}  // namespace cunbo
