// The last product list the platform gave, kept on disk ($XDG_CACHE_HOME/cunbo/products.json)
// so that a studio started without a network still shows what the host sells, marked as
// cached. Written atomically (temp file, then rename): a crash leaves the old list or the new
// one, never half of either. Plain functions; any thread (one writer at a time).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "client/platform/platform_feed.h"

namespace cunbo {

struct CachedProducts {
  std::vector<Product> products;
  std::string saved_at;  // RFC 3339, when they were written
};

[[nodiscard]] std::filesystem::path product_cache_path();  // $XDG_CACHE_HOME/cunbo/products.json

// False (and a logged reason) when the file cannot be written.
bool save_products(const std::filesystem::path& path, const std::vector<Product>& products);
// Nullopt when there is no file or it is not ours. A product with wrong fields is left out.
[[nodiscard]] std::optional<CachedProducts> load_products(const std::filesystem::path& path);

}  // namespace cunbo
