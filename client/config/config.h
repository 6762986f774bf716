// The config file ($XDG_CONFIG_HOME/cunbo/config.toml, else ~/.config/cunbo/config.toml):
// the host's defaults; command-line flags override them. Written with mode 0600 because later
// it holds stream keys and tokens.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "client/config/destination.h"

namespace cunbo {

// A push destination kept in the config file: the file is 0600 because of `key`.
struct ConfigDestination {
  ConfigDestination() = default;
  ConfigDestination(std::string url_, std::optional<std::string> key_ = std::nullopt, SrtOptions srt_ = {})
      : url(std::move(url_)), key(std::move(key_)), srt(std::move(srt_)) {}

  std::string url;
  std::optional<std::string> key;
  // srt:// only, each instead of writing it into the URL's query: the passphrase (a secret,
  // like a key), the stream id the platform gave, and the receiver's latency in milliseconds.
  SrtOptions srt;

  friend bool operator==(const ConfigDestination&, const ConfigDestination&) = default;
};

// The destination a config row names: its SRT fields into the URL, its key after the app.
[[nodiscard]] std::variant<Destination, DestinationError> make_destination(const ConfigDestination& row);

struct Config {
  std::optional<std::string> video;     // source spec
  std::optional<std::string> audio;     // source spec
  std::optional<std::string> quality;   // 480p / 720p / 1080p
  std::optional<double> duration;       // seconds
  std::optional<std::string> out_dir;   // where recordings go
  std::optional<std::string> language;  // zh-CN / en
  std::optional<std::string> shop_name;      // the watermark on the stream (empty: none)
  std::optional<std::string> card_position;  // bottom-left / bottom-right / top-right
  std::optional<std::string> light;          // 补光: auto / off
  std::optional<int> beauty;                 // 美颜: 0 (none) .. 10
  // The host's tone (美颜 panel), each −10 … 10, 0 or absent: as the camera gives it; warmth is
  // the white balance (above 0 warmer).
  std::optional<int> brightness;
  std::optional<int> contrast;
  std::optional<int> saturation;
  std::optional<int> warmth;
  // The picture's shape (portrait / landscape; absent: landscape, but a config file Cunbo
  // creates starts with portrait), how a camera of another shape is framed (fill / fit; absent:
  // fill in portrait, fit in landscape), the fill's zoom (1 … 3) and offsets (−1 … 1), and the
  // camera's mounting (0 / 90 / 180 / 270, clockwise).
  std::optional<std::string> orientation;
  std::optional<std::string> framing;
  std::optional<double> framing_zoom;
  std::optional<double> framing_x;
  std::optional<double> framing_y;
  std::optional<int> camera_rotation;
  // 镜像: the preview mirrored for the host (absent: not), and the stream's picture mirrored
  // too (absent: not; viewers then read the writing on a box backwards).
  std::optional<bool> mirror;
  std::optional<bool> mirror_stream;
  std::vector<ConfigDestination> destinations;  // [[destinations]] url = "...", key = "..."
  std::optional<std::string> api;       // the platform API's base URL (cunbo feed, live sessions)
  std::optional<std::string> ca_file;   // RTMPS: the CA (PEM) to trust instead of the system's store
  std::optional<std::string> token;     // the platform token: a secret, never logged or printed
  // This computer has room for a second encode (`cunbo probe --save` measured it): a destination
  // far slower than the others gets its own instead of lowering everyone's picture.
  std::optional<bool> second_encode;
  // Clean sound (降噪: noise reduction and a gate for the pauses; the high-pass, compressor and
  // limiter always run) and the microphone's gain in dB (−20…20).
  std::optional<bool> denoise;
  std::optional<double> mic_gain;
  bool readable_by_others = false;      // the file's mode lets others read it (it may hold keys)

  friend bool operator==(const Config&, const Config&) = default;
};

struct ConfigError {
  std::string id;    // string-table id of the message
  std::string what;  // what it names (path, key)
  std::string detail;
};

// What is wrong with the config file, for one plain sentence naming the file and the line.
struct ConfigProblem {
  std::filesystem::path path;
  int line = 0;         // 1-based; 0 when the file cannot be read at all
  std::string key;      // the setting whose value cannot be used; empty: the whole file (TOML syntax, unreadable)
  std::string detail;   // the technical reason, for the log only (English, may span lines)
};

// A config file read without ever refusing: what could be used, and the first thing that could not.
struct LoadedConfig {
  Config config;
  std::optional<ConfigProblem> problem;
};

[[nodiscard]] std::filesystem::path config_path();
[[nodiscard]] const std::vector<std::string>& config_keys();

// A missing file is an empty config. A file that cannot be read or is not TOML gives the defaults
// and its problem; a setting whose value cannot be used is left out (the others are kept) and
// named. Logs nothing (it runs before logging is set up): the caller logs problem->detail.
[[nodiscard]] LoadedConfig load_config_or_defaults(const std::filesystem::path& path);
// The same, strictly: any problem is an error (err.config_invalid, naming the file and the line).
[[nodiscard]] std::variant<Config, ConfigError> load_config(const std::filesystem::path& path);

// The problem in the host's language, each one sentence: what is wrong and that the defaults
// are used for it this time (the headless commands, the window) ...
[[nodiscard]] std::string config_problem_text(const ConfigProblem& problem);
// ... and that the file was kept as `kept` and the new settings went into a fresh file.
[[nodiscard]] std::string config_kept_aside_text(const ConfigProblem& problem, const std::filesystem::path& kept);
// What is wrong, as the start of a sentence ("配置文件 X 第 3 行写得不对").
[[nodiscard]] std::string config_problem_what(const ConfigProblem& problem);
// The rules every stored value follows (`config set`, the settings panel): nullopt when `value`
// is acceptable for `key`, else the error (its id names the host-facing message).
[[nodiscard]] std::optional<ConfigError> validate_config_value(const std::string& key, const std::string& value);
// Validates and stores one key, keeping the others; creates the file (and folder) with 0600. A
// file that cannot be read or parsed is moved aside (keep_file_aside, client/config/private_file.h)
// and a fresh one written: `kept_aside` (when given) then says what was wrong and where it went.
struct KeptAside {
  ConfigProblem problem;
  std::filesystem::path kept;
};
[[nodiscard]] std::optional<ConfigError> set_config_value(const std::filesystem::path& path, const std::string& key,
                                                          const std::string& value,
                                                          std::optional<KeptAside>* kept_aside = nullptr);

}  // namespace cunbo
