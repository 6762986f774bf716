// `cunbo devices`: what a host sees before picking a camera and a microphone. A source it
// lists can be recorded from as listed; a machine with neither lists nothing, says so and
// exits at once; --json says the same for programs.
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "media/device_list.h"
#include "tests/support/cunbo_cli.h"
#include "tests/support/media_probe.h"
#include "tests/support/pulse_server.h"
#include "tests/support/tone.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

nlohmann::json parse_json(const RunResult& r) {
  nlohmann::json parsed = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(parsed.is_discarded()) << "not JSON:\n" << r.describe();
  return parsed;
}

const nlohmann::json* find_microphone(const nlohmann::json& devices, const std::string& spec) {
  if (!devices.contains("microphones")) return nullptr;
  for (const nlohmann::json& mic : devices["microphones"])
    if (mic.value("spec", "") == spec) return &mic;
  return nullptr;
}

// This machine's cameras, as the program should list them (the test machine has none; a
// developer's laptop may).
bool machine_has_cameras() { return !list_cameras().empty(); }

std::string nowhere(const CunboSandbox& cunbo) { return "unix:" + (cunbo.work_dir() / "no-pulse-here").string(); }

EnvChanges no_sound_server(const CunboSandbox& cunbo) { return {{"PULSE_SERVER", nowhere(cunbo)}}; }

// Whether this machine has no microphone of its own (no ALSA capture card) once no sound
// server is reachable (the test machine; a developer's laptop has one).
bool machine_has_no_microphone_of_its_own(const CunboSandbox& cunbo) {
  const char* old = std::getenv("PULSE_SERVER");
  const std::optional<std::string> saved = old ? std::optional<std::string>(old) : std::nullopt;
  ::setenv("PULSE_SERVER", nowhere(cunbo).c_str(), 1);
  const bool none = list_microphones().empty();
  if (saved) ::setenv("PULSE_SERVER", saved->c_str(), 1);
  else ::unsetenv("PULSE_SERVER");
  return none;
}

TEST(Devices, SaysNothingWasFoundAndExitsAtOnceWithoutASoundServerOrCamera) {
  CunboSandbox cunbo(CUNBO_BINARY, "cunbo-devices");
  const auto started = Clock::now();
  const RunResult r = cunbo.run({"devices"}, no_sound_server(cunbo), 20s);
  EXPECT_LT(Clock::now() - started, 5s) << "listing devices made the host wait";
  ASSERT_TRUE(r.status.success()) << r.describe();
  EXPECT_THAT(r.out, Not(HasSubstr("pulse:"))) << r.describe();
  if (!machine_has_cameras()) {
    EXPECT_THAT(r.out, HasSubstr("没有找到摄像头")) << r.describe();
  }
  if (machine_has_no_microphone_of_its_own(cunbo)) {
    EXPECT_THAT(r.out, HasSubstr("没有找到麦克风")) << r.describe();
  }
}

TEST(Devices, SaysSoInEnglishForAnEnglishHost) {
  CunboSandbox cunbo(CUNBO_BINARY, "cunbo-devices-en");
  EnvChanges env = no_sound_server(cunbo);
  env["LANG"] = "en_US.UTF-8";
  const RunResult r = cunbo.run({"devices"}, env, 20s);
  ASSERT_TRUE(r.status.success()) << r.describe();
  EXPECT_FALSE(has_non_ascii(r.out)) << r.describe();
  if (!machine_has_cameras()) {
    EXPECT_THAT(r.out, HasSubstr("No camera found")) << r.describe();
  }
}

TEST(Devices, JsonListsNothingWithoutASoundServerOrCamera) {
  CunboSandbox cunbo(CUNBO_BINARY, "cunbo-devices-json");
  const auto started = Clock::now();
  const RunResult r = cunbo.run({"devices", "--json"}, no_sound_server(cunbo), 20s);
  EXPECT_LT(Clock::now() - started, 5s) << "listing devices made the host wait";
  ASSERT_TRUE(r.status.success()) << r.describe();
  const nlohmann::json devices = parse_json(r);
  ASSERT_TRUE(devices.contains("cameras") && devices["cameras"].is_array()) << r.out;
  ASSERT_TRUE(devices.contains("microphones") && devices["microphones"].is_array()) << r.out;
  EXPECT_EQ(devices["cameras"].size(), list_cameras().size()) << r.out;
  for (const nlohmann::json& camera : devices["cameras"])
    EXPECT_TRUE(camera.value("spec", "").starts_with("v4l2:/dev/video")) << camera.dump();
  for (const nlohmann::json& mic : devices["microphones"])
    EXPECT_FALSE(mic.value("spec", "").starts_with("pulse:")) << mic.dump();
}

TEST(Devices, ListsAPulseAudioSourceThatPracticeCanRecordFrom) {
  CunboSandbox cunbo(CUNBO_BINARY, "cunbo-devices-pulse");
  PulseServer pulse;
  const std::string spec = "pulse:" + pulse.monitor_source();

  // For programs: the source, marked as what the machine plays.
  const RunResult listed = cunbo.run({"devices", "--json"}, pulse.client_env(), 20s);
  ASSERT_TRUE(listed.status.success()) << listed.describe();
  const nlohmann::json devices = parse_json(listed);
  const nlohmann::json* monitor = find_microphone(devices, spec);
  ASSERT_NE(monitor, nullptr) << listed.out;
  EXPECT_EQ(monitor->value("is_monitor", false), true) << monitor->dump();
  EXPECT_FALSE(monitor->value("name", "").empty()) << monitor->dump();
  EXPECT_THAT(listed.out, Not(HasSubstr("没有找到麦克风")));

  // For the host: the same source under 麦克风, with the words to type and the mark.
  const RunResult plain = cunbo.run({"devices"}, pulse.client_env(), 20s);
  ASSERT_TRUE(plain.status.success()) << plain.describe();
  EXPECT_THAT(plain.out, HasSubstr("麦克风"));
  EXPECT_THAT(plain.out, Not(HasSubstr("没有找到麦克风")));
  const std::vector<std::string> lines = lines_of(plain.out);
  const auto line = std::find_if(lines.begin(), lines.end(),
                                 [&](const std::string& l) { return l.find("--audio " + spec) != std::string::npos; });
  ASSERT_NE(line, lines.end()) << plain.out;
  EXPECT_THAT(*line, HasSubstr(monitor->value("name", ""))) << plain.out;
  EXPECT_THAT(*line, HasSubstr("不是麦克风")) << plain.out;

  // The spec as listed records what goes into the device.
  constexpr double kAmplitude = 0.25;
  pulse.play_tone(440, kAmplitude);
  const auto out = cunbo.work_dir() / "listed.mkv";
  const RunResult r = cunbo.run({"practice", "--video", "test", "--audio", monitor->value("spec", ""), "--duration",
                                 "2", "--out", out.string()},
                                pulse.client_env(), 40s);
  ASSERT_TRUE(r.status.success()) << r.describe();
  const DecodedAudio sound = decode_audio(out);
  ASSERT_TRUE(sound.error.empty()) << sound.error;
  EXPECT_GT(sound.duration_s(), 1.5);
  const auto steady = audio_slice(sound.samples, sound.sample_rate, 0.1, sound.duration_s() - 0.1);
  ASSERT_GT(steady.size(), static_cast<std::size_t>(sound.sample_rate)) << "less than 1 s of sound";
  EXPECT_NEAR(dominant_frequency(steady, sound.sample_rate), 440, 20) << "not the tone played into the device";
  EXPECT_NEAR(rms_dbfs(steady), sine_rms_dbfs(kAmplitude), 3);
}

TEST(Devices, ListsARealMicrophoneBeforeTheMonitorAndMarksTheDefault) {
  CunboSandbox cunbo(CUNBO_BINARY, "cunbo-devices-mic");
  PulseServer pulse;
  const RunResult loaded =
      pulse.pactl({"load-module", "module-null-source", "source_name=village_mic", "rate=48000", "channels=2"});
  ASSERT_TRUE(loaded.status.success()) << loaded.describe();
  ASSERT_TRUE(pulse.pactl({"set-default-source", "village_mic"}).status.success());

  const RunResult listed = cunbo.run({"devices", "--json"}, pulse.client_env(), 20s);
  ASSERT_TRUE(listed.status.success()) << listed.describe();
  const nlohmann::json devices = parse_json(listed);
  ASSERT_GE(devices["microphones"].size(), 2u) << listed.out;
  const nlohmann::json& first = devices["microphones"][0];
  EXPECT_EQ(first.value("spec", ""), "pulse:village_mic") << listed.out;
  EXPECT_EQ(first.value("is_default", false), true) << listed.out;
  EXPECT_EQ(first.value("is_monitor", true), false) << listed.out;
  EXPECT_EQ(devices["microphones"].back().value("spec", ""), "pulse:" + pulse.monitor_source()) << listed.out;

  const RunResult plain = cunbo.run({"devices"}, pulse.client_env(), 20s);
  ASSERT_TRUE(plain.status.success()) << plain.describe();
  EXPECT_THAT(plain.out, HasSubstr("--audio pulse:village_mic（默认）")) << plain.out;

  // A silent microphone still records: sound of the right length, no error.
  const auto out = cunbo.work_dir() / "mic.mkv";
  const RunResult r = cunbo.run(
      {"practice", "--video", "test", "--audio", first.value("spec", ""), "--duration", "2", "--out", out.string()},
      pulse.client_env(), 40s);
  ASSERT_TRUE(r.status.success()) << r.describe();
  const DecodedAudio sound = decode_audio(out);
  ASSERT_TRUE(sound.error.empty()) << sound.error;
  EXPECT_GT(sound.duration_s(), 1.5);
}

}  // namespace
}  // namespace cunbo::test
