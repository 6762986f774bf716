// The whole config saved at once, as the settings panel and the first-start guide do: every
// field validated with the rules of `config set` (validate_config_value), then the file replaced
// atomically and kept private (0600), with whatever else the host wrote in it (unknown keys,
// comments) kept.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "client/config/config.h"

namespace cunbo {

// The first field of `config` that may not be stored, or nullopt. The error's id names a
// host-facing message; its `what` never holds a stream key or token (destinations appear
// masked), so the message may be shown and logged.
[[nodiscard]] std::optional<ConfigError> validate_config(const Config& config);

// Validates `config`, then writes every field of it to `path` (a private temp file, fsync,
// rename over the old one): the old file stays as it was when anything fails. Unset fields
// are removed from the file; keys this version does not know and comments are kept. A file
// that cannot be read or parsed is moved aside whole (config.toml.broken-YYYYmmdd-HHMMSS, 0600;
// an earlier one is never overwritten) before the new one is written; `kept_aside` (when given)
// then says what was wrong with it and where it went.
[[nodiscard]] std::optional<ConfigError> save_config_file(const std::filesystem::path& path, const Config& config,
                                                          std::optional<KeptAside>* kept_aside = nullptr);

// The error in the host's language, in plain words ("推流地址「rtmp://…/****」不对…").
[[nodiscard]] std::string config_error_text(const ConfigError& error);

}  // namespace cunbo
