// Light and beauty (补光 / 美颜) on the camera's picture, after it is scaled to the output size
// and before the overlay is blended in, so its cost is per output frame (≤ 3 ms at 720p,
// DESIGN.md) whatever the camera delivers, and the product card is never smoothed or lifted.
//
// The light and the tone are one libavfilter graph (buffer → eq → buffersink), built once for the
// picture's size and format (a few hundred µs; eq keeps no state worth losing); the beauty is
// SkinSmoothing on its output, in place (libavfilter's filters for it cost three times the
// budget). The low-light lift and the host's
// brightness, contrast and saturation change on the running graph (eq's commands; eq does all
// three and the lift's gamma in one lookup table per plane). The warmth (white balance) moves
// the chroma planes by a constant afterwards, in place: no libavfilter filter does only that
// (colorcorrect does it in floating point, a quarter of the budget). With everything neutral
// the picture passes untouched.
// Runs on its caller's thread (the video thread); set_settings() may be called from any.
#pragma once

#include <atomic>
#include <mutex>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "media/av.h"
#include "media/skin_smoothing.h"
#include "media/video_graph.h"

namespace cunbo {

enum class LightMode { automatic, off };

struct EnhanceSettings {
  LightMode light = LightMode::automatic;
  int beauty = 3;  // skin smoothing, 0 (none) .. kMaxBeauty
  // The host's own tone, each -kToneRange .. kToneRange; 0: as the camera gives it. Warmth is
  // the white balance: above 0 warmer (less blue, more red), below cooler.
  int brightness = 0;
  int contrast = 0;
  int saturation = 0;
  int warmth = 0;
  static constexpr int kMaxBeauty = 10;
  static constexpr int kToneRange = 10;
  [[nodiscard]] bool neutral_tone() const { return brightness == 0 && contrast == 0 && saturation == 0; }
  bool operator==(const EnhanceSettings&) const = default;
};

// The host's words for them (command line, config): "auto" | "off"; a whole number 0..10; a
// whole number -10..10 (a leading + allowed).
[[nodiscard]] std::optional<LightMode> parse_light_mode(std::string_view text);
[[nodiscard]] std::optional<int> parse_beauty(std::string_view text);
[[nodiscard]] std::optional<int> parse_tone(std::string_view text);

// The automatic low-light lift, as pure policy on plain inputs (the picture's mean luma and its
// capture time). Nothing is lifted until a first second of pictures has been measured (its plain
// average: the first picture alone may be a fade-in); from then on the mean is smoothed over
// about a second and the lift follows it over about another, at most kMaxLiftPerSecond: a dark
// room is lifted within 2–3 s, a hand passing in front of the camera or a picture hovering
// around the threshold never makes it pump.
class LowLightLift {
 public:
  // Luma (Y code values) at and above which nothing is lifted, and at and below which the
  // lift is full; in between it grows linearly, so there is no step at the threshold.
  static constexpr double kDarkLuma = 90;
  static constexpr double kDarkestLuma = 35;
  static constexpr double kMeanTimeConstantS = 1.0;
  static constexpr double kEaseTimeConstantS = 1.0;
  static constexpr double kMaxLiftPerSecond = 0.6;
  // Changes of the target smaller than this are not followed (no creeping on sensor noise).
  static constexpr double kDeadBand = 0.02;

  // The lift to apply to the picture captured at `t_us` whose mean luma is `mean_luma`:
  // 0 (none) .. 1 (full).
  double update(double mean_luma, int64_t t_us);
  [[nodiscard]] double lift() const { return lift_; }
  [[nodiscard]] double target() const { return target_; }
  void reset() { *this = LowLightLift(); }

 private:
  std::optional<int64_t> first_us_;
  std::optional<int64_t> last_us_;
  int64_t measured_ = 0;  // pictures in the first second's average
  double mean_ = 0;
  double target_ = 0;
  double lift_ = 0;
};

// What eq is told: the lift's gamma brightens the shadows and mid-tones most, with a small
// negative brightness that keeps black near black; the host's brightness, contrast and
// saturation on top.
struct ToneCorrection {
  double gamma = 1;
  double brightness = 0;
  double contrast = 1;
  double saturation = 1;
  [[nodiscard]] static ToneCorrection for_lift(double lift, const EnhanceSettings& settings = {});
};

// The chroma offsets of a warmth (white balance) setting: Cb down and Cr up for warmer.
struct ChromaShift {
  int cb = 0;
  int cr = 0;
  [[nodiscard]] static ChromaShift for_warmth(int warmth);
};

// Mean luma of a yuv420p (or any planar YUV) picture from every 8th sample of every 8th row.
[[nodiscard]] double mean_luma(const AVFrame& picture);

class Enhance {
 public:
  explicit Enhance(EnhanceSettings settings = {});

  // Thread-safe; takes effect from the next picture.
  void set_settings(EnhanceSettings settings);
  [[nodiscard]] EnhanceSettings settings() const;

  // `picture` enhanced (a new frame), or `picture` itself when there is nothing to do or a
  // filter failed (logged once; the stream goes on unenhanced). `t_us`: its capture time.
  // Only yuv420p is enhanced (what the compositor outputs); other formats pass through.
  [[nodiscard]] av::Frame apply(av::Frame picture, int64_t t_us);

  // The low-light lift applied to the last picture, 0..1 (video thread; for tests and stats).
  [[nodiscard]] double lift() const { return light_.lift(); }
  // How often the graph was built (video thread; a live change of the light must not rebuild).
  [[nodiscard]] int graphs_built() const { return graphs_built_; }

  // What apply() does for these settings and lift, in FFmpeg's -vf syntax (empty: nothing to
  // do), the smoothing as libavfilter would do it; the benchmark hands it to the ffmpeg CLI.
  [[nodiscard]] static std::string filter_chain(EnhanceSettings settings, double lift);

 private:
  struct GraphKey {
    int width = 0, height = 0, format = -1, range = -1, colorspace = -1;
    bool wanted = false;  // a light or a tone to apply
    bool operator==(const GraphKey&) const = default;
  };
  // The graph's part of filter_chain: the light and the tone (eq), empty when neither is wanted.
  [[nodiscard]] static std::string tone_chain(EnhanceSettings settings, double lift);
  [[nodiscard]] bool build(const AVFrame& picture, const GraphKey& key, EnhanceSettings settings);
  void send_tone(ToneCorrection correction);
  [[nodiscard]] av::Frame filter(av::Frame picture, const EnhanceSettings& settings);

  mutable std::mutex settings_mutex_;
  EnhanceSettings settings_;  // guarded by settings_mutex_
  // Video thread only.
  LowLightLift light_;
  VideoGraph graph_;
  GraphKey key_;
  ToneCorrection sent_;  // what eq was last told
  SkinSmoothing smoothing_;
  int graphs_built_ = 0;
  bool failed_ = false;  // a filter failed: logged once, retried at the next rebuild
};

}  // namespace cunbo
