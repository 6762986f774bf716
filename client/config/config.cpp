#include "client/config/config.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include <spdlog/spdlog.h>
#include <toml.hpp>

#include "client/base/files.h"
#include "client/base/paths.h"
#include "client/base/strings.h"
#include "client/config/card_placement.h"
#include "client/config/config_toml.h"
#include "client/config/private_file.h"
#include "media/audio_chain.h"
#include "media/encoder_settings.h"
#include "media/enhance.h"
#include "media/source_spec.h"

namespace cunbo {

namespace {

int line_of(const toml::value& value) { return static_cast<int>(value.location().line()); }

bool is_boolean_key(const std::string& key) {
  return key == "second_encode" || key == "denoise" || key == "mirror" || key == "mirror_stream";
}

bool is_tone_key(const std::string& key) {
  return key == "brightness" || key == "contrast" || key == "saturation" || key == "warmth";
}

// Reads the settings of a parsed file into a Config. The first value that cannot be used is
// noted (with its line) and left out; everything else is kept.
class ConfigReader {
 public:
  ConfigReader(const std::filesystem::path& path, const toml::value& data) : path_(path), data_(data) {}

  LoadedConfig read() {
    Config& c = loaded_.config;
    c.video = checked_string("video");
    c.audio = checked_string("audio");
    c.quality = checked_string("quality");
    c.out_dir = checked_string("out_dir");
    c.language = checked_string("language");
    c.shop_name = checked_string("shop_name");
    c.card_position = checked_string("card_position");
    c.light = checked_string("light");
    c.beauty = whole("beauty", 0, EnhanceSettings::kMaxBeauty, "beauty is not a whole number from 0 to 10");
    for (auto [key, field] : {std::pair{"brightness", &c.brightness}, std::pair{"contrast", &c.contrast},
                              std::pair{"saturation", &c.saturation}, std::pair{"warmth", &c.warmth}})
      *field = whole(key, -EnhanceSettings::kToneRange, EnhanceSettings::kToneRange,
                     std::string(key) + " is not a whole number from -10 to 10");
    c.orientation = checked_string("orientation");
    c.framing = checked_string("framing");
    c.framing_zoom = number("framing_zoom", [](double z) { return z >= 1 && z <= Framing::kMaxZoom; },
                            "framing_zoom is not a number from 1 to 3");
    c.framing_x = number("framing_x", [](double x) { return x >= -1 && x <= 1; }, "framing_x is not a number from -1 to 1");
    c.framing_y = number("framing_y", [](double y) { return y >= -1 && y <= 1; }, "framing_y is not a number from -1 to 1");
    if (data_.contains("camera_rotation")) {
      const toml::value& value = data_.at("camera_rotation");
      if (value.is_integer() && parse_rotation(std::to_string(value.as_integer())))
        c.camera_rotation = static_cast<int>(value.as_integer());
      else
        note("camera_rotation", value, "camera_rotation is not 0, 90, 180 or 270");
    }
    c.api = checked_string("api");
    c.ca_file = checked_string("ca_file");
    // Not settable with `config set` (argv shows in `ps`): the host writes it in the file.
    c.token = checked_string("token");
    c.duration = duration();
    c.second_encode = boolean("second_encode");
    c.denoise = boolean("denoise");
    c.mirror = boolean("mirror");
    c.mirror_stream = boolean("mirror_stream");
    c.mic_gain = mic_gain();
    c.destinations = destinations();
    return std::move(loaded_);
  }

 private:
  void note(const std::string& key, const toml::value& where, std::string detail) {
    if (!loaded_.problem) loaded_.problem = ConfigProblem{path_, line_of(where), key, std::move(detail)};
  }

  // A string setting, checked with the rules of `config set`.
  std::optional<std::string> checked_string(const std::string& key) {
    if (!data_.contains(key)) return std::nullopt;
    const toml::value& value = data_.at(key);
    if (!value.is_string()) {
      note(key, value, key + " is not a string");
      return std::nullopt;
    }
    std::string text = value.as_string().str;
    if (validate_config_value(key, text)) {
      note(key, value, key + " has a value that cannot be used");
      return std::nullopt;
    }
    return text;
  }

  // A number setting (whole or not) that `fits`; otherwise noted with `detail`.
  std::optional<double> number(const std::string& key, bool (*fits)(double), const char* detail) {
    if (!data_.contains(key)) return std::nullopt;
    const toml::value& value = data_.at(key);
    double n = 0;
    if (value.is_integer()) n = static_cast<double>(value.as_integer());
    else if (value.is_floating()) n = value.as_floating();
    if ((!value.is_integer() && !value.is_floating()) || !fits(n)) {
      note(key, value, detail);
      return std::nullopt;
    }
    return n;
  }

  std::optional<double> duration() {
    return number("duration", [](double s) { return std::isfinite(s) && s > 0; },
                  "duration is not a number of seconds above 0");
  }

  std::optional<double> mic_gain() {
    return number(
        "mic_gain", [](double db) { return db >= AudioChainSettings::kMinGainDb && db <= AudioChainSettings::kMaxGainDb; },
        "mic_gain is not a number of dB from -20 to 20");
  }

  // A whole number from `lowest` to `highest`; otherwise noted with `detail`.
  std::optional<int> whole(const std::string& key, int lowest, int highest, const std::string& detail) {
    if (!data_.contains(key)) return std::nullopt;
    const toml::value& value = data_.at(key);
    if (!value.is_integer() || value.as_integer() < lowest || value.as_integer() > highest) {
      note(key, value, detail);
      return std::nullopt;
    }
    return static_cast<int>(value.as_integer());
  }

  std::optional<bool> boolean(const std::string& key) {
    if (!data_.contains(key)) return std::nullopt;
    const toml::value& value = data_.at(key);
    if (!value.is_boolean()) {
      note(key, value, key + " is not true or false");
      return std::nullopt;
    }
    return value.as_boolean();
  }

  // All of them or none: a push address half-read is worse than none.
  std::vector<ConfigDestination> destinations() {
    if (!data_.contains("destinations")) return {};
    const toml::value& list = data_.at("destinations");
    if (!list.is_array()) {
      note("destinations", list, "destinations is not an array of tables");
      return {};
    }
    std::vector<ConfigDestination> out;
    for (const toml::value& d : list.as_array()) {
      const bool url_ok = d.is_table() && d.contains("url") && d.at("url").is_string();
      const bool key_ok = !d.is_table() || !d.contains("key") || d.at("key").is_string();
      if (!url_ok || !key_ok) {
        note("destinations", d, "a destination needs url = \"...\" (and key, when given, a string)");
        return {};
      }
      ConfigDestination dest{d.at("url").as_string().str};
      if (d.contains("key")) dest.key = d.at("key").as_string().str;
      for (auto [field, value] :
           {std::pair{"passphrase", &dest.srt.passphrase}, std::pair{"streamid", &dest.srt.streamid}}) {
        if (!d.contains(field)) continue;
        if (!d.at(field).is_string()) {
          note("destinations", d.at(field), std::string(field) + " is not a string");
          return {};
        }
        *value = d.at(field).as_string().str;
      }
      if (d.contains("latency_ms")) {
        if (!d.at("latency_ms").is_integer()) {
          note("destinations", d.at("latency_ms"), "latency_ms is not a whole number of milliseconds");
          return {};
        }
        dest.srt.latency_ms = d.at("latency_ms").as_integer();
      }
      out.push_back(std::move(dest));
    }
    return out;
  }

  const std::filesystem::path& path_;
  const toml::value& data_;
  LoadedConfig loaded_;
};

std::variant<toml::value, ConfigProblem> parse_file(const std::filesystem::path& path) {
  return parse_config_toml<toml::discard_comments, std::unordered_map>(path);
}

}  // namespace

std::filesystem::path config_path() { return config_dir() / "config.toml"; }

std::variant<Destination, DestinationError> make_destination(const ConfigDestination& row) {
  auto url = with_srt_options(row.url, row.srt);
  if (auto* err = std::get_if<DestinationError>(&url)) return std::move(*err);
  return make_destination(std::get<std::string>(url), row.key);
}

const std::vector<std::string>& config_keys() {
  static const std::vector<std::string> keys = {"video", "audio", "quality", "duration", "out_dir", "language", "api",
                                                "shop_name", "card_position", "ca_file", "second_encode",
                                                "denoise", "mic_gain", "light", "beauty",
                                                "brightness", "contrast", "saturation", "warmth",
                                                "orientation", "framing", "framing_zoom", "framing_x", "framing_y",
                                                "camera_rotation", "mirror", "mirror_stream"};
  return keys;
}

std::optional<ConfigError> validate_config_value(const std::string& key, const std::string& value) {
  if (key == "video" && std::holds_alternative<SpecError>(parse_source_spec(value, MediaKind::video)))
    return ConfigError{"err.unknown_video_source", value, {}};
  if (key == "audio" && std::holds_alternative<SpecError>(parse_source_spec(value, MediaKind::audio)))
    return ConfigError{"err.unknown_audio_source", value, {}};
  if (key == "quality" && !parse_quality(value)) return ConfigError{"err.bad_quality", value, {}};
  if (key == "language" && value != "zh-CN" && value != "en") return ConfigError{"err.bad_language", value, {}};
  if (key == "card_position" && !parse_card_placement(value)) return ConfigError{"err.bad_card_position", value, {}};
  if (key == "light" && !parse_light_mode(value)) return ConfigError{"err.bad_light", value, {}};
  if (key == "beauty" && !parse_beauty(value)) return ConfigError{"err.bad_beauty", value, {}};
  if (is_tone_key(key) && !parse_tone(value)) return ConfigError{"err.bad_tone", value, key};
  if (key == "orientation" && !parse_orientation(value)) return ConfigError{"err.bad_orientation", value, {}};
  if (key == "framing" && !parse_framing_mode(value)) return ConfigError{"err.bad_framing", value, {}};
  if (key == "camera_rotation" && !parse_rotation(value)) return ConfigError{"err.bad_rotation", value, {}};
  if (key == "framing_zoom" || key == "framing_x" || key == "framing_y") {
    char* end = nullptr;
    const double n = std::strtod(value.c_str(), &end);
    const bool zoom = key == "framing_zoom";
    if (end == value.c_str() || *end != '\0' || !(n >= (zoom ? 1.0 : -1.0)) || !(n <= (zoom ? Framing::kMaxZoom : 1.0)))
      return ConfigError{zoom ? "err.bad_framing_zoom" : "err.bad_framing_offset", value, key};
  }
  if (key == "api" && !value.starts_with("https://") && !value.starts_with("http://"))
    return ConfigError{"err.config_api", value, {}};
  if (key == "ca_file") {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(value, ec)) return ConfigError{"err.ca_file", value, {}};
  }
  if (is_boolean_key(key) && value != "true" && value != "false")
    return ConfigError{"err.bad_boolean", value, key};
  if (key == "mic_gain") {
    char* end = nullptr;
    const double db = std::strtod(value.c_str(), &end);
    if (end == value.c_str() || *end != '\0' || !(db >= AudioChainSettings::kMinGainDb) ||
        !(db <= AudioChainSettings::kMaxGainDb))
      return ConfigError{"err.bad_mic_gain", value, {}};
  }
  if (key == "duration") {
    char* end = nullptr;
    double seconds = std::strtod(value.c_str(), &end);
    if (end == value.c_str() || *end != '\0' || !(seconds > 0) || !std::isfinite(seconds))
      return ConfigError{"err.bad_duration", value, {}};
  }
  return std::nullopt;
}

LoadedConfig load_config_or_defaults(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) return {};
  auto parsed = parse_file(path);
  if (auto* problem = std::get_if<ConfigProblem>(&parsed)) return LoadedConfig{{}, std::move(*problem)};
  LoadedConfig loaded = ConfigReader(path, std::get<toml::value>(parsed)).read();
  loaded.config.readable_by_others = readable_by_others(path);
  return loaded;
}

std::variant<Config, ConfigError> load_config(const std::filesystem::path& path) {
  LoadedConfig loaded = load_config_or_defaults(path);
  if (loaded.problem) return ConfigError{"err.config_invalid", path.string(), config_problem_what(*loaded.problem)};
  return std::move(loaded.config);
}

std::string config_problem_what(const ConfigProblem& problem) {
  if (problem.line <= 0) return tr("config.unreadable", problem.path.string());
  if (problem.key.empty()) return tr("config.bad_line", problem.path.string(), problem.line);
  return tr("config.bad_value", problem.path.string(), problem.line, problem.key);
}

std::string config_problem_text(const ConfigProblem& problem) {
  return tr(problem.key.empty() ? "config.using_defaults" : "config.skipping_value", config_problem_what(problem));
}

std::string config_kept_aside_text(const ConfigProblem& problem, const std::filesystem::path& kept) {
  return tr("config.kept_aside", config_problem_what(problem), kept.string());
}

std::optional<ConfigError> set_config_value(const std::filesystem::path& path, const std::string& key,
                                            const std::string& value, std::optional<KeptAside>* kept_aside) {
  bool known = false;
  for (const std::string& k : config_keys()) known = known || k == key;
  if (!known) return ConfigError{"err.config_unknown_key", key, {}};
  if (auto err = validate_config_value(key, value)) return err;

  toml::value data = toml::table{};
  std::optional<ConfigProblem> broken;  // never overwritten: the host's text is kept aside whole
  std::error_code ec;
  const bool creating = !std::filesystem::exists(path, ec) && !ec;
  if (std::filesystem::is_regular_file(path, ec)) {  // anything else is not moved: the write then fails
    auto parsed = parse_file(path);
    if (auto* problem = std::get_if<ConfigProblem>(&parsed)) broken = std::move(*problem);
    else data = std::move(std::get<toml::value>(parsed));
  }
  // A config file Cunbo creates starts in portrait: what phone viewers watch (DESIGN.md).
  if (creating && key != "orientation") data["orientation"] = "portrait";
  if (key == "duration" || key == "mic_gain" || key.starts_with("framing_"))
    data[key] = std::strtod(value.c_str(), nullptr);
  else if (key == "camera_rotation") data[key] = *parse_rotation(value);
  else if (is_boolean_key(key)) data[key] = value == "true";
  else if (key == "beauty") data[key] = *parse_beauty(value);
  else if (is_tone_key(key)) data[key] = *parse_tone(value);
  else data[key] = value;

  std::ostringstream text;
  text << data << '\n';
  if (auto error = write_config_text(path, text.str(), std::move(broken), kept_aside)) return error;
  spdlog::info("[config] {} set in {}", key, path.string());
  return std::nullopt;
}

std::optional<ConfigError> write_config_text(const std::filesystem::path& path, const std::string& text,
                                             std::optional<ConfigProblem> broken,
                                             std::optional<KeptAside>* kept_aside) {
  const Replaced done = replace_file_privately(path, text, broken.has_value());
  if (done.error != 0) {
    spdlog::error("[config] cannot save {}: {}", path.string(), std::strerror(done.error));
    return ConfigError{"err.config_write", path.string(), std::strerror(done.error)};
  }
  if (done.kept) {
    spdlog::warn("[config] {} could not be used, kept as {}: {}", path.string(), done.kept->string(), broken->detail);
    if (kept_aside) *kept_aside = KeptAside{std::move(*broken), *done.kept};
  }
  return std::nullopt;
}

}  // namespace cunbo
