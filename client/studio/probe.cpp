#include "client/studio/probe.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <random>

#include <spdlog/spdlog.h>

#include "client/base/strings.h"
#include "media/av.h"
#include "media/packet_sink.h"
#include "media/video_encoder.h"

namespace cunbo {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::array kPresets = {Quality::smooth_480p, Quality::standard_720p, Quality::high_1080p};
// The first frames pay for lazy set-up inside x264: not timed.
constexpr int kWarmupFrames = 2;
// Fewer timed frames than this say nothing: a preset gets them even past its share of the budget.
constexpr int kMinTimedFrames = 3;

// Counts what the encoder produces; nothing is kept.
class DiscardSink final : public PacketSink {
 public:
  std::string open(const std::vector<EncodedStream>&) override { return {}; }
  void push(const AVPacket& packet) override { bytes_ += static_cast<size_t>(packet.size); }
  void close() override {}
  [[nodiscard]] size_t bytes() const { return bytes_; }

 private:
  size_t bytes_ = 0;
};

uint8_t clamp_video(double v) { return static_cast<uint8_t>(std::clamp(v, 16.0, 235.0)); }

// A scene the size of a texture, panned across to make each frame: smooth shading, edges, fine
// detail (fabric, leaves, fruit skin) and, per frame, sensor noise. A flat colour or a static
// picture would make x264 look several times faster than with a real camera.
class SyntheticCamera {
 public:
  static constexpr int kTexture = 1024;  // luma texture side; a power of two (wrap with a mask)

  SyntheticCamera() : luma_(kTexture * kTexture), chroma_u_(kTexture / 2 * kTexture / 2), chroma_v_(chroma_u_.size()) {
    std::mt19937 random(20240601);
    std::uniform_int_distribution<int> detail(-18, 18);
    for (int y = 0; y < kTexture; ++y) {
      for (int x = 0; x < kTexture; ++x) {
        double v = 120 + 45 * std::sin(x * 0.013 + y * 0.007) + 25 * std::sin(x * 0.09) * std::cos(y * 0.06);
        if (((x / 96) + (y / 80)) % 3 == 0) v += 35;  // hard edges: boxes, a table, a shelf
        v += detail(random);
        luma_[static_cast<size_t>(y * kTexture + x)] = clamp_video(v);
      }
    }
    for (int y = 0; y < kTexture / 2; ++y) {
      for (int x = 0; x < kTexture / 2; ++x) {
        const size_t i = static_cast<size_t>(y * (kTexture / 2) + x);
        chroma_u_[i] = clamp_video(128 + 30 * std::sin(x * 0.02 + y * 0.011) + detail(random) / 3);
        chroma_v_[i] = clamp_video(128 + 30 * std::cos(x * 0.017 - y * 0.015) + detail(random) / 3);
      }
    }
    std::uniform_int_distribution<int> noise(-4, 4);
    for (int8_t& n : noise_) n = static_cast<int8_t>(noise(random));
  }

  // Frame `index` of a slow pan (a hand-held camera) with an object moving across it.
  void render(AVFrame& frame, int64_t index) {
    const double t = static_cast<double>(index) / 30.0;
    const int pan_x = static_cast<int>(40 * t + 12 * std::sin(t * 1.7));
    const int pan_y = static_cast<int>(20 * std::sin(t * 0.9));
    copy_plane(luma_.data(), kTexture, frame.data[0], frame.linesize[0], frame.width, frame.height, pan_x, pan_y);
    // The object: a box the host holds up, moving against the background.
    const int box_w = frame.width / 4;
    const int box_h = frame.height / 3;
    const int box_x = static_cast<int>((frame.width - box_w) * (0.5 + 0.4 * std::sin(t * 0.8)));
    const int box_y = frame.height / 3;
    for (int y = 0; y < box_h; ++y) {
      uint8_t* row = frame.data[0] + static_cast<ptrdiff_t>(box_y + y) * frame.linesize[0] + box_x;
      const uint8_t* src = luma_.data() + static_cast<size_t>(((y + 300) & (kTexture - 1)) * kTexture);
      for (int x = 0; x < box_w; ++x) row[x] = static_cast<uint8_t>(std::min(235, src[(x * 2) & (kTexture - 1)] + 30));
    }
    // Sensor noise, different in every frame.
    const size_t offset = static_cast<size_t>(index * 7919) % noise_.size();
    for (int y = 0; y < frame.height; ++y) {
      uint8_t* row = frame.data[0] + static_cast<ptrdiff_t>(y) * frame.linesize[0];
      size_t n = (offset + static_cast<size_t>(y) * 131) % noise_.size();
      for (int x = 0; x < frame.width; ++x) {
        row[x] = static_cast<uint8_t>(std::clamp(row[x] + noise_[n], 16, 235));
        if (++n == noise_.size()) n = 0;
      }
    }
    copy_plane(chroma_u_.data(), kTexture / 2, frame.data[1], frame.linesize[1], (frame.width + 1) / 2,
               (frame.height + 1) / 2, pan_x / 2, pan_y / 2);
    copy_plane(chroma_v_.data(), kTexture / 2, frame.data[2], frame.linesize[2], (frame.width + 1) / 2,
               (frame.height + 1) / 2, pan_x / 2, pan_y / 2);
  }

 private:
  // Copies a width × height window of a square, wrapping texture starting at (x0, y0).
  static void copy_plane(const uint8_t* texture, int side, uint8_t* dst, int pitch, int width, int height, int x0,
                         int y0) {
    const int mask = side - 1;
    for (int y = 0; y < height; ++y) {
      const uint8_t* src_row = texture + static_cast<ptrdiff_t>(((y + y0) & mask) * side);
      uint8_t* dst_row = dst + static_cast<ptrdiff_t>(y) * pitch;
      for (int x = 0; x < width;) {
        const int sx = (x + x0) & mask;
        const int run = std::min(width - x, side - sx);
        std::memcpy(dst_row + x, src_row + sx, static_cast<size_t>(run));
        x += run;
      }
    }
  }

  std::vector<uint8_t> luma_;
  std::vector<uint8_t> chroma_u_;
  std::vector<uint8_t> chroma_v_;
  std::array<int8_t, 65521> noise_{};  // a prime length: rows do not line up with each other
};

}  // namespace

double PresetSpeed::realtime() const { return fps / video_settings_for(quality).fps; }

bool ProbeResult::room_for_second_encode() const {
  const PresetSpeed* speed = chosen ? speed_of(*chosen) : nullptr;
  return speed && !cancelled && speed->realtime() >= 2 * kProbeHeadroom;
}

const PresetSpeed* ProbeResult::speed_of(Quality quality) const {
  for (const PresetSpeed& s : speeds) {
    if (s.quality == quality) return &s;
  }
  return nullptr;
}

ProbeResult probe_encode_speed(std::chrono::milliseconds budget, std::function<void(float progress)> progress,
                               std::stop_token stop) {
  ProbeResult result;
  const auto start = SteadyClock::now();
  const auto total = std::max(budget, std::chrono::milliseconds(1));
  auto report = [&](float value) {
    if (progress) progress(std::clamp(value, 0.0f, 1.0f));
  };
  auto elapsed_share = [&] {
    return static_cast<float>(std::chrono::duration<double>(SteadyClock::now() - start) / total);
  };
  report(0);

  std::unique_ptr<SyntheticCamera> camera;  // built lazily: its texture takes a few ms
  for (size_t p = 0; p < kPresets.size(); ++p) {
    if (stop.stop_requested()) break;
    const Quality quality = kPresets[p];
    const VideoSettings settings = video_settings_for(quality);
    auto opened = VideoEncoder::open(settings, AVCOL_SPC_BT709, 0);
    if (auto* error = std::get_if<std::string>(&opened)) {
      result.error = *error;
      spdlog::error("[probe] {}", *error);
      break;
    }
    VideoEncoder& encoder = *std::get<std::unique_ptr<VideoEncoder>>(opened);
    if (!camera) camera = std::make_unique<SyntheticCamera>();

    av::Frame frame = av::make_frame();
    frame->format = AV_PIX_FMT_YUV420P;
    frame->width = settings.width;
    frame->height = settings.height;
    if (av_frame_get_buffer(frame.get(), 0) < 0) {
      result.error = "cannot allocate a frame";
      break;
    }
    DiscardSink sink;
    // This preset's share of the budget ends at the same point whatever the earlier ones took.
    const auto slot_end = start + total * static_cast<int64_t>(p + 1) / static_cast<int64_t>(kPresets.size());
    std::chrono::duration<double> encoding{0};
    int timed = 0;
    bool failed = false;
    for (int64_t index = 0;; ++index) {
      if (stop.stop_requested()) break;
      if (SteadyClock::now() >= slot_end && timed >= kMinTimedFrames) break;
      // The encoder may still hold the last frame's buffer: write into a fresh one then.
      if (av_frame_make_writable(frame.get()) < 0) {
        failed = true;
        break;
      }
      camera->render(*frame, index);
      frame->pts = index;
      const auto before = SteadyClock::now();
      if (!encoder.encode(*frame, sink)) {
        failed = true;
        break;
      }
      if (index >= kWarmupFrames) {
        encoding += SteadyClock::now() - before;
        ++timed;
      }
      report(elapsed_share());
    }
    if (failed) {
      result.error = "the encoder failed";
      break;
    }
    if (stop.stop_requested()) break;
    PresetSpeed speed{quality, timed > 0 && encoding.count() > 0 ? timed / encoding.count() : 0, timed};
    result.speeds.push_back(speed);
    spdlog::info("[probe] {}: {:.1f} fps ({:.2f}x real time, {} frames, {} bytes)", quality_name(quality), speed.fps,
                 speed.realtime(), timed, sink.bytes());
    if (speed.realtime() < kProbeHeadroom) break;  // the bigger presets cost more still
  }

  if (stop.stop_requested()) {
    result.cancelled = true;
    spdlog::info("[probe] cancelled");
    return result;
  }
  if (!result.error.empty() || result.speeds.empty()) {
    if (result.error.empty()) result.error = "nothing was measured";
    return result;
  }
  for (const PresetSpeed& s : result.speeds) {
    if (s.realtime() >= kProbeHeadroom) result.chosen = s.quality;
  }
  if (!result.chosen) {
    result.chosen = Quality::smooth_480p;
    result.slow = true;
  }
  report(1);
  return result;
}

std::string quality_label(Quality quality) {
  return tr(std::string("settings.quality_") + std::string(quality_name(quality)));
}

std::string probe_summary(const ProbeResult& result) {
  if (result.cancelled) return tr("probe.cancelled");
  if (!result.chosen) return tr("probe.failed");
  const PresetSpeed* speed = result.speed_of(*result.chosen);
  const double realtime = speed ? speed->realtime() : 0;
  if (result.slow) return tr("probe.slow", realtime, quality_label(*result.chosen));
  return tr("probe.result", quality_label(*result.chosen), realtime);
}

}  // namespace cunbo
