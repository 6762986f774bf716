// The config file ($XDG_CONFIG_HOME/cunbo/config.toml, else ~/.config/cunbo/config.toml):
// the host's defaults; command-line flags override them. Written with mode 0600 because later
// it holds stream keys and tokens.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cunbo {

// A push destination kept in the config file: the file is 0600 because of `key`.
struct ConfigDestination {
  std::string url;
  std::optional<std::string> key;

  friend bool operator==(const ConfigDestination&, const ConfigDestination&) = default;
};

struct Config {
  std::optional<std::string> video;     // source spec
  std::optional<std::string> audio;     // source spec
  std::optional<std::string> quality;   // 480p / 720p / 1080p
  std::optional<double> duration;       // seconds
  std::optional<std::string> out_dir;   // where recordings go
  std::optional<std::string> language;  // zh-CN / en
  std::optional<std::string> shop_name;      // the watermark on the stream (empty: none)
  std::optional<std::string> card_position;  // bottom-left / bottom-right / top-right
  std::vector<ConfigDestination> destinations;  // [[destinations]] url = "...", key = "..."
  std::optional<std::string> api;       // the platform API's base URL (cunbo feed, live sessions)
  std::optional<std::string> token;     // the platform token: a secret, never logged or printed
  bool readable_by_others = false;      // the file's mode lets others read it (it may hold keys)

  friend bool operator==(const Config&, const Config&) = default;
};

struct ConfigError {
  std::string id;    // string-table id of the message
  std::string what;  // what it names (path, key)
  std::string detail;
};

[[nodiscard]] std::filesystem::path config_path();
[[nodiscard]] const std::vector<std::string>& config_keys();

// A missing file is an empty config, not an error.
[[nodiscard]] std::variant<Config, ConfigError> load_config(const std::filesystem::path& path);
// The rules every stored value follows (`config set`, the settings panel): nullopt when `value`
// is acceptable for `key`, else the error (its id names the host-facing message).
[[nodiscard]] std::optional<ConfigError> validate_config_value(const std::string& key, const std::string& value);
// Validates and stores one key, keeping the others; creates the file (and folder) with 0600.
[[nodiscard]] std::optional<ConfigError> set_config_value(const std::filesystem::path& path, const std::string& key,
                                                          const std::string& value);

}  // namespace cunbo
