// The two caches of product pictures. On disk: the downloaded bytes (not pixels, so that every
// card size decodes from them without the network), one file per URL under
// $XDG_CACHE_HOME/cunbo/images, named by the URL's SHA-256. In memory: decoded pictures per URL
// and box size, least recently used dropped first past a byte budget.
// Neither is thread-safe: the ImageLoader's worker thread is their one user.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/platform/image_limits.h"
#include "media/image_fit.h"  // RgbaImage

namespace cunbo {

// $XDG_CACHE_HOME/cunbo/images, else ~/.cache/cunbo/images.
[[nodiscard]] std::filesystem::path image_cache_dir();
// The disk-cache file name for a URL: the hex SHA-256 of the URL.
[[nodiscard]] std::string image_cache_key(std::string_view url);

class ImageDiskCache {
 public:
  // Files over limits.max_bytes are not read back (they could not have been downloaded).
  ImageDiskCache(std::filesystem::path dir, ImageLimits limits);

  // The bytes kept for `url`; nullopt when there are none. A file that cannot be read comes
  // back as no bytes, which do not decode: the caller forgets it like any unusable copy.
  [[nodiscard]] std::optional<std::vector<uint8_t>> read(std::string_view url) const;
  void forget(std::string_view url);
  // Written under a temporary name, then renamed: a crash never leaves half a picture under
  // the real name. A failure is logged; the picture is then simply downloaded again next time.
  void keep(std::string_view url, std::span<const uint8_t> bytes);

 private:
  [[nodiscard]] std::filesystem::path path_for(std::string_view url) const;

  std::filesystem::path dir_;
  ImageLimits limits_;
};

// A decoded picture is one URL fitted into one box.
struct ImageKey {
  std::string url;
  int box_w = 0;
  int box_h = 0;
  auto operator<=>(const ImageKey&) const = default;
};

class ImageMemoryCache {
 public:
  explicit ImageMemoryCache(size_t budget_bytes) : budget_bytes_(budget_bytes) {}

  // A copy of the picture kept for `key`, which becomes the most recently used; or nullopt.
  [[nodiscard]] std::optional<RgbaImage> find(const ImageKey& key);
  // Keeps a copy, unless one is kept already or it alone is over the budget; drops the least
  // recently used until the budget holds.
  void remember(const ImageKey& key, const RgbaImage& image);

 private:
  using Entries = std::list<std::pair<ImageKey, RgbaImage>>;

  size_t budget_bytes_;
  size_t bytes_ = 0;           // pixel bytes of everything in entries_
  Entries entries_;            // most recently used first
  std::map<ImageKey, Entries::iterator> by_key_;
};

}  // namespace cunbo
