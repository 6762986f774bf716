// `cunbo config`: the defaults a host sets once, kept private, and overridden by flags.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/support/cunbo_cli.h"
#include "tests/support/media_probe.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

class Config : public ::testing::Test {
 protected:
  void set(const std::string& key, const std::string& value, const EnvChanges& env = {}) {
    const RunResult r = cunbo.run({"config", "set", key, value}, env);
    ASSERT_TRUE(r.status.success()) << r.describe();
  }

  // Records a short practice session and returns the video stream's size.
  std::pair<int, int> recorded_size(std::vector<std::string> extra_args) {
    const auto out = cunbo.work_dir() / "config.mkv";
    std::vector<std::string> args = {"practice",   "--video", "test",  "--audio",   "test",
                                     "--duration", "1",       "--out", out.string()};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    const RunResult r = cunbo.run(args, {}, 40s);
    EXPECT_TRUE(r.status.success()) << r.describe();
    const ProbeResult probe = probe_media(out);
    EXPECT_TRUE(probe.file) << probe.error;
    if (!probe.file || probe.file->first(StreamKind::video) == nullptr) return {0, 0};
    std::filesystem::remove(out);
    return {probe.file->first(StreamKind::video)->width, probe.file->first(StreamKind::video)->height};
  }

  CunboSandbox cunbo{CUNBO_BINARY, "cunbo-config"};
};

TEST_F(Config, FlagsOverrideTheConfigFileWhichOnlyItsOwnerCanRead) {
  set("quality", "480p");
  ASSERT_TRUE(std::filesystem::exists(cunbo.config_file())) << "expected " << cunbo.config_file();
  struct stat st {};
  ASSERT_EQ(::stat(cunbo.config_file().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the config file may hold secrets: mode " << std::oct << (st.st_mode & 0777);

  const RunResult show = cunbo.run({"config", "show"});
  ASSERT_TRUE(show.status.success()) << show.describe();
  EXPECT_THAT(show.out, ::testing::HasSubstr("480p"));

  EXPECT_THAT(show.out, ::testing::HasSubstr("portrait")) << "a new config is portrait, as phone viewers watch";

  EXPECT_EQ(recorded_size({}), std::make_pair(480, 854)) << "the configured quality is used, upright";
  EXPECT_EQ(recorded_size({"--quality", "720p"}), std::make_pair(720, 1280)) << "a flag overrides the config";
  EXPECT_EQ(recorded_size({"--orientation", "landscape"}), std::make_pair(854, 480))
      << "and so does --orientation";
}

TEST_F(Config, EveryPracticeSettingCanComeFromTheConfigFile) {
  const auto out_dir = cunbo.work_dir() / "my recordings";
  set("video", "test");
  set("audio", "test");
  set("quality", "480p");
  set("duration", "1.5");
  set("out_dir", out_dir.string());

  const RunResult r = cunbo.run({"practice"}, {}, 40s);
  ASSERT_TRUE(r.status.success()) << r.describe();
  const std::vector<std::filesystem::path> files = recordings_under(out_dir);
  ASSERT_EQ(files.size(), 1u) << "expected the recording in " << out_dir << "\n" << r.describe();
  EXPECT_THAT(files_under(cunbo.videos_dir()), ::testing::IsEmpty());
  EXPECT_THAT(lines_of(r.out).back(), ::testing::HasSubstr(files.front().string()));

  const ProbeResult probe = probe_media(files.front());
  ASSERT_TRUE(probe.file) << probe.error;
  const StreamInfo* video = probe.file->first(StreamKind::video);
  ASSERT_NE(video, nullptr);
  EXPECT_EQ(video->width, 480) << "a new config records upright";
  EXPECT_EQ(video->height, 854);
  EXPECT_NEAR(stream_timing(*probe.file, video->index).duration_s, 1.5, 0.1);
  EXPECT_NE(probe.file->first(StreamKind::audio), nullptr);
}

TEST_F(Config, LivesInDotConfigWithoutXdgConfigHome) {
  const EnvChanges no_xdg = {{"XDG_CONFIG_HOME", std::nullopt}};
  set("quality", "1080p", no_xdg);
  const auto file = cunbo.home() / ".config" / "cunbo" / "config.toml";
  EXPECT_TRUE(std::filesystem::exists(file)) << "expected " << file;
  EXPECT_FALSE(std::filesystem::exists(cunbo.config_file()));
  const RunResult show = cunbo.run({"config", "show"}, no_xdg);
  EXPECT_THAT(show.out, ::testing::HasSubstr("1080p")) << show.describe();
}

TEST_F(Config, UnknownKeyIsRefusedAndNothingIsWritten) {
  const RunResult r = cunbo.run({"config", "set", "colour", "red"});
  EXPECT_TRUE(r.status.exited) << r.describe();
  EXPECT_EQ(r.status.code, 2) << r.describe();
  EXPECT_EQ(lines_of(r.err).size(), 1u) << r.describe();
  EXPECT_THAT(r.err, ::testing::HasSubstr("colour")) << r.describe();
  EXPECT_FALSE(std::filesystem::exists(cunbo.config_file()));
}

}  // namespace
}  // namespace cunbo::test
