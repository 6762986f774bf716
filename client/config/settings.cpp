#include "client/config/settings.h"

#include <cmath>
#include <map>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <toml.hpp>

#include "client/config/config_toml.h"
#include "client/config/destination.h"
#include "client/base/strings.h"

namespace cunbo {

namespace {

// Sorted keys and the host's comments kept: the file stays readable after a save.
using TomlValue = toml::basic_value<toml::preserve_comments, std::map, std::vector>;
using TomlTable = TomlValue::table_type;

// A pasted key or token drags a newline or a space along more often than not.
bool has_space_or_control(const std::string& text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return true;
  }
  return false;
}

std::optional<ConfigError> validate_destination(const ConfigDestination& dest) {
  const std::string shown = mask_url(dest.url);
  if (dest.url.empty()) return ConfigError{"settings.err_dest_empty", {}, {}};
  if (has_space_or_control(dest.url)) return ConfigError{"err.bad_dest", shown, {}};
  if (dest.key && has_space_or_control(*dest.key)) return ConfigError{"settings.err_key", shown, {}};
  const auto made = make_destination(dest);
  if (const auto* err = std::get_if<DestinationError>(&made)) {
    // err.dest_needs_key speaks of --key-file: the panel has a key field instead.
    return ConfigError{err->id == "err.dest_needs_key" ? "settings.err_dest_needs_key" : err->id, mask_url(err->what),
                       {}};
  }
  return std::nullopt;
}

void set_or_erase(TomlTable& table, const std::string& key, const std::optional<std::string>& value) {
  if (value) table[key] = *value;
  else table.erase(key);
}

}  // namespace

std::optional<ConfigError> validate_config(const Config& config) {
  for (const auto& [key, value] :
       {std::pair{"video", config.video}, std::pair{"audio", config.audio}, std::pair{"quality", config.quality},
        std::pair{"language", config.language}, std::pair{"card_position", config.card_position},
        std::pair{"api", config.api}, std::pair{"ca_file", config.ca_file}, std::pair{"orientation", config.orientation},
        std::pair{"framing", config.framing}}) {
    if (!value) continue;
    if (auto err = validate_config_value(key, *value)) {
      // `config set`'s message for the API names the key; the panel's names the field.
      if (std::string_view(key) == "api") return ConfigError{"settings.err_api", *value, {}};
      return err;
    }
  }
  if (config.duration && !(std::isfinite(*config.duration) && *config.duration > 0))
    return ConfigError{"err.bad_duration", fmt::format("{}", *config.duration), {}};
  if (config.token && (config.token->empty() || has_space_or_control(*config.token)))
    return ConfigError{"settings.err_token", {}, {}};
  for (const ConfigDestination& dest : config.destinations) {
    if (auto err = validate_destination(dest)) return err;
  }
  return std::nullopt;
}

std::optional<ConfigError> save_config_file(const std::filesystem::path& path, const Config& config,
                                            std::optional<KeptAside>* kept_aside) {
  if (auto err = validate_config(config)) return err;

  TomlValue data = TomlTable{};
  std::optional<ConfigProblem> broken;  // a file we cannot use: kept aside whole, never overwritten
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) {  // anything else is not moved: the write then fails
    auto parsed = parse_config_toml<toml::preserve_comments, std::map>(path);
    if (auto* problem = std::get_if<ConfigProblem>(&parsed)) broken = std::move(*problem);
    else data = std::move(std::get<TomlValue>(parsed));
  }

  TomlTable& table = data.as_table();
  set_or_erase(table, "video", config.video);
  set_or_erase(table, "audio", config.audio);
  set_or_erase(table, "quality", config.quality);
  set_or_erase(table, "out_dir", config.out_dir);
  set_or_erase(table, "language", config.language);
  set_or_erase(table, "shop_name", config.shop_name);
  set_or_erase(table, "card_position", config.card_position);
  set_or_erase(table, "api", config.api);
  set_or_erase(table, "ca_file", config.ca_file);
  set_or_erase(table, "token", config.token);
  if (config.duration) table["duration"] = *config.duration;
  else table.erase("duration");
  if (config.second_encode) table["second_encode"] = *config.second_encode;
  else table.erase("second_encode");
  set_or_erase(table, "light", config.light);
  set_or_erase(table, "orientation", config.orientation);
  set_or_erase(table, "framing", config.framing);
  for (auto [key, value] : {std::pair{"framing_zoom", config.framing_zoom}, std::pair{"framing_x", config.framing_x},
                            std::pair{"framing_y", config.framing_y}}) {
    if (value) table[key] = *value;
    else table.erase(key);
  }
  if (config.camera_rotation) table["camera_rotation"] = *config.camera_rotation;
  else table.erase("camera_rotation");
  for (auto [key, value] : {std::pair{"beauty", config.beauty}, std::pair{"brightness", config.brightness},
                            std::pair{"contrast", config.contrast}, std::pair{"saturation", config.saturation},
                            std::pair{"warmth", config.warmth}}) {
    if (value) table[key] = *value;
    else table.erase(key);
  }
  for (auto [key, value] : {std::pair{"denoise", config.denoise}, std::pair{"mirror", config.mirror},
                            std::pair{"mirror_stream", config.mirror_stream}}) {
    if (value) table[key] = *value;
    else table.erase(key);
  }
  if (config.mic_gain) table["mic_gain"] = *config.mic_gain;
  else table.erase("mic_gain");

  if (config.destinations.empty()) {
    table.erase("destinations");
  } else {
    // Row i keeps whatever else the host wrote in the file's i-th [[destinations]] table.
    std::vector<TomlValue> old_rows;
    if (auto it = table.find("destinations"); it != table.end() && it->second.is_array()) old_rows = it->second.as_array();
    std::vector<TomlValue> rows;
    for (size_t i = 0; i < config.destinations.size(); ++i) {
      TomlValue row = i < old_rows.size() && old_rows[i].is_table() ? old_rows[i] : TomlValue(TomlTable{});
      row.as_table()["url"] = config.destinations[i].url;
      set_or_erase(row.as_table(), "key", config.destinations[i].key);
      rows.push_back(std::move(row));
    }
    table["destinations"] = std::move(rows);
  }

  std::ostringstream text;
  text << data;
  if (auto error = write_config_text(path, text.str(), std::move(broken), kept_aside)) return error;
  spdlog::info("[settings] saved {}", path.string());
  return std::nullopt;
}

std::string config_error_text(const ConfigError& error) {
  // Every message takes at most (what, detail); extra arguments are ignored by the formatter.
  try {
    return tr(error.id, error.what, error.detail);
  } catch (const std::exception&) {
    return tr(error.id);
  }
}

}  // namespace cunbo
