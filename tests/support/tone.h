// What a listener would hear in a stretch of audio: how loud, which pitch, any dropouts.
#pragma once

#include <span>
#include <vector>

namespace cunbo::test {

// RMS level in dBFS, where a full-scale square wave is 0 dBFS (a full-scale sine is
// -3.01 dBFS). Silence gives -inf.
[[nodiscard]] double rms_dbfs(std::span<const float> samples);

// The RMS level (same scale) of a sine of peak `amplitude`.
[[nodiscard]] double sine_rms_dbfs(double amplitude);

// Power of `samples` at `frequency` (Goertzel), normalised so a sine of peak A gives A²/4.
[[nodiscard]] double goertzel_power(std::span<const float> samples, int sample_rate, double frequency);

// The strongest frequency between min_hz and max_hz: a 5 Hz scan of the first 200 ms,
// refined to 0.5 Hz over all of `samples`.
[[nodiscard]] double dominant_frequency(std::span<const float> samples, int sample_rate, double min_hz = 50,
                                        double max_hz = 8000);

// The longest run (seconds) during which the level, measured over `window_s`, stays below
// `threshold_dbfs`: the dropouts a listener hears as gaps.
[[nodiscard]] double longest_silence_s(std::span<const float> samples, int sample_rate, double threshold_dbfs = -50,
                                       double window_s = 0.005);

// `samples` from `from_s` to `to_s` (clamped to what exists).
[[nodiscard]] std::span<const float> audio_slice(const std::vector<float>& samples, int sample_rate, double from_s,
                                                 double to_s);

}  // namespace cunbo::test
