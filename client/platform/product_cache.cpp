#include "client/platform/product_cache.h"

#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "client/base/files.h"
#include "client/base/paths.h"

namespace cunbo {

namespace {

constexpr int kVersion = 1;
constexpr std::uintmax_t kMaxFileBytes = 16u << 20;  // far more than any product list

nlohmann::json to_json(const Product& p) {
  nlohmann::json j = {{"id", p.id},
                      {"title", p.title},
                      {"subtitle", p.subtitle},
                      {"price_cents", p.price_cents},
                      {"currency", p.currency},
                      {"image_url", p.image_url},
                      {"tags", p.tags}};
  j["original_price_cents"] = p.original_price_cents ? nlohmann::json(*p.original_price_cents) : nlohmann::json();
  j["stock"] = p.stock ? nlohmann::json(*p.stock) : nlohmann::json();
  return j;
}

std::optional<int64_t> optional_int(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
  return j.at(key).get<int64_t>();
}

Product from_json(const nlohmann::json& j) {
  Product p;
  p.id = j.at("id").get<std::string>();
  p.title = j.at("title").get<std::string>();
  p.subtitle = j.value("subtitle", std::string());
  p.price_cents = j.at("price_cents").get<int64_t>();
  p.original_price_cents = optional_int(j, "original_price_cents");
  p.currency = j.value("currency", std::string("CNY"));
  p.stock = optional_int(j, "stock");
  p.image_url = j.value("image_url", std::string());
  if (j.contains("tags")) p.tags = j.at("tags").get<std::vector<std::string>>();
  return p;
}

}  // namespace

std::filesystem::path product_cache_path() { return cache_dir() / "products.json"; }

bool save_products(const std::filesystem::path& path, const std::vector<Product>& products) {
  nlohmann::json doc = {{"version", kVersion}, {"saved_at", local_rfc3339(std::chrono::system_clock::now())}, {"products", nlohmann::json::array()}};
  for (const Product& p : products) doc["products"].push_back(to_json(p));
  // Invalid UTF-8 from a server was already refused by the parser; replace rather than throw.
  const std::string bytes = doc.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";

  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (const int error = replace_file(path, bytes); error != 0) {
    spdlog::warn("[products] cannot write {}: {}", path.string(), file_error_text(error));
    return false;
  }
  spdlog::debug("[products] kept {} products in {}", products.size(), path.string());
  return true;
}

std::optional<CachedProducts> load_products(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return std::nullopt;
  if (size > kMaxFileBytes) {
    spdlog::warn("[products] {} is too large to be ours ({} bytes); ignored", path.string(), size);
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
  // Every check looks at the type first: a value of the wrong type must not throw (a file
  // damaged on disk is ignored, never a crash, and the next list from the platform replaces it).
  const bool ours = !doc.is_discarded() && doc.is_object() && doc.contains("version") &&
                    doc.at("version").is_number_integer() && doc.at("version").get<int64_t>() == kVersion &&
                    doc.contains("products") && doc.at("products").is_array();
  if (!ours) {
    spdlog::warn("[products] {} is not a product list of ours; ignored", path.string());
    return std::nullopt;
  }
  CachedProducts cached;
  if (doc.contains("saved_at") && doc.at("saved_at").is_string()) cached.saved_at = doc.at("saved_at").get<std::string>();
  for (const nlohmann::json& item : doc.at("products")) {
    try {
      cached.products.push_back(from_json(item));
    } catch (const nlohmann::json::exception& e) {
      spdlog::warn("[products] a cached product was left out: {}", e.what());
    }
  }
  return cached;
}

}  // namespace cunbo
