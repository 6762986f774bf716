// The clean-sound chain on real signals: a voice-like tone (200 Hz with its harmonics, its level
// moving at 3 Hz like speech) over pink noise, with a 2 s pause; a clipping input; pulses to see
// where each sample comes out. What a listener notices: the pause gets quiet, the voice keeps its
// level, nothing clips, and the sound stays where it was in time (in sync with the picture).
#include "media/audio_chain.h"

#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/tone.h"

namespace cunbo {
namespace {

constexpr int kRate = 48000;
constexpr int kChannels = 2;

// Pink noise (Paul Kellet's filter over a fixed xorshift white noise), about −40 dBFS.
class PinkNoise {
 public:
  float next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    const double white = static_cast<double>(state_) / 4294967296.0 * 2 - 1;
    b0_ = 0.99765 * b0_ + white * 0.0990460;
    b1_ = 0.96300 * b1_ + white * 0.2965164;
    b2_ = 0.57000 * b2_ + white * 1.0526913;
    return static_cast<float>((b0_ + b1_ + b2_ + white * 0.1848) * 0.004);
  }

 private:
  uint32_t state_ = 2463534242u;
  double b0_ = 0, b1_ = 0, b2_ = 0;
};

// 10 s: the voice from 0 to 4 s and from 6 to 10 s, the noise throughout.
std::vector<float> voice_with_a_pause() {
  std::vector<float> out(static_cast<size_t>(kRate) * 10);
  PinkNoise noise;
  for (size_t i = 0; i < out.size(); ++i) {
    const double t = static_cast<double>(i) / kRate;
    const double w = 2 * std::numbers::pi * t;
    const double voice = (t >= 4 && t < 6) ? 0.0
                                           : 0.15 * (0.6 + 0.4 * std::sin(w * 3)) *
                                                 (std::sin(w * 200) + 0.5 * std::sin(w * 400) + 0.3 * std::sin(w * 600));
    out[i] = static_cast<float>(voice) + noise.next();
  }
  return out;
}

// Through the chain in 1024-sample pieces, as the encoder feeds it, then flushed; mono in,
// the first channel out.
std::vector<float> filtered(const std::vector<float>& in, const AudioChainSettings& settings,
                            const std::function<void(AudioChain&, size_t)>& at_piece = {}) {
  auto made = AudioChain::open(kRate, kChannels, settings);
  EXPECT_TRUE(std::holds_alternative<std::unique_ptr<AudioChain>>(made));
  AudioChain& chain = *std::get<std::unique_ptr<AudioChain>>(made);
  std::vector<float> out;
  const AudioChain::Output keep = [&](const float* const* planes, int count) {
    out.insert(out.end(), planes[0], planes[0] + count);
  };
  for (size_t at = 0, piece = 0; at < in.size(); at += 1024, ++piece) {
    if (at_piece) at_piece(chain, piece);
    const int n = static_cast<int>(std::min<size_t>(1024, in.size() - at));
    const float* planes[kChannels] = {in.data() + at, in.data() + at};
    chain.process(planes, n, keep);
  }
  chain.flush(keep);
  return out;
}

double level(const std::vector<float>& samples, double from_s, double to_s) {
  return test::rms_dbfs(test::audio_slice(samples, kRate, from_s, to_s));
}

TEST(AudioChain, MakesThePauseAtLeastTenDecibelsQuieterAndLeavesTheVoiceWithinThree) {
  const std::vector<float> in = voice_with_a_pause();
  const std::vector<float> on = filtered(in, AudioChainSettings{true, 0});
  const std::vector<float> off = filtered(in, AudioChainSettings{false, 0});
  ASSERT_EQ(on.size(), in.size());
  ASSERT_EQ(off.size(), in.size());
  const double pause_on = level(on, 4.5, 5.8);
  const double pause_off = level(off, 4.5, 5.8);
  const double voice_on = level(on, 1, 3.8);
  const double voice_off = level(off, 1, 3.8);
  EXPECT_LE(pause_on, pause_off - 10) << "pause " << pause_on << " dBFS with 降噪, " << pause_off << " without";
  EXPECT_NEAR(voice_on, voice_off, 3) << "voice " << voice_on << " dBFS with 降噪, " << voice_off << " without";
  EXPECT_NEAR(level(on, 6.5, 9.8), voice_on, 1.5) << "the voice after the pause comes back whole";
  std::printf("[figures] pause %.1f -> %.1f dBFS, voice %.1f -> %.1f dBFS\n", pause_off, pause_on, voice_off, voice_on);
}

TEST(AudioChain, AClippingInputComesOutWithPeaksUnderMinusOneDecibel) {
  std::vector<float> in(static_cast<size_t>(kRate) * 3);
  for (size_t i = 0; i < in.size(); ++i)  // a full-scale square at 300 Hz, raised 12 dB more
    in[i] = (i / 80) % 2 ? 1.0f : -1.0f;
  const std::vector<float> out = filtered(in, AudioChainSettings{true, 12});
  float peak = 0;
  for (const float v : out) peak = std::max(peak, std::abs(v));
  EXPECT_LE(20 * std::log10(peak), -1.0) << "peak " << peak;
  EXPECT_GT(level(out, 0.5, 2.5), -12) << "loud stays loud";
}

TEST(AudioChain, EverySampleComesOutWhereItWentIn) {
  // A 10 ms burst every 250 ms; on and off, switched every 20 pieces while it runs.
  std::vector<float> in(static_cast<size_t>(kRate) * 3, 0.0f);
  for (size_t start = 0; start < in.size(); start += kRate / 4)
    for (size_t i = 0; i < 480 && start + i < in.size(); ++i)
      in[start + i] = static_cast<float>(0.5 * std::sin(2 * std::numbers::pi * 1000 * static_cast<double>(i) / kRate));
  const std::vector<float> out = filtered(in, AudioChainSettings{}, [](AudioChain& chain, size_t piece) {
    if (piece % 20 == 0) chain.set(AudioChainSettings{piece % 40 != 0, 0});
  });
  ASSERT_EQ(out.size(), in.size()) << "as many samples out as in";
  for (size_t start = kRate / 4; start < in.size(); start += kRate / 4) {
    size_t first = start;
    while (first < out.size() && std::abs(out[first]) < 0.05f) ++first;
    EXPECT_LE(first, start + kRate / 1000) << "the burst at " << start << " came out at " << first;
    EXPECT_GE(first + kRate / 1000, start) << "the burst at " << start << " came out early, at " << first;
  }
}

}  // namespace
}  // namespace cunbo
