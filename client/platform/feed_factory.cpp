#include "client/platform/feed_factory.h"

#include <vector>

#include <spdlog/spdlog.h>

#include "client/base/assets.h"
#include "client/base/strings.h"
#include "client/platform/http_platform.h"
#include "client/platform/practice_simulator.h"

namespace cunbo {

std::filesystem::path default_practice_catalog() {
  const std::filesystem::path dir = assets_dir();
  return dir.empty() ? std::filesystem::path() : dir / "sample-catalog.json";
}

std::unique_ptr<PlatformFeed> make_http_feed(const HttpFeedSettings& settings) {
  HttpPlatform::Options options;
  options.base_url = settings.base_url;
  options.token = settings.token;
  options.user_agent = "cunbo/" + (settings.version.empty() ? std::string("dev") : settings.version);
  return std::make_unique<HttpPlatform>(std::move(options));
}

std::variant<std::unique_ptr<PlatformFeed>, std::string> make_practice_feed(const PracticeFeedSettings& settings) {
  const std::filesystem::path catalog = settings.catalog.empty() ? default_practice_catalog() : settings.catalog;
  if (catalog.empty()) return tr("catalog.no_sample");
  std::vector<std::string> skipped;
  auto loaded = load_practice_catalog(catalog, &skipped);
  for (const std::string& why : skipped) spdlog::warn("[feed] catalog item skipped: {}", why);
  if (auto* error = std::get_if<std::string>(&loaded)) return *error;
  PracticeSimulatorOptions options;
  options.seed = settings.seed;
  options.orders_per_minute = settings.orders_per_minute;
  options.comments_per_minute = settings.comments_per_minute;
  spdlog::info("[feed] practice catalog {}", catalog.string());
  return std::unique_ptr<PlatformFeed>(
      std::make_unique<PracticeSimulator>(std::move(std::get<std::vector<Product>>(loaded)), std::move(options)));
}

std::optional<double> set_practice_rates(PracticeFeedSettings& settings, std::optional<double> orders,
                                         std::optional<double> comments) {
  for (const std::optional<double>& rate : {orders, comments})
    if (rate && !(*rate >= 0 && *rate <= 6000)) return *rate;
  if (orders) settings.orders_per_minute = *orders;
  if (comments) settings.comments_per_minute = *comments;
  return std::nullopt;
}

}  // namespace cunbo
