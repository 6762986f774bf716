#include "client/config/config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>
#include <toml.hpp>

#include "client/base/paths.h"
#include "client/config/card_placement.h"
#include "media/encoder_settings.h"
#include "media/source_spec.h"

namespace cunbo {

std::filesystem::path config_path() { return config_dir() / "config.toml"; }

const std::vector<std::string>& config_keys() {
  static const std::vector<std::string> keys = {"video", "audio", "quality", "duration", "out_dir", "language", "api",
                                                "shop_name", "card_position"};
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
  if (key == "api" && !value.starts_with("https://") && !value.starts_with("http://"))
    return ConfigError{"err.config_invalid", key, value};
  if (key == "duration") {
    char* end = nullptr;
    double seconds = std::strtod(value.c_str(), &end);
    if (end == value.c_str() || *end != '\0' || !(seconds > 0)) return ConfigError{"err.bad_duration", value, {}};
  }
  return std::nullopt;
}

std::variant<Config, ConfigError> load_config(const std::filesystem::path& path) {
  Config config;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return config;
  try {
    const toml::value data = toml::parse(path.string());
    auto get_string = [&](const char* key) -> std::optional<std::string> {
      if (!data.contains(key)) return std::nullopt;
      return toml::find<std::string>(data, key);
    };
    config.video = get_string("video");
    config.audio = get_string("audio");
    config.quality = get_string("quality");
    config.out_dir = get_string("out_dir");
    config.language = get_string("language");
    config.shop_name = get_string("shop_name");
    config.card_position = get_string("card_position");
    config.api = get_string("api");
    // Not settable with `config set` (argv shows in `ps`): the host writes it in the file.
    config.token = get_string("token");
    if (data.contains("destinations")) {
      for (const toml::value& d : toml::find<toml::array>(data, "destinations")) {
        ConfigDestination dest{toml::find<std::string>(d, "url"), std::nullopt};
        if (d.contains("key")) dest.key = toml::find<std::string>(d, "key");
        config.destinations.push_back(std::move(dest));
      }
    }
    if (data.contains("duration")) {
      const toml::value& d = data.at("duration");
      config.duration = d.is_integer() ? static_cast<double>(d.as_integer()) : toml::get<double>(d);
    }
  } catch (const std::exception& e) {
    return ConfigError{"err.config_invalid", path.string(), e.what()};
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) config.readable_by_others = (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
  for (const auto& [key, value] : {std::pair{"video", config.video}, std::pair{"audio", config.audio},
                                   std::pair{"quality", config.quality}, std::pair{"language", config.language},
                                   std::pair{"api", config.api}, std::pair{"card_position", config.card_position}}) {
    if (value) {
      if (auto err = validate_config_value(key, *value)) return ConfigError{"err.config_invalid", path.string(), *value};
    }
  }
  return config;
}

std::optional<ConfigError> set_config_value(const std::filesystem::path& path, const std::string& key,
                                            const std::string& value) {
  bool known = false;
  for (const std::string& k : config_keys()) known = known || k == key;
  if (!known) return ConfigError{"err.config_unknown_key", key, {}};
  if (auto err = validate_config_value(key, value)) return err;

  toml::value data = toml::table{};
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    try {
      data = toml::parse(path.string());
    } catch (const std::exception& e) {
      return ConfigError{"err.config_invalid", path.string(), e.what()};
    }
  }
  if (key == "duration") data[key] = std::strtod(value.c_str(), nullptr);
  else data[key] = value;

  std::filesystem::create_directories(path.parent_path(), ec);
  // Write a private temp file, then rename over the old one: never a half-written config, and
  // never a moment where it is readable by others.
  const std::string tmp = path.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ConfigError{"err.config_write", path.string(), std::strerror(errno)};
  ::fchmod(fd, 0600);
  std::ostringstream text;
  text << data << '\n';
  const std::string bytes = text.str();
  const bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return ConfigError{"err.config_write", path.string(), std::strerror(errno)};
  }
  spdlog::info("[config] {} set in {}", key, path.string());
  return std::nullopt;
}

}  // namespace cunbo
