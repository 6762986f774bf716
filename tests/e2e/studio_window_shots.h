// What the studio window's whole-program tests share: the window's screenshots decoded (PNG,
// with libavcodec, independently of the window) and looked at, and a sandbox to run it in.
// Set CUNBO_SCREENSHOT_DIR to keep the screenshots (studio-<state>.png) for a look.
#pragma once


#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string_view>
#include <string>
#include <vector>

#include "media/av.h"
#include "tests/support/cunbo_cli.h"
#include "tests/support/subprocess.h"

namespace cunbo::test {

struct PixelBox {
  int x = 0, y = 0, w = 0, h = 0;
};

struct Rgb {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // RGB24, rows packed

  [[nodiscard]] const uint8_t* at(int x, int y) const {
    return pixels.data() + (static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)) * 3;
  }
};

// A text the window drew in its screenshot frame, as it wrote it beside the picture
// (<png>.txt: "x y w h #rrggbb text").
struct ShownText {
  PixelBox box;
  uint32_t rgb = 0;
  std::string text;
};

inline std::vector<ShownText> read_shown_texts(const std::filesystem::path& png) {
  std::vector<ShownText> out;
  std::ifstream in(png.string() + ".txt");
  std::string line;
  while (std::getline(in, line)) {
    ShownText t;
    char hash = 0;
    std::istringstream fields(line);
    fields >> t.box.x >> t.box.y >> t.box.w >> t.box.h >> hash >> std::hex >> t.rgb;
    if (!fields || hash != '#') continue;
    fields.get();  // the space before the text
    std::getline(fields, t.text);
    out.push_back(std::move(t));
  }
  return out;
}

// The texts whose middle lies in `box`, top to bottom, one per line: what a host reads there.
inline std::string words_in(const std::vector<ShownText>& texts, const PixelBox& box) {
  std::string out;
  for (const ShownText& t : texts) {
    const int cx = t.box.x + t.box.w / 2;
    const int cy = t.box.y + t.box.h / 2;
    if (cx >= box.x && cx < box.x + box.w && cy >= box.y && cy < box.y + box.h) out += t.text + "\n";
  }
  return out;
}

// The colour (0xRRGGBB) `text` was drawn in, or nullopt when no text drawn contains it.
inline std::optional<uint32_t> colour_of(const std::vector<ShownText>& texts, std::string_view text) {
  for (const ShownText& t : texts)
    if (t.text.find(text) != std::string::npos) return t.rgb;
  return std::nullopt;
}

// Decodes a PNG with libavcodec (what the window wrote, read independently of it).
inline Rgb decode_png(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Rgb out;
  if (bytes.empty()) return out;
  const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_PNG);
  av::CodecContext ctx(avcodec_alloc_context3(codec));
  if (!ctx || avcodec_open2(ctx.get(), codec, nullptr) < 0) return out;
  av::Packet packet = av::make_packet();
  packet->data = bytes.data();
  packet->size = static_cast<int>(bytes.size());
  av::Frame frame = av::make_frame();
  if (avcodec_send_packet(ctx.get(), packet.get()) < 0 || avcodec_receive_frame(ctx.get(), frame.get()) < 0) return out;
  packet->data = nullptr;
  packet->size = 0;
  av::Sws sws(sws_getContext(frame->width, frame->height, static_cast<AVPixelFormat>(frame->format), frame->width,
                             frame->height, AV_PIX_FMT_RGB24, SWS_POINT, nullptr, nullptr, nullptr));
  if (!sws) return out;
  out.width = frame->width;
  out.height = frame->height;
  out.pixels.resize(static_cast<size_t>(out.width) * static_cast<size_t>(out.height) * 3);
  uint8_t* dst[4] = {out.pixels.data(), nullptr, nullptr, nullptr};
  int dst_stride[4] = {out.width * 3, 0, 0, 0};
  sws_scale(sws.get(), frame->data, frame->linesize, 0, frame->height, dst, dst_stride);
  return out;
}

struct RegionStats {
  double mean = 0;      // luma
  double variance = 0;  // luma
  int distinct = 0;     // distinct quantised colours (6 bits per channel)
};

inline RegionStats stats(const Rgb& image, const PixelBox& box) {
  RegionStats s;
  double sum = 0;
  double sum2 = 0;
  std::vector<bool> seen(1 << 18, false);
  const int n = box.w * box.h;
  for (int y = box.y; y < box.y + box.h; ++y) {
    for (int x = box.x; x < box.x + box.w; ++x) {
      const uint8_t* p = image.at(x, y);
      const double luma = 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
      sum += luma;
      sum2 += luma * luma;
      const int q = ((p[0] >> 2) << 12) | ((p[1] >> 2) << 6) | (p[2] >> 2);
      if (!seen[static_cast<size_t>(q)]) {
        seen[static_cast<size_t>(q)] = true;
        ++s.distinct;
      }
    }
  }
  s.mean = sum / n;
  s.variance = sum2 / n - s.mean * s.mean;
  return s;
}

// Pixels close to `rgb` (each channel within `tolerance`) inside `box`.
inline int count_color(const Rgb& image, const PixelBox& box, uint32_t rgb, int tolerance = 24) {
  const int r = static_cast<int>((rgb >> 16) & 0xFF);
  const int g = static_cast<int>((rgb >> 8) & 0xFF);
  const int b = static_cast<int>(rgb & 0xFF);
  int count = 0;
  for (int y = box.y; y < box.y + box.h; ++y) {
    for (int x = box.x; x < box.x + box.w; ++x) {
      const uint8_t* p = image.at(x, y);
      if (std::abs(p[0] - r) <= tolerance && std::abs(p[1] - g) <= tolerance && std::abs(p[2] - b) <= tolerance) ++count;
    }
  }
  return count;
}

// The smallest box around the pixels close to `rgb` in `within` (nullopt when there are none).
inline std::optional<PixelBox> bounds_of(const Rgb& image, const PixelBox& within, uint32_t rgb, int tolerance = 10) {
  int x0 = within.x + within.w, y0 = within.y + within.h, x1 = -1, y1 = -1;
  const int r = static_cast<int>((rgb >> 16) & 0xFF);
  const int g = static_cast<int>((rgb >> 8) & 0xFF);
  const int b = static_cast<int>(rgb & 0xFF);
  for (int y = within.y; y < within.y + within.h; ++y) {
    for (int x = within.x; x < within.x + within.w; ++x) {
      const uint8_t* p = image.at(x, y);
      if (std::abs(p[0] - r) > tolerance || std::abs(p[1] - g) > tolerance || std::abs(p[2] - b) > tolerance) continue;
      x0 = std::min(x0, x);
      y0 = std::min(y0, y);
      x1 = std::max(x1, x);
      y1 = std::max(y1, y);
    }
  }
  if (x1 < 0) return std::nullopt;
  return PixelBox{x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

// The rows of `box` holding at least `min_pixels` pixels close to `rgb`, as runs of
// consecutive rows [first, last] (a button's fill, a panel's white).
struct RowRun {
  int first = 0, last = 0;
  [[nodiscard]] int height() const { return last - first + 1; }
};
inline std::vector<RowRun> row_runs(const Rgb& image, const PixelBox& box, uint32_t rgb, int min_pixels,
                                    int tolerance = 10) {
  std::vector<RowRun> runs;
  for (int y = box.y; y < box.y + box.h; ++y) {
    if (count_color(image, PixelBox{box.x, y, box.w, 1}, rgb, tolerance) < min_pixels) continue;
    if (!runs.empty() && runs.back().last == y - 1) {
      runs.back().last = y;
    } else {
      runs.push_back({y, y});
    }
  }
  return runs;
}

class StudioWindowFixture : public ::testing::Test {
 protected:
  CunboSandbox cunbo{CUNBO_BINARY, "cunbo-window"};

  // Screenshots go to CUNBO_SCREENSHOT_DIR when set (to look at them), else the sandbox.
  [[nodiscard]] std::filesystem::path screenshot_path(const std::string& state) const {
    std::filesystem::path dir = cunbo.work_dir();
    if (const char* keep = std::getenv("CUNBO_SCREENSHOT_DIR"); keep && *keep) dir = keep;
    std::filesystem::create_directories(dir);
    return dir / ("studio-" + state + ".png");
  }

  [[nodiscard]] EnvChanges env(EnvChanges extra = {}) const {
    EnvChanges e{{"XDG_STATE_HOME", (cunbo.work_dir() / "state").string()},
                 {"XDG_CACHE_HOME", (cunbo.work_dir() / "cache").string()},
                 {"SDL_AUDIODRIVER", "dummy"}};
    for (auto& [k, v] : extra) e[k] = v;
    return e;
  }

  void write_config(const std::string& toml) const { cunbo.write_config(toml); }

  // Renders the window headless and decodes the picture; the run must end with status 0 and the
  // picture be `width` x `height` (the default window for screenshots, or --window-size's).
  Rgb screenshot(const std::string& state, std::vector<std::string> args, const EnvChanges& extra = {},
                 Clock::duration timeout = std::chrono::seconds(60), int width = 1280, int height = 800) {
    const auto path = screenshot_path(state);
    std::filesystem::remove(path);
    args.insert(args.begin(), {"--screenshot", path.string()});
    const RunResult r = cunbo.run(args, env(extra), timeout);
    EXPECT_TRUE(r.status.success()) << r.describe();
    EXPECT_TRUE(std::filesystem::exists(path)) << r.describe();
    Rgb image = decode_png(path);
    EXPECT_EQ(image.width, width);
    EXPECT_EQ(image.height, height);
    return image;
  }
};

}  // namespace cunbo::test
