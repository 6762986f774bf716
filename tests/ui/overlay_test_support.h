// Helpers shared by the overlay tests: pixel access, PNG files (stb, the system libstb that
// Dear ImGui links), a scoped environment variable, the sample catalog and its pictures.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <stb_image.h>
#include <stb_image_write.h>

#include "client/platform/image_loader.h"
#include "client/platform/platform_json.h"
#include "ui/overlay/overlay_rasterizer.h"
#include "tests/support/environment.h"

namespace cunbo::ui::test {

struct Pixel {
  int r, g, b, a;
};

inline Pixel pixel_at(const RgbaLayer& layer, int x, int y) {
  const uint8_t* p = layer.rgba.data() + (static_cast<size_t>(y) * static_cast<size_t>(layer.width) + static_cast<size_t>(x)) * 4;
  return {p[0], p[1], p[2], p[3]};
}

inline bool transparent(const Pixel& p) { return p.r == 0 && p.g == 0 && p.b == 0 && p.a == 0; }

// Sets an environment variable for one scope, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    cunbo::test::set_env(name, value);
  }
  ~ScopedEnv() {
    if (old_) cunbo::test::set_env(name_, *old_);
    else cunbo::test::unset_env(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// The premultiplied layer composited over an opaque background (rgb), as the viewer sees it.
inline std::vector<uint8_t> composite_over(const RgbaLayer& layer, const std::vector<uint8_t>& background_rgb) {
  std::vector<uint8_t> out(static_cast<size_t>(layer.width) * static_cast<size_t>(layer.height) * 3);
  for (size_t i = 0, n = out.size() / 3; i < n; ++i) {
    const int a = layer.rgba[i * 4 + 3];
    for (int c = 0; c < 3; ++c) {
      out[i * 3 + c] = static_cast<uint8_t>(std::min(255, layer.rgba[i * 4 + c] + (background_rgb[i * 3 + c] * (255 - a) + 127) / 255));
    }
  }
  return out;
}

// A neutral, video-like backdrop: a soft green-brown gradient (a field at dusk).
inline std::vector<uint8_t> neutral_background(int width, int height) {
  std::vector<uint8_t> rgb(static_cast<size_t>(width) * static_cast<size_t>(height) * 3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const float fy = static_cast<float>(y) / static_cast<float>(height);
      const float fx = static_cast<float>(x) / static_cast<float>(width);
      uint8_t* p = rgb.data() + (static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)) * 3;
      p[0] = static_cast<uint8_t>(120 + 60 * (1 - fy) - 20 * fx);
      p[1] = static_cast<uint8_t>(130 + 30 * fy + 10 * fx);
      p[2] = static_cast<uint8_t>(110 + 50 * (1 - fy));
    }
  }
  return rgb;
}

inline bool write_png(const std::filesystem::path& path, int width, int height, int channels, const uint8_t* data) {
  return stbi_write_png(path.string().c_str(), width, height, channels, data, width * channels) != 0;
}

struct LoadedImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgba;
};
inline std::optional<LoadedImage> read_png_rgba(const std::filesystem::path& path) {
  int w = 0, h = 0, n = 0;
  uint8_t* data = stbi_load(path.string().c_str(), &w, &h, &n, 4);
  if (!data) return std::nullopt;
  LoadedImage image{w, h, std::vector<uint8_t>(data, data + static_cast<size_t>(w) * static_cast<size_t>(h) * 4)};
  stbi_image_free(data);
  return image;
}

inline std::filesystem::path source_dir() { return CUNBO_SOURCE_DIR; }

inline std::vector<uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::vector<Product> sample_catalog() {
  const std::vector<uint8_t> bytes = read_bytes(source_dir() / "assets/sample-catalog.json");
  std::vector<std::string> skipped;
  auto page = parse_products(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), skipped);
  return page ? page->products : std::vector<Product>{};
}

// The sample product's picture, decoded and fitted into box x box.
inline std::shared_ptr<const RgbaImage> sample_picture(const Product& product, int box) {
  const std::vector<uint8_t> bytes = read_bytes(source_dir() / "assets" / product.image_url);
  auto decoded = decode_image(bytes, box, box);
  if (auto* image = std::get_if<RgbaImage>(&decoded)) return std::make_shared<const RgbaImage>(std::move(*image));
  return nullptr;
}

}  // namespace cunbo::ui::test
