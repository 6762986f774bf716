#include "client/platform/feed_factory.h"

#include <unistd.h>

#include <cstdlib>
#include <system_error>
#include <vector>

#include <spdlog/spdlog.h>

#include "client/platform/http_platform.h"
#include "client/platform/practice_simulator.h"

namespace cunbo {

std::filesystem::path default_practice_catalog() {
  std::error_code ec;
  if (const char* assets = std::getenv("CUNBO_ASSETS_DIR"); assets && *assets) {
    auto path = std::filesystem::path(assets) / "sample-catalog.json";
    if (std::filesystem::exists(path, ec)) return path;
  }
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  if (auto installed = exe.parent_path().parent_path() / "share" / "cunbo" / "sample-catalog.json";
      std::filesystem::exists(installed, ec))
    return installed;
  for (auto dir = exe.parent_path(); !dir.empty(); dir = dir.parent_path()) {
    if (auto path = dir / "assets" / "sample-catalog.json"; std::filesystem::exists(path, ec)) return path;
    if (dir == dir.root_path()) break;
  }
  return {};
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
  if (catalog.empty()) return std::string("assets/sample-catalog.json not found (set CUNBO_ASSETS_DIR)");
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
