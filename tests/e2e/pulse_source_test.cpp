// A host's microphone, played by a real PulseAudio daemon: what goes into the device comes
// out of the recording at the same pitch and level, in step with the picture.
#include <gtest/gtest.h>

#include "tests/support/cunbo_cli.h"
#include "tests/support/media_probe.h"
#include "tests/support/pulse_server.h"
#include "tests/support/tone.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

TEST(PulseSource, RecordsTheToneFromARealPulseAudioDevice) {
  CunboSandbox cunbo(CUNBO_BINARY, "cunbo-pulse-source");
  PulseServer pulse;
  constexpr double kAmplitude = 0.25;  // -12 dBFS peak, a voice at a sensible gain
  pulse.play_tone(1000, kAmplitude);

  const auto out = cunbo.work_dir() / "pulse.mkv";
  const RunResult r = cunbo.run({"practice", "--video", "test", "--audio", "pulse:" + pulse.monitor_source(),
                                 "--duration", "4", "--out", out.string()},
                                pulse.client_env(), 40s);
  ASSERT_TRUE(r.status.success()) << r.describe();

  const ProbeResult probe = probe_media(out);
  ASSERT_TRUE(probe.file) << probe.error;
  const StreamInfo* video = probe.file->first(StreamKind::video);
  const StreamInfo* audio = probe.file->first(StreamKind::audio);
  ASSERT_NE(video, nullptr);
  ASSERT_NE(audio, nullptr);
  EXPECT_EQ(audio->codec, "aac");
  EXPECT_EQ(audio->sample_rate, 48000);
  EXPECT_EQ(audio->channels, 2);
  const StreamTiming vt = stream_timing(*probe.file, video->index);
  const StreamTiming at = stream_timing(*probe.file, audio->index);
  EXPECT_NEAR(vt.duration_s, 4.0, 0.1);
  EXPECT_NEAR(at.first_pts_s, vt.first_pts_s, 0.05) << "sound starts with the picture";
  EXPECT_NEAR(at.duration_s, vt.duration_s, 0.1) << "sound lasts as long as the picture";
  EXPECT_TRUE(at.pts_monotonic);

  const DecodedAudio sound = decode_audio(out);
  ASSERT_TRUE(sound.error.empty()) << sound.error;
  EXPECT_EQ(sound.decode_errors, 0);
  const auto steady = audio_slice(sound.samples, sound.sample_rate, 0.1, sound.duration_s() - 0.1);
  ASSERT_GT(steady.size(), static_cast<std::size_t>(sound.sample_rate)) << "less than 1 s of sound";
  EXPECT_NEAR(dominant_frequency(steady, sound.sample_rate), 1000, 20) << "the tone's pitch changed";
  EXPECT_NEAR(rms_dbfs(steady), sine_rms_dbfs(kAmplitude), 3) << "the tone's level changed";
  EXPECT_LT(longest_silence_s(steady, sound.sample_rate), 0.05) << "the microphone's sound drops out";
}

}  // namespace
}  // namespace cunbo::test
