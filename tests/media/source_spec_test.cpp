#include "media/source_spec.h"

#include <gtest/gtest.h>

namespace cunbo {
namespace {

SourceSpec parse_ok(std::string_view text, MediaKind kind) {
  auto result = parse_source_spec(text, kind);
  EXPECT_TRUE(std::holds_alternative<SourceSpec>(result)) << text;
  return std::holds_alternative<SourceSpec>(result) ? std::get<SourceSpec>(result) : SourceSpec{};
}

bool rejected(std::string_view text, MediaKind kind) {
  return std::holds_alternative<SpecError>(parse_source_spec(text, kind));
}

TEST(SourceSpec, TestIsAPacedGenerator) {
  SourceSpec s = parse_ok("test", MediaKind::video);
  EXPECT_EQ(s.kind, SourceSpec::Kind::test);
  EXPECT_EQ(s.input_format, "lavfi");
  EXPECT_TRUE(s.realtime_pacing);
}

TEST(SourceSpec, FileIsPacedAndLoops) {
  SourceSpec s = parse_ok("file:/tmp/a b:c.mkv", MediaKind::audio);
  EXPECT_EQ(s.kind, SourceSpec::Kind::file);
  EXPECT_EQ(s.url, "/tmp/a b:c.mkv");
  EXPECT_TRUE(s.realtime_pacing);
  EXPECT_TRUE(s.loop);
}

TEST(SourceSpec, ANetworkStreamIsAFileThatPacesItselfAndNeverLoops) {
  SourceSpec s = parse_ok("file:tcp://127.0.0.1:5000", MediaKind::video);
  EXPECT_EQ(s.kind, SourceSpec::Kind::file);
  EXPECT_EQ(s.url, "tcp://127.0.0.1:5000");
  EXPECT_TRUE(s.network);
  EXPECT_FALSE(s.realtime_pacing);
  EXPECT_FALSE(s.loop);
  EXPECT_FALSE(parse_ok("file:/tmp/a.mkv", MediaKind::video).network);
}

TEST(SourceSpec, DevicesNameTheirInputAndAreNotPaced) {
  SourceSpec cam = parse_ok("v4l2:/dev/video0", MediaKind::video);
  EXPECT_EQ(cam.input_format, "v4l2");
  EXPECT_EQ(cam.url, "/dev/video0");
  EXPECT_FALSE(cam.realtime_pacing);
  SourceSpec mic = parse_ok("pulse:default", MediaKind::audio);
  EXPECT_EQ(mic.input_format, "pulse");
  EXPECT_EQ(mic.url, "default");
  EXPECT_EQ(parse_ok("alsa:hw:0", MediaKind::audio).url, "hw:0");
}

TEST(SourceSpec, RejectsUnknownEmptyAndWrongKind) {
  EXPECT_TRUE(rejected("webcam", MediaKind::video));
  EXPECT_TRUE(rejected("", MediaKind::video));
  EXPECT_TRUE(rejected("file:", MediaKind::video));
  EXPECT_TRUE(rejected("v4l2:", MediaKind::video));
  EXPECT_TRUE(rejected("pulse:default", MediaKind::video));  // a microphone is no camera
  EXPECT_TRUE(rejected("v4l2:/dev/video0", MediaKind::audio));
}

}  // namespace
}  // namespace cunbo
