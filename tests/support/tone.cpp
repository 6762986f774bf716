#include "tests/support/tone.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace cunbo::test {

double rms_dbfs(std::span<const float> samples) {
  if (samples.empty()) return -std::numeric_limits<double>::infinity();
  double sum = 0;
  for (float s : samples) sum += static_cast<double>(s) * s;
  const double rms = std::sqrt(sum / static_cast<double>(samples.size()));
  return rms > 0 ? 20 * std::log10(rms) : -std::numeric_limits<double>::infinity();
}

double sine_rms_dbfs(double amplitude) { return 20 * std::log10(amplitude / std::numbers::sqrt2); }

double goertzel_power(std::span<const float> samples, int sample_rate, double frequency) {
  if (samples.empty() || sample_rate <= 0) return 0;
  const double w = 2 * std::numbers::pi * frequency / sample_rate;
  const double coeff = 2 * std::cos(w);
  double s1 = 0;
  double s2 = 0;
  for (float x : samples) {
    const double s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  const double n = static_cast<double>(samples.size());
  return power / (n * n);
}

double dominant_frequency(std::span<const float> samples, int sample_rate, double min_hz, double max_hz) {
  max_hz = std::min(max_hz, sample_rate / 2.0);
  double best_hz = 0;
  double best_power = -1;
  // The coarse scan looks at the first 200 ms only (its 5 Hz bins need no more); the
  // refinement uses everything.
  const std::span<const float> head = samples.first(std::min<std::size_t>(samples.size(), sample_rate / 5));
  auto scan = [&](std::span<const float> part, double from, double to, double step) {
    for (double f = from; f <= to; f += step) {
      const double p = goertzel_power(part, sample_rate, f);
      if (p > best_power) {
        best_power = p;
        best_hz = f;
      }
    }
  };
  scan(head, min_hz, max_hz, 5);
  const double coarse = best_hz;
  best_power = -1;
  scan(samples, std::max(min_hz, coarse - 5), std::min(max_hz, coarse + 5), 0.5);
  return best_hz;
}

double longest_silence_s(std::span<const float> samples, int sample_rate, double threshold_dbfs, double window_s) {
  const std::size_t window = std::max<std::size_t>(1, static_cast<std::size_t>(window_s * sample_rate));
  std::size_t longest = 0;
  std::size_t run = 0;
  for (std::size_t start = 0; start + window <= samples.size(); start += window) {
    if (rms_dbfs(samples.subspan(start, window)) < threshold_dbfs) {
      run += window;
      longest = std::max(longest, run);
    } else {
      run = 0;
    }
  }
  return static_cast<double>(longest) / sample_rate;
}

std::span<const float> audio_slice(const std::vector<float>& samples, int sample_rate, double from_s, double to_s) {
  auto index = [&](double t) {
    return std::clamp<std::size_t>(static_cast<std::size_t>(std::max(0.0, t) * sample_rate), 0, samples.size());
  };
  const std::size_t from = index(from_s);
  const std::size_t to = std::max(from, index(to_s));
  return std::span<const float>(samples).subspan(from, to - from);
}

}  // namespace cunbo::test
