#include "media/enhance.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace cunbo {

std::optional<LightMode> parse_light_mode(std::string_view text) {
  if (text == "auto") return LightMode::automatic;
  if (text == "off") return LightMode::off;
  return std::nullopt;
}

std::optional<int> parse_beauty(std::string_view text) {
  if (text.empty() || text.size() > 2) return std::nullopt;
  int level = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    level = level * 10 + (c - '0');
  }
  if (level > EnhanceSettings::kMaxBeauty) return std::nullopt;
  return level;
}

std::optional<int> parse_tone(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 2) return std::nullopt;
  int level = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    level = level * 10 + (c - '0');
  }
  if (level > EnhanceSettings::kToneRange) return std::nullopt;
  return negative ? -level : level;
}

double LowLightLift::update(double mean_luma, int64_t t_us) {
  if (!first_us_) first_us_ = t_us;
  if (t_us - *first_us_ < static_cast<int64_t>(kMeanTimeConstantS * 1e6)) {
    mean_ += (mean_luma - mean_) / static_cast<double>(++measured_);
  } else {
    // A stall (or a clock step) counts as at most 200 ms: the lift never jumps after a gap.
    const double dt = std::clamp(static_cast<double>(t_us - last_us_.value_or(t_us)) / 1e6, 0.0, 0.2);
    mean_ += (mean_luma - mean_) * (1 - std::exp(-dt / kMeanTimeConstantS));
    const double wanted = std::clamp((kDarkLuma - mean_) / (kDarkLuma - kDarkestLuma), 0.0, 1.0);
    if (std::abs(wanted - target_) > kDeadBand || wanted == 0 || wanted == 1) target_ = wanted;
    const double step = (target_ - lift_) * (1 - std::exp(-dt / kEaseTimeConstantS));
    const double max_step = kMaxLiftPerSecond * dt;
    lift_ += std::clamp(step, -max_step, max_step);
  }
  last_us_ = t_us;
  return lift_;
}

ToneCorrection ToneCorrection::for_lift(double lift, const EnhanceSettings& settings) {
  // Each step of the host's sliders is small enough to be a matter of taste, the ends clearly
  // visible but never a caricature: brightness ±0.2 (of eq's -1..1), contrast ×0.6..1.4,
  // saturation ×0.3..1.7 (10: vivid produce; -10: nearly grey). + 0.0: never "-0.000" in the
  // chain the log and the benchmark show.
  return {.gamma = 1 + 0.9 * lift,
          .brightness = -0.03 * lift + 0.02 * settings.brightness + 0.0,
          .contrast = 1 + 0.04 * settings.contrast,
          .saturation = 1 + 0.07 * settings.saturation};
}

ChromaShift ChromaShift::for_warmth(int warmth) {
  // At 10: Cb -10, Cr +8 code values, the shift from a cool daylight-balanced picture under a
  // warm lamp's colour towards neutral (and back for -10).
  return {.cb = -warmth, .cr = (warmth * 8) / 10};
}

namespace {

void shift_plane(AVFrame& picture, int plane, int by) {
  if (by == 0) return;
  const int width = AV_CEIL_RSHIFT(picture.width, 1);
  const int height = AV_CEIL_RSHIFT(picture.height, 1);
  for (int y = 0; y < height; ++y) {
    uint8_t* row = picture.data[plane] + static_cast<ptrdiff_t>(y) * picture.linesize[plane];
    for (int x = 0; x < width; ++x) row[x] = static_cast<uint8_t>(std::clamp(row[x] + by, 16, 240));
  }
}

}  // namespace

double mean_luma(const AVFrame& picture) {
  constexpr int kStep = 8;
  int64_t sum = 0;
  int64_t count = 0;
  for (int y = kStep / 2; y < picture.height; y += kStep) {
    const uint8_t* row = picture.data[0] + static_cast<ptrdiff_t>(y) * picture.linesize[0];
    for (int x = kStep / 2; x < picture.width; x += kStep) sum += row[x];
    count += (picture.width + kStep / 2 - 1) / kStep;
  }
  return count ? static_cast<double>(sum) / static_cast<double>(count) : 0;
}

Enhance::Enhance(EnhanceSettings settings) { set_settings(settings); }

void Enhance::set_settings(EnhanceSettings settings) {
  constexpr int kTone = EnhanceSettings::kToneRange;
  settings.beauty = std::clamp(settings.beauty, 0, EnhanceSettings::kMaxBeauty);
  for (int* tone : {&settings.brightness, &settings.contrast, &settings.saturation, &settings.warmth})
    *tone = std::clamp(*tone, -kTone, kTone);
  const std::lock_guard lock(settings_mutex_);
  settings_ = settings;
}

EnhanceSettings Enhance::settings() const {
  const std::lock_guard lock(settings_mutex_);
  return settings_;
}

std::string Enhance::tone_chain(EnhanceSettings settings, double lift) {
  if (settings.light == LightMode::off && settings.neutral_tone()) return {};
  const ToneCorrection tone = ToneCorrection::for_lift(settings.light == LightMode::off ? 0 : lift, settings);
  // eq is always there, so that the light and the tone can change on the running graph.
  return fmt::format("eq=gamma={:.3f}:brightness={:.3f}:contrast={:.3f}:saturation={:.3f}", tone.gamma,
                     tone.brightness, tone.contrast, tone.saturation);
}

std::string Enhance::filter_chain(EnhanceSettings settings, double lift) {
  std::string chain = tone_chain(settings, lift);
  if (settings.beauty <= 0) return chain;
  if (chain.empty()) chain = "null";
  // SkinSmoothing in libavfilter's words: B a blur of the luma, each sample clamped to B's
  // side by at most t (maskedclamp: clamp(B, Y - t, Y + t)), then a quarter of the Laplacian added.
  const int b = std::min(settings.beauty, EnhanceSettings::kMaxBeauty);
  chain += fmt::format(",split=3[y][lo][hi];[y]gblur=sigma={:.2f}:planes=1[blur];[blur][lo][hi]maskedclamp="
                       "undershoot={}:overshoot={}:planes=1",
                       0.6 + 0.15 * b, SkinSmoothing::threshold(b), SkinSmoothing::threshold(b));
  chain += ",convolution=0m=0 -1 0 -1 8 -1 0 -1 0:0rdiv=0.25:1m=0 0 0 0 1 0 0 0 0:2m=0 0 0 0 1 0 0 0 0:"
           "3m=0 0 0 0 1 0 0 0 0";
  return chain;
}

bool Enhance::build(const AVFrame& picture, const GraphKey& key, EnhanceSettings settings) {
  graph_ = VideoGraph();
  key_ = key;
  const std::string chain = tone_chain(settings, light_.lift());
  if (chain.empty()) return true;
  ++graphs_built_;
  // The picture's own format out: no conversion may sneak into the graph.
  graph_ = VideoGraph::build(picture, chain, picture.format, "enhance");
  if (!graph_) return false;
  sent_ = ToneCorrection::for_lift(settings.light == LightMode::off ? 0 : light_.lift(), settings);
  spdlog::info("[enhance] {}x{}: {}", picture.width, picture.height, chain);
  return true;
}

void Enhance::send_tone(ToneCorrection correction) {
  // eq re-parses its expressions on every command: only a change the eye could see is sent.
  constexpr double kSmallest = 0.002;
  auto send = [this](const char* option, double value, double& sent) {
    if (std::abs(value - sent) < kSmallest) return;
    const std::string arg = fmt::format("{:.4f}", value);
    if (const int err = graph_.send_command("eq", option, arg.c_str()); err < 0) {
      spdlog::warn("[enhance] eq {} {}: {}", option, arg, av::error_string(err));
      return;
    }
    sent = value;
  };
  send("gamma", correction.gamma, sent_.gamma);
  send("brightness", correction.brightness, sent_.brightness);
  send("contrast", correction.contrast, sent_.contrast);
  send("saturation", correction.saturation, sent_.saturation);
}

av::Frame Enhance::apply(av::Frame picture, int64_t t_us) {
  if (!picture) return picture;
  const EnhanceSettings settings = this->settings();
  if (settings.light == LightMode::automatic) {
    light_.update(mean_luma(*picture), t_us);
  } else {
    light_.reset();  // back on, it eases in again from none
  }
  if (picture->format != AV_PIX_FMT_YUV420P) return picture;
  picture->pts = t_us;
  picture = filter(std::move(picture), settings);
  if (settings.beauty > 0 && av_frame_make_writable(picture.get()) >= 0)
    smoothing_.apply(picture->data[0], picture->linesize[0], picture->width, picture->height, settings.beauty);
  const ChromaShift shift = ChromaShift::for_warmth(settings.warmth);
  if ((shift.cb || shift.cr) && av_frame_make_writable(picture.get()) >= 0) {
    shift_plane(*picture, 1, shift.cb);
    shift_plane(*picture, 2, shift.cr);
  }
  return picture;
}

av::Frame Enhance::filter(av::Frame picture, const EnhanceSettings& settings) {
  const bool wanted = settings.light == LightMode::automatic || !settings.neutral_tone();
  const GraphKey key{picture->width,       picture->height,     picture->format,
                     picture->color_range, picture->colorspace, wanted};
  if (!(key == key_)) {
    failed_ = !build(*picture, key, settings);
  }
  if (failed_ || !graph_) return picture;
  send_tone(ToneCorrection::for_lift(settings.light == LightMode::off ? 0 : light_.lift(), settings));

  av::Frame out = graph_.filter(*picture, "enhance");
  if (!out) {
    spdlog::error("[enhance] the picture goes on unenhanced");
    failed_ = true;  // until the next rebuild
    return picture;
  }
  return out;
}

}  // namespace cunbo
