#include "media/audio_encoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <variant>
#include <vector>

#include "tests/support/encoded_clip.h"
#include "tests/support/media_probe.h"
#include "tests/support/packet_collector.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tone.h"

namespace cunbo {
namespace {

using namespace std::chrono_literals;
using test::PacketCollector;
using test::PacketRecord;

constexpr int kRate = 48000;
constexpr int kChunk = 480;  // 10 ms
constexpr double kPrimingS = 1024.0 / kRate;  // the AAC encoder's delay: its first packet starts there before 0

std::unique_ptr<AudioEncoder> open_encoder() {
  auto opened = AudioEncoder::open(AudioSettings{}, 1);
  if (auto* encoder = std::get_if<std::unique_ptr<AudioEncoder>>(&opened)) return std::move(*encoder);
  ADD_FAILURE() << std::get<std::string>(opened);
  return nullptr;
}

// Pushes a 440 Hz tone from `from_us` to `to_us` (session time) in 10 ms buffers stamped with
// their true capture time, as a microphone would.
void play_tone(AudioEncoder& encoder, int64_t from_us, int64_t to_us, double hz = 440) {
  for (int64_t at = from_us * kRate / 1'000'000; at < to_us * kRate / 1'000'000; at += kChunk) {
    av::Frame chunk = test::make_tone(kChunk, kRate, 2, at, hz);
    encoder.push_frame(*chunk, at * 1'000'000 / kRate);
  }
}

// Every packet starts where the one before it ended.
void expect_contiguous(const std::vector<PacketRecord>& packets) {
  ASSERT_FALSE(packets.empty());
  for (size_t i = 1; i < packets.size(); ++i)
    ASSERT_EQ(packets[i].pts, packets[i - 1].pts + packets[i - 1].duration) << "packet " << i;
}

int64_t total_duration(const std::vector<PacketRecord>& packets) {
  int64_t total = 0;
  for (const PacketRecord& p : packets) total += p.duration;
  return total;
}

// The packets as a player hears them: recorded (Matroska), then decoded with libavcodec.
test::DecodedAudio listen(const test::TempDir& dir, const AudioEncoder& encoder, const PacketCollector& packets) {
  auto recorder = test::start_recording(dir / "sound.mkv", {encoder.stream()});
  if (!recorder) return {};
  std::vector<PacketRecord> all = packets.packets();
  for (PacketRecord& p : all) p.stream = 0;
  test::push_all(*recorder, all);
  recorder->close();
  return test::decode_audio(dir / "sound.mkv");
}

// A player shows the length the packets' timestamps give; a decoder also hands out the
// encoder's priming (one frame before 0) and pads the last frame to 1024 samples.
void expect_lasts(const test::TempDir& dir, const test::DecodedAudio& sound, double seconds) {
  const test::ProbeResult probe = test::probe_media(dir / "sound.mkv");
  ASSERT_TRUE(probe.file) << probe.error;
  EXPECT_NEAR(probe.file->duration_s, seconds + kPrimingS, 1e-3);
  EXPECT_GE(sound.duration_s(), seconds + kPrimingS);
  EXPECT_LE(sound.duration_s(), seconds + kPrimingS + 1024.0 / kRate);
}

TEST(AudioEncoder, EncodesExactlyTheSessionsSamplesOnAGaplessTimeline) {
  auto encoder = open_encoder();
  ASSERT_TRUE(encoder);
  PacketCollector out;
  encoder->connect(out);
  encoder->set_origin(0);
  encoder->set_end(3'000'000);
  play_tone(*encoder, 0, 3'500'000);  // the microphone runs on past the end
  EXPECT_TRUE(encoder->wait_finished(test::deadline_after(5s)));
  EXPECT_EQ(encoder->samples_encoded(), 3 * kRate);

  const std::vector<PacketRecord> packets = out.packets();
  expect_contiguous(packets);
  // The encoder's priming (its first packet starts before 0) aside, the packets cover the
  // session's samples exactly: the recording's sound lasts as long as its picture.
  EXPECT_EQ(packets.front().pts + total_duration(packets), 3 * kRate);
  for (const PacketRecord& p : packets) {
    EXPECT_EQ(p.stream, 1);
    EXPECT_EQ(av_cmp_q(p.time_base, AVRational{1, kRate}), 0);
  }
}

TEST(AudioEncoder, SoundsAsItWasPlayedWithoutDropouts) {
  const test::TempDir dir("audio-encoder-sound");
  auto encoder = open_encoder();
  ASSERT_TRUE(encoder);
  PacketCollector out;
  encoder->connect(out);
  encoder->set_origin(0);
  encoder->set_end(2'000'000);
  play_tone(*encoder, 0, 2'000'000);
  ASSERT_TRUE(encoder->wait_finished(test::deadline_after(5s)));
  const test::DecodedAudio sound = listen(dir, *encoder, out);
  ASSERT_EQ(sound.error, "");
  EXPECT_EQ(sound.decode_errors, 0);
  EXPECT_EQ(sound.sample_rate, kRate);
  EXPECT_EQ(sound.channels, 2);
  expect_lasts(dir, sound, 2.0);
  const auto middle = test::audio_slice(sound.samples, kRate, 0.1, 1.9);
  EXPECT_NEAR(test::dominant_frequency(middle, kRate), 440, 2);
  EXPECT_NEAR(test::rms_dbfs(middle), test::sine_rms_dbfs(0.5), 1.0);
  EXPECT_EQ(test::longest_silence_s(middle, kRate), 0);
}

TEST(AudioEncoder, FillsAMicrophoneStallWithSilenceAndStaysInStepWithThePicture) {
  const test::TempDir dir("audio-encoder-stall");
  auto encoder = open_encoder();
  ASSERT_TRUE(encoder);
  PacketCollector out;
  encoder->connect(out);
  encoder->set_origin(0);
  encoder->set_end(3'000'000);
  play_tone(*encoder, 0, 1'000'000);
  play_tone(*encoder, 1'500'000, 3'000'000);  // nothing for half a second
  ASSERT_TRUE(encoder->wait_finished(test::deadline_after(5s)));
  EXPECT_EQ(encoder->samples_encoded(), 3 * kRate);
  expect_contiguous(out.packets());

  EXPECT_EQ(out.packets().front().pts, -1024);  // priming: every stream is shifted by it alike
  const test::DecodedAudio sound = listen(dir, *encoder, out);
  ASSERT_EQ(sound.error, "");
  // The tone is back at 1.5 s of the session, where the picture is: find where it rises again.
  double back_at_s = -1;
  for (double t = 1.2; t < 1.8; t += 0.0005) {
    const auto window = test::audio_slice(sound.samples, kRate, t + kPrimingS, t + kPrimingS + 0.001);
    if (test::rms_dbfs(window) > -30) {
      back_at_s = t;
      break;
    }
  }
  EXPECT_NEAR(back_at_s, 1.5, 0.003);
  EXPECT_NEAR(test::longest_silence_s(sound.samples, kRate), 0.5, 0.03);
}

TEST(AudioEncoder, ResamplesA44kMonoMicrophoneWithoutChangingItsPitchOrLength) {
  const test::TempDir dir("audio-encoder-resample");
  auto encoder = open_encoder();
  ASSERT_TRUE(encoder);
  PacketCollector out;
  encoder->connect(out);
  encoder->set_origin(0);
  encoder->set_end(2'000'000);
  constexpr int kMicRate = 44100;
  constexpr int kMicChunk = 441;
  for (int64_t at = 0; at < 2 * kMicRate + 10 * kMicChunk; at += kMicChunk) {
    av::Frame chunk = av::make_frame();
    chunk->format = AV_SAMPLE_FMT_S16;
    chunk->sample_rate = kMicRate;
    chunk->nb_samples = kMicChunk;
    av_channel_layout_default(&chunk->ch_layout, 1);
    ASSERT_GE(av_frame_get_buffer(chunk.get(), 0), 0);
    auto* samples = reinterpret_cast<int16_t*>(chunk->data[0]);
    for (int i = 0; i < kMicChunk; ++i)
      samples[i] = static_cast<int16_t>(
          std::lround(16000 * std::sin(2 * std::numbers::pi * 440 * static_cast<double>(at + i) / kMicRate)));
    encoder->push_frame(*chunk, at * 1'000'000 / kMicRate);
  }
  ASSERT_TRUE(encoder->wait_finished(test::deadline_after(5s)));
  EXPECT_EQ(encoder->samples_encoded(), 2 * kRate);

  const test::DecodedAudio sound = listen(dir, *encoder, out);
  ASSERT_EQ(sound.error, "");
  EXPECT_EQ(sound.sample_rate, kRate);
  EXPECT_EQ(sound.channels, 2);
  expect_lasts(dir, sound, 2.0);
  const auto middle = test::audio_slice(sound.samples, kRate, 0.1, 1.9);
  EXPECT_NEAR(test::dominant_frequency(middle, kRate), 440, 2);
  EXPECT_EQ(test::longest_silence_s(middle, kRate), 0);
}

TEST(AudioEncoder, FinishCompletesASourceThatFellShortWithSilence) {
  auto encoder = open_encoder();
  ASSERT_TRUE(encoder);
  PacketCollector out;
  encoder->connect(out);
  encoder->set_origin(0);
  play_tone(*encoder, 0, 1'000'000);
  encoder->set_end(2'000'000);  // the microphone went away at 1 s
  EXPECT_FALSE(encoder->wait_finished(test::Clock::now()));
  encoder->finish();
  EXPECT_TRUE(encoder->wait_finished(test::Clock::now()));
  EXPECT_EQ(encoder->samples_encoded(), 2 * kRate);
  const std::vector<PacketRecord> packets = out.packets();
  expect_contiguous(packets);
  EXPECT_EQ(packets.front().pts + total_duration(packets), 2 * kRate);
  // Nothing more once finished.
  play_tone(*encoder, 1'000'000, 3'000'000);
  EXPECT_EQ(out.packets().size(), packets.size());
}

TEST(AudioEncoder, DiscardsWhatTheMicrophoneCapturedBeforeTheSessionStarted) {
  const test::TempDir dir("audio-encoder-origin");
  auto encoder = open_encoder();
  ASSERT_TRUE(encoder);
  PacketCollector out;
  encoder->connect(out);
  play_tone(*encoder, 0, 500'000, 1000);  // the host tests the microphone before going live
  EXPECT_TRUE(out.packets().empty());
  encoder->set_origin(1'000'000);
  play_tone(*encoder, 500'000, 1'000'000, 1000);  // still before the session's first frame
  play_tone(*encoder, 1'000'000, 1'800'000);
  encoder->set_end(2'000'000);
  EXPECT_FALSE(encoder->wait_finished(test::Clock::now()));  // the source has not reached it yet
  play_tone(*encoder, 1'800'000, 2'100'000);
  ASSERT_TRUE(encoder->wait_finished(test::deadline_after(5s)));
  EXPECT_EQ(encoder->samples_encoded(), kRate);  // 1 s: the session's, no more
  const std::vector<PacketRecord> packets = out.packets();
  expect_contiguous(packets);
  EXPECT_EQ(packets.front().pts + total_duration(packets), kRate);

  const test::DecodedAudio sound = listen(dir, *encoder, out);
  ASSERT_EQ(sound.error, "");
  const auto opening = test::audio_slice(sound.samples, kRate, kPrimingS + 0.01, kPrimingS + 0.2);
  EXPECT_NEAR(test::dominant_frequency(opening, kRate), 440, 2) << "the session opens on the sound from before it";
}

}  // namespace
}  // namespace cunbo
