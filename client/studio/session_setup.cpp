#include "client/studio/session_setup.h"

#include <cmath>
#include <cstdlib>
#include <system_error>

#include <spdlog/spdlog.h>

#include "client/base/exit_codes.h"
#include "client/base/paths.h"
#include "client/base/strings.h"
#include "media/recorder.h"

namespace cunbo {

namespace {

// A switch on the command line: on|off (nullopt: neither).
std::optional<bool> parse_on_off(const std::string& value) {
  if (value == "on" || value == "off") return value == "on";
  return std::nullopt;
}

}  // namespace

std::variant<std::optional<double>, SessionError> resolve_capture_flags(const CaptureFlags& flags,
                                                                       const Config& config,
                                                                       SessionOptions& options) {
  options.video_spec = flags.video.value_or(config.video.value_or("test"));
  options.audio_spec = flags.audio.value_or(config.audio.value_or("test"));
  const std::string quality = flags.quality.value_or(config.quality.value_or("720p"));
  const auto parsed_quality = parse_quality(quality);
  if (!parsed_quality) return SessionError{exit_code::kUsage, tr("err.bad_quality", quality)};
  options.quality = *parsed_quality;

  AudioChainSettings sound;
  sound.denoise = config.denoise.value_or(true);
  if (flags.denoise) {
    const std::optional<bool> on = parse_on_off(*flags.denoise);
    if (!on) return SessionError{exit_code::kUsage, tr("err.bad_denoise", *flags.denoise)};
    sound.denoise = *on;
  }
  sound.gain_db = config.mic_gain.value_or(0);
  if (flags.mic_gain) {
    char* end = nullptr;
    sound.gain_db = std::strtod(flags.mic_gain->c_str(), &end);
    if (end == flags.mic_gain->c_str() || *end != '\0' || !(sound.gain_db >= AudioChainSettings::kMinGainDb) ||
        !(sound.gain_db <= AudioChainSettings::kMaxGainDb))
      return SessionError{exit_code::kUsage, tr("err.bad_mic_gain", *flags.mic_gain)};
  }
  options.audio_chain = sound;

  options.overlay_painter = flags.overlay_painter;
  options.showcase_product = flags.showcase;
  if (flags.showcase && flags.showcase->empty())
    return SessionError{exit_code::kUsage, tr("err.unknown_product", *flags.showcase)};
  const std::string position = flags.card_position.value_or(config.card_position.value_or("bottom-left"));
  const auto placement = parse_card_placement(position);
  if (!placement) return SessionError{exit_code::kUsage, tr("err.bad_card_position", position)};
  options.card_placement = *placement;
  options.shop_name = flags.shop_name.value_or(config.shop_name.value_or(""));

  options.enhance = enhance_settings(config);
  options.orientation = configured_orientation(config);
  // Each flag, when given, overrides the config; a value it cannot read is a usage error.
  std::optional<SessionError> bad;
  auto take = [&bad](const std::optional<std::string>& flag, auto parse, const char* error_id, auto& target) {
    if (!flag || bad) return;
    if (const auto value = parse(*flag)) target = *value;
    else bad = SessionError{exit_code::kUsage, tr(error_id, *flag)};
  };
  take(flags.light, parse_light_mode, "err.bad_light", options.enhance.light);
  take(flags.beauty, parse_beauty, "err.bad_beauty", options.enhance.beauty);
  take(flags.orientation, parse_orientation, "err.bad_orientation", options.orientation);
  options.framing = configured_framing(config, options.orientation);
  take(flags.framing, parse_framing_mode, "err.bad_framing", options.framing.mode);
  take(flags.camera_rotation, parse_rotation, "err.bad_rotation", options.framing.rotation);
  take(flags.mirror, parse_on_off, "err.bad_mirror", options.framing.mirror);
  if (bad) return *bad;

  std::optional<double> duration = flags.config_duration ? config.duration : std::nullopt;
  if (flags.duration) {
    char* end = nullptr;
    duration = std::strtod(flags.duration->c_str(), &end);
    if (end == flags.duration->c_str() || *end != '\0') duration = -1;
  }
  if (duration && !(*duration > 0 && std::isfinite(*duration)))
    return SessionError{exit_code::kUsage,
                        tr("err.bad_duration", flags.duration.value_or(std::to_string(*duration)))};
  return duration;
}

EnhanceSettings enhance_settings(const Config& config) {
  EnhanceSettings look;
  look.light = parse_light_mode(config.light.value_or("auto")).value_or(LightMode::automatic);
  look.beauty = config.beauty.value_or(look.beauty);
  look.brightness = config.brightness.value_or(0);
  look.contrast = config.contrast.value_or(0);
  look.saturation = config.saturation.value_or(0);
  look.warmth = config.warmth.value_or(0);
  return look;
}

Orientation configured_orientation(const Config& config) {
  return parse_orientation(config.orientation.value_or("landscape")).value_or(Orientation::landscape);
}

bool preview_mirrored(const Config& config) {
  return config.mirror.value_or(false) && !config.mirror_stream.value_or(false);
}

Framing configured_framing(const Config& config, Orientation orientation) {
  Framing framing;
  framing.mode = config.framing ? parse_framing_mode(*config.framing).value_or(default_framing_mode(orientation))
                                : default_framing_mode(orientation);
  framing.zoom = config.framing_zoom.value_or(1);
  framing.offset_x = config.framing_x.value_or(0);
  framing.offset_y = config.framing_y.value_or(0);
  framing.rotation = config.camera_rotation.value_or(0);
  framing.mirror = config.mirror_stream.value_or(false);
  return framing.clamped();
}

std::variant<std::filesystem::path, SessionError> choose_recording_path(const std::optional<std::string>& given,
                                                                       const Config& config,
                                                                       const std::string& prefix) {
  std::error_code ec;
  if (given) {
    // The container follows the name (media/recorder.h); a name that asks for another one is
    // refused before anything is created, rather than silently written as Matroska.
    if (!recording_container(*given)) return SessionError{exit_code::kUsage, tr("err.bad_recording_name", *given)};
    return std::filesystem::absolute(*given, ec);
  }
  const std::filesystem::path dir = config.out_dir ? std::filesystem::path(*config.out_dir) : videos_dir() / "Cunbo";
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    spdlog::error("[session] cannot create {}: {}", dir.string(), ec.message());
    return SessionError{exit_code::kOutputFailed, tr("err.output_unwritable", dir.string())};
  }
  return timestamped_recording(std::filesystem::absolute(dir, ec), prefix, std::chrono::system_clock::now());
}

std::filesystem::path unrecorded_event_log(const std::string& prefix) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir(), ec);
  return timestamped_recording(state_dir(), prefix, std::chrono::system_clock::now()).string() + ".events.jsonl";
}

std::variant<std::vector<Destination>, SessionError> config_destinations(const Config& config) {
  std::vector<Destination> destinations;
  for (const ConfigDestination& cd : config.destinations) {
    auto made = make_destination(cd);
    if (auto* err = std::get_if<DestinationError>(&made))
      return SessionError{exit_code::kUsage, tr(err->id, err->what)};
    destinations.push_back(std::get<Destination>(made));
  }
  return destinations;
}

PlatformSessionOutcome start_platform_session(PlatformFeed& feed, std::vector<Destination>& destinations) {
  std::vector<std::string> ids;
  for (const Product& p : feed.products()) ids.push_back(p.id);
  auto live = feed.start_session(tr("stream.session_title"), ids);
  if (auto* err = std::get_if<FeedError>(&live)) {
    if (err->code == FeedError::Code::login_required)
      return {SessionError{exit_code::kLoginRequired, tr("feed.login_required")}, std::nullopt};
    if (destinations.empty()) return {SessionError{exit_code::kFailure, tr("err.platform_session")}, std::nullopt};
    return {std::nullopt, tr("warn.platform_session")};
  }
  if (const auto& session = std::get<LiveSession>(live); !session.push_url.empty()) {
    auto made = make_destination(session.push_url, session.stream_key);
    if (auto* dest = std::get_if<Destination>(&made)) destinations.insert(destinations.begin(), *dest);
    else spdlog::warn("[stream] the platform's push address is not usable");
  }
  return {};
}

}  // namespace cunbo
