// 降噪 from the command line a host would type, on real signals made by ffmpeg: a voice-like
// tone (200 Hz with harmonics, its level moving like speech) over pink noise, with a 2 s pause
// in the talk, recorded through `cunbo practice --audio file:…` with --denoise on and off; and
// a clipping input raised 12 dB more. What the recording, decoded as a player would, holds:
// the pause quieter by 10 dB or more, the voice at the same level, no peak over −1 dBFS, no
// gap in the sound. The sync tests (FileSource.*, Stream.AfterAReconnect*) run with the chain on,
// as every session does.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "tests/support/cunbo_cli.h"
#include "tests/support/media_probe.h"
#include "tests/support/subprocess.h"
#include "tests/support/tone.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

class CleanSound : public ::testing::Test {
 protected:
  // A sound file from an ffmpeg filter graph.
  std::filesystem::path make(const std::string& name, const std::string& graph) {
    static_cast<void>(require_program("ffmpeg", "ffmpeg"));
    const auto path = cunbo.work_dir() / name;
    const RunResult made = run(SpawnOptions({"ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi",
                                             "-i", graph, "-c:a", "pcm_s16le", path.string()}),
                               30s);
    EXPECT_TRUE(made.status.success()) << made.describe();
    return path;
  }
  DecodedAudio record(const std::filesystem::path& sound, const std::vector<std::string>& flags, double seconds) {
    const auto out = cunbo.work_dir() / ("clean-" + std::to_string(++recordings_) + ".mkv");
    std::vector<std::string> args = {"practice", "--video", "test", "--audio", "file:" + sound.string(),
                                     "--duration", std::to_string(seconds), "--out", out.string()};
    args.insert(args.end(), flags.begin(), flags.end());
    const RunResult r = cunbo.run(args, {}, 60s);
    EXPECT_TRUE(r.status.success()) << r.describe();
    DecodedAudio decoded = decode_audio(out);
    EXPECT_TRUE(decoded.error.empty()) << decoded.error;
    EXPECT_EQ(decoded.decode_errors, 0);
    return decoded;
  }

  const CunboSandbox cunbo{CUNBO_BINARY, "cunbo-clean-sound"};
  int recordings_ = 0;
};

double level(const DecodedAudio& sound, double from_s, double to_s) {
  return rms_dbfs(audio_slice(sound.samples, sound.sample_rate, from_s, to_s));
}

TEST_F(CleanSound, ThePauseGetsTenDecibelsQuieterTheVoiceKeepsItsLevel) {
  // The voice from 0 to 2.5 s and from 4.5 s, the noise (about −42 dBFS) throughout.
  const auto sound = make("voice-in-noise.wav",
                          "aevalsrc='if(between(t,2.5,4.5),0,0.15*(0.6+0.4*sin(2*PI*3*t))*(sin(2*PI*200*t)+0.5*sin(2*"
                          "PI*400*t)+0.3*sin(2*PI*600*t)))':s=48000:d=6.5[v];"
                          "anoisesrc=color=pink:amplitude=0.04:r=48000:d=6.5:seed=7[n];[v][n]amix=inputs=2:normalize=0");
  const DecodedAudio on = record(sound, {"--denoise", "on"}, 6);
  const DecodedAudio off = record(sound, {"--denoise", "off"}, 6);
  ASSERT_GT(on.duration_s(), 5.9);
  ASSERT_GT(off.duration_s(), 5.9);
  // Away from the edges: the file source may start a few frames either side of the session's start.
  const double pause_on = level(on, 2.9, 4.1);
  const double pause_off = level(off, 2.9, 4.1);
  const double voice_on = level(on, 0.5, 2.1);
  const double voice_off = level(off, 0.5, 2.1);
  EXPECT_LE(pause_on, pause_off - 10) << "the pause: " << pause_on << " dBFS with 降噪, " << pause_off << " without";
  EXPECT_NEAR(voice_on, voice_off, 3) << "the voice: " << voice_on << " dBFS with 降噪, " << voice_off << " without";
  EXPECT_NEAR(level(on, 4.9, 5.9), voice_on, 2) << "the voice after the pause comes back whole";
  std::printf("[figures] recorded: the pause %.1f -> %.1f dBFS, the voice %.1f -> %.1f dBFS\n", pause_off, pause_on,
              voice_off, voice_on);
}

TEST_F(CleanSound, AClippingMicrophoneNeverPeaksOverMinusOneDecibel) {
  // A full-scale square at 300 Hz, and the mic gain raised 12 dB on top.
  const auto sound = make("clipping.wav", "aevalsrc='if(lt(mod(t*300,1),0.5),1,-1)':s=48000:d=3.5");
  const DecodedAudio loud = record(sound, {"--mic-gain", "12"}, 3);
  ASSERT_GT(loud.duration_s(), 2.9);
  float peak = 0;
  for (const float v : audio_slice(loud.samples, loud.sample_rate, 0.2, 2.9)) peak = std::max(peak, std::abs(v));
  EXPECT_LE(20 * std::log10(peak), -1.0) << "peak " << peak;
  EXPECT_GT(level(loud, 0.5, 2.5), -12) << "loud stays loud";
  EXPECT_LT(longest_silence_s(audio_slice(loud.samples, loud.sample_rate, 0.2, 2.9), loud.sample_rate), 0.02);
  std::printf("[figures] a clipping input +12 dB: peak %.2f dBFS\n", 20 * std::log10(peak));
}

TEST_F(CleanSound, AWrongValueIsSaidInPlainWordsAndNothingIsRecorded) {
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--denoise", "maybe"}, std::vector<std::string>{"--mic-gain", "30"}}) {
    const auto out = cunbo.work_dir() / "never.mkv";
    std::vector<std::string> args = {"practice", "--duration", "1", "--out", out.string()};
    args.insert(args.end(), bad.begin(), bad.end());
    const RunResult r = cunbo.run(args, {}, 20s);
    EXPECT_EQ(r.status.code, 2) << r.describe();
    EXPECT_NE(r.err.find(bad[1]), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out));
  }
}

}  // namespace
}  // namespace cunbo::test
