// What a host sees when they name a camera, microphone, file or folder that does not work:
// one line that says which, an exit status a script can tell apart, no crash, and no
// half-written recording left behind.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

#include "tests/support/cunbo_cli.h"
#include "tests/support/temp_dir.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

// Documented exit statuses (README.md).
constexpr int kUsage = 2;
constexpr int kSourceFailed = 3;
constexpr int kOutputFailed = 4;

class BadInput : public ::testing::Test {
 protected:
  // Runs practice with `args` (plus a short duration and an --out unless given) and checks
  // the refusal: exit status `code`, exactly one stderr line naming `named`, no file.
  RunResult expect_refused(std::vector<std::string> args, int code, const std::string& named,
                           const EnvChanges& env = {}) {
    args.insert(args.begin(), "practice");
    if (std::find(args.begin(), args.end(), "--out") == args.end()) {
      args.insert(args.end(), {"--out", out().string()});
    }
    args.insert(args.end(), {"--duration", "2"});
    const RunResult r = cunbo.run(args, env, 20s);
    EXPECT_FALSE(r.timed_out) << r.describe();
    EXPECT_TRUE(r.status.exited) << "it crashed\n" << r.describe();
    EXPECT_EQ(r.status.code, code) << r.describe();
    const std::vector<std::string> lines = lines_of(r.err);
    EXPECT_EQ(lines.size(), 1u) << "one line on stderr, no log noise and no progress\n" << r.describe();
    EXPECT_THAT(r.err, ::testing::HasSubstr(named)) << "the message names what is wrong\n" << r.describe();
    EXPECT_FALSE(std::filesystem::exists(out())) << "a recording was left behind";
    EXPECT_THAT(files_under(cunbo.videos_dir()), ::testing::IsEmpty()) << "a recording was left behind";
    return r;
  }

  [[nodiscard]] std::filesystem::path out() const { return cunbo.work_dir() / "out.mkv"; }

  CunboSandbox cunbo{CUNBO_BINARY, "cunbo-bad-input"};
};

TEST_F(BadInput, UnknownVideoSourceIsAUsageError) {
  expect_refused({"--video", "webcam", "--audio", "test"}, kUsage, "webcam");
}

TEST_F(BadInput, UnknownAudioSourceIsAUsageError) {
  expect_refused({"--video", "test", "--audio", "microphone"}, kUsage, "microphone");
}

TEST_F(BadInput, UnknownQualityIsAUsageError) {
  expect_refused({"--video", "test", "--audio", "test", "--quality", "4k"}, kUsage, "4k");
}

TEST_F(BadInput, BeautyAboveTenIsAUsageError) {
  expect_refused({"--video", "test", "--audio", "test", "--beauty", "11"}, kUsage, "11");
}

TEST_F(BadInput, UnknownLightModeIsAUsageError) {
  expect_refused({"--video", "test", "--audio", "test", "--light", "maybe"}, kUsage, "maybe");
}

TEST_F(BadInput, AnUnknownOrientationFramingRotationOrMirrorIsAUsageError) {
  expect_refused({"--video", "test", "--audio", "test", "--orientation", "square"}, kUsage, "square");
  expect_refused({"--video", "test", "--audio", "test", "--framing", "stretch"}, kUsage, "stretch");
  expect_refused({"--video", "test", "--audio", "test", "--camera-rotation", "45"}, kUsage, "45");
  expect_refused({"--video", "test", "--audio", "test", "--mirror", "sideways"}, kUsage, "sideways");
}

TEST_F(BadInput, MissingCameraIsNamed) {
  expect_refused({"--video", "v4l2:/dev/video77", "--audio", "test"}, kSourceFailed, "/dev/video77");
}

TEST_F(BadInput, MissingVideoFileIsNamed) {
  const auto missing = cunbo.work_dir() / "no-such-clip.mp4";
  expect_refused({"--video", "file:" + missing.string(), "--audio", "test"}, kSourceFailed, missing.string());
}

TEST_F(BadInput, MissingAudioFileIsNamed) {
  const auto missing = cunbo.work_dir() / "no-such-song.mp3";
  expect_refused({"--video", "test", "--audio", "file:" + missing.string()}, kSourceFailed, missing.string());
}

TEST_F(BadInput, FileThatIsNotMediaIsNamed) {
  const auto text = cunbo.work_dir() / "shopping-list.txt";
  write_text_file(text, "白菜 3 斤\n土豆 5 斤\n这不是视频。\n");
  expect_refused({"--video", "file:" + text.string(), "--audio", "test"}, kSourceFailed, text.string());
}

TEST_F(BadInput, MissingPulseAudioSourceIsNamed) {
  // A sound server that is not there (no daemon at that socket).
  expect_refused({"--video", "test", "--audio", "pulse:cunbo_no_such_mic"}, kSourceFailed, "cunbo_no_such_mic",
                 {{"PULSE_SERVER", "unix:" + (cunbo.work_dir() / "no-pulse-here").string()}});
}

TEST_F(BadInput, MissingAlsaDeviceIsNamed) {
  expect_refused({"--video", "test", "--audio", "alsa:hw:77"}, kSourceFailed, "hw:77");
}

TEST_F(BadInput, OutputFolderThatCannotBeWrittenIsNamed) {
  // A folder path that runs through a regular file cannot be created, even by root (who
  // ignores permission bits, so a 0555 folder would not do).
  const auto not_a_folder = cunbo.work_dir() / "recordings";
  write_text_file(not_a_folder, "a file where the host expected a folder\n");
  const auto target = not_a_folder / "practice.mkv";
  expect_refused({"--video", "test", "--audio", "test", "--out", target.string()}, kOutputFailed,
                 not_a_folder.string());
  EXPECT_EQ(read_text_file(not_a_folder), "a file where the host expected a folder\n");
}

TEST_F(BadInput, ConfiguredOutputFolderThatCannotBeCreatedIsNamed) {
  const auto blocker = cunbo.work_dir() / "blocker";
  write_text_file(blocker, "not a folder\n");
  const auto out_dir = blocker / "recordings";
  const RunResult set = cunbo.run({"config", "set", "out_dir", out_dir.string()});
  ASSERT_TRUE(set.status.success()) << set.describe();
  const RunResult r = cunbo.run({"practice", "--video", "test", "--audio", "test", "--duration", "2"}, {}, 20s);
  EXPECT_TRUE(r.status.exited) << r.describe();
  EXPECT_EQ(r.status.code, kOutputFailed) << r.describe();
  EXPECT_EQ(lines_of(r.err).size(), 1u) << r.describe();
  EXPECT_THAT(r.err, ::testing::HasSubstr(blocker.string())) << r.describe();
}

TEST_F(BadInput, MessagesAreChineseByDefaultAndEnglishWhenAsked) {
  const RunResult chinese = expect_refused({"--video", "webcam", "--audio", "test"}, kUsage, "webcam");
  EXPECT_TRUE(has_non_ascii(chinese.err)) << "expected Chinese by default, got: " << chinese.err;

  const RunResult english =
      expect_refused({"--video", "webcam", "--audio", "test"}, kUsage, "webcam", {{"LANG", "en_US.UTF-8"}});
  EXPECT_FALSE(has_non_ascii(english.err)) << "expected English with LANG=en_US.UTF-8, got: " << english.err;
}

}  // namespace
}  // namespace cunbo::test
