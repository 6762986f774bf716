#include "client/platform/image_cache.h"

#include <memory>
#include <system_error>

#include <spdlog/spdlog.h>

#include "client/base/files.h"
#include "client/base/paths.h"
#include "client/platform/image_fetch.h"
#include "media/av.h"

namespace cunbo {

std::filesystem::path image_cache_dir() { return cache_dir() / "images"; }

std::string image_cache_key(std::string_view url) {
  std::unique_ptr<AVSHA, decltype(&av_free)> sha(av_sha_alloc(), &av_free);
  uint8_t digest[32] = {};
  if (sha && av_sha_init(sha.get(), 256) == 0) {
    av_sha_update(sha.get(), reinterpret_cast<const uint8_t*>(url.data()), url.size());
    av_sha_final(sha.get(), digest);
  }
  std::string hex;
  for (uint8_t b : digest) hex += fmt::format("{:02x}", b);
  return hex;
}

// ---- On disk --------------------------------------------------------------------------------

ImageDiskCache::ImageDiskCache(std::filesystem::path dir, ImageLimits limits)
    : dir_(std::move(dir)), limits_(limits) {}

std::filesystem::path ImageDiskCache::path_for(std::string_view url) const { return dir_ / image_cache_key(url); }

std::optional<std::vector<uint8_t>> ImageDiskCache::read(std::string_view url) const {
  const std::filesystem::path path = path_for(url);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  auto bytes = read_image_file(path, limits_);
  if (auto* b = std::get_if<std::vector<uint8_t>>(&bytes)) return std::move(*b);
  return std::vector<uint8_t>{};
}

void ImageDiskCache::forget(std::string_view url) {
  std::error_code ec;
  std::filesystem::remove(path_for(url), ec);
}

void ImageDiskCache::keep(std::string_view url, std::span<const uint8_t> bytes) {
  const std::filesystem::path path = path_for(url);
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  const int error = replace_file(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  if (error != 0)
    spdlog::warn("[images] cannot keep {} in {}: {}", loggable_image_url(url), dir_.string(), file_error_text(error));
}

// ---- In memory ------------------------------------------------------------------------------

std::optional<RgbaImage> ImageMemoryCache::find(const ImageKey& key) {
  const auto it = by_key_.find(key);
  if (it == by_key_.end()) return std::nullopt;
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->second;
}

void ImageMemoryCache::remember(const ImageKey& key, const RgbaImage& image) {
  if (by_key_.contains(key) || image.pixels.size() > budget_bytes_) return;
  entries_.emplace_front(key, image);
  by_key_[key] = entries_.begin();
  bytes_ += image.pixels.size();
  while (bytes_ > budget_bytes_ && !entries_.empty()) {
    bytes_ -= entries_.back().second.pixels.size();
    by_key_.erase(entries_.back().first);
    entries_.pop_back();
  }
}

}  // namespace cunbo
