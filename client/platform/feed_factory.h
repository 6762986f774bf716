// Builds the PlatformFeed a command or the session asks for: the platform over HTTP, or the
// practice simulator over a catalog. Keeps the choice (and where the sample catalog lives) in
// one place.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "client/platform/platform_feed.h"

namespace cunbo {

struct HttpFeedSettings {
  std::string base_url;
  std::string token;  // a secret: handed to HttpPlatform only
  std::string version;  // for the User-Agent, "cunbo/<version>"
};

struct PracticeFeedSettings {
  std::filesystem::path catalog;  // empty: default_practice_catalog()
  uint64_t seed = 1;
  double orders_per_minute = 6.0;
  double comments_per_minute = 20.0;
};

// Sets the simulator's rates that were given (orders, comments per minute). Returns the first
// one outside 0–6000, which the caller reports; nothing is set then.
[[nodiscard]] std::optional<double> set_practice_rates(PracticeFeedSettings& settings, std::optional<double> orders,
                                                       std::optional<double> comments);

// The bundled sample catalog, assets_dir()/sample-catalog.json (client/base/assets.h). Empty if
// none exists.
[[nodiscard]] std::filesystem::path default_practice_catalog();

// A practice feed that cannot be made gives the host's message (naming the catalog).
[[nodiscard]] std::unique_ptr<PlatformFeed> make_http_feed(const HttpFeedSettings& settings);
[[nodiscard]] std::variant<std::unique_ptr<PlatformFeed>, std::string> make_practice_feed(
    const PracticeFeedSettings& settings);

}  // namespace cunbo
