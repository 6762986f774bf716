// Where a session's recording goes: the name the host gave picks its container, and a name
// that asks for a container we do not write is refused, in plain words, before any file exists.
#include "client/studio/session_setup.h"

#include <filesystem>
#include <variant>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "client/base/exit_codes.h"
#include "tests/support/temp_dir.h"

namespace cunbo {
namespace {

using ::testing::HasSubstr;

TEST(SessionSetup, KeepsARecordingNameEndingInMkvMp4OrFlv) {
  const test::TempDir dir("session-setup-names");
  for (const char* name : {"a.mkv", "b.mp4", "c.flv", "D.MP4"}) {
    const auto chosen = choose_recording_path((dir / name).string(), Config{}, "practice");
    ASSERT_TRUE(std::holds_alternative<std::filesystem::path>(chosen)) << name;
    EXPECT_EQ(std::get<std::filesystem::path>(chosen), dir / name);
  }
}

TEST(SessionSetup, RefusesARecordingNameOfAnotherKindBeforeCreatingAnything) {
  const test::TempDir dir("session-setup-refused");
  for (const char* name : {"a.avi", "b.mov", "c", "d.mkv.tmp"}) {
    const auto chosen = choose_recording_path((dir / "new folder" / name).string(), Config{}, "live");
    ASSERT_TRUE(std::holds_alternative<SessionError>(chosen)) << name;
    const SessionError& error = std::get<SessionError>(chosen);
    EXPECT_EQ(error.exit_code, exit_code::kUsage);
    EXPECT_THAT(error.message, HasSubstr(name));
    EXPECT_THAT(error.message, HasSubstr(".mp4"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "new folder"));
}

TEST(SessionSetup, NamesADefaultRecordingMkv) {
  const test::TempDir dir("session-setup-default");
  Config config;
  config.out_dir = dir.path().string();
  const auto chosen = choose_recording_path(std::nullopt, config, "practice");
  ASSERT_TRUE(std::holds_alternative<std::filesystem::path>(chosen));
  EXPECT_EQ(std::get<std::filesystem::path>(chosen).extension(), ".mkv");
}

}  // namespace
}  // namespace cunbo
