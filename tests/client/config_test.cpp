#include "client/config/config.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "client/base/strings.h"
#include "client/studio/session_setup.h"

namespace cunbo {
namespace {

class ConfigFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cunbo-config-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    path_ = dir_ / "cunbo" / "config.toml";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::filesystem::path path_;
};

TEST_F(ConfigFile, MissingFileIsEmptyConfig) {
  auto loaded = load_config(path_);
  ASSERT_TRUE(std::holds_alternative<Config>(loaded));
  EXPECT_FALSE(std::get<Config>(loaded).quality);
}

TEST_F(ConfigFile, IsCreatedPrivateAndKeepsOtherKeys) {
  ASSERT_FALSE(set_config_value(path_, "quality", "480p"));
  ASSERT_FALSE(set_config_value(path_, "video", "file:/tmp/clip.mkv"));
  ASSERT_FALSE(set_config_value(path_, "duration", "12.5"));
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto loaded = load_config(path_);
  ASSERT_TRUE(std::holds_alternative<Config>(loaded));
  const Config& c = std::get<Config>(loaded);
  EXPECT_EQ(c.quality, "480p");
  EXPECT_EQ(c.video, "file:/tmp/clip.mkv");
  EXPECT_DOUBLE_EQ(c.duration.value_or(0), 12.5);
}

TEST_F(ConfigFile, AFileCunboCreatesStartsInPortraitAndAnOlderOneStaysLandscape) {
  ASSERT_FALSE(set_config_value(path_, "quality", "480p"));
  auto fresh = load_config(path_);
  ASSERT_TRUE(std::holds_alternative<Config>(fresh));
  EXPECT_EQ(std::get<Config>(fresh).orientation, "portrait") << "phone viewers watch upright";
  // A host's file from before keeps its landscape picture: nothing is added to it.
  std::filesystem::remove(path_);
  ASSERT_FALSE(set_config_value(path_, "orientation", "landscape"));
  ASSERT_FALSE(set_config_value(path_, "quality", "1080p"));
  EXPECT_EQ(std::get<Config>(load_config(path_)).orientation, "landscape");
}

TEST_F(ConfigFile, KeepsTheFramingAndRefusesValuesOutOfRange) {
  ASSERT_FALSE(set_config_value(path_, "framing", "fit"));
  ASSERT_FALSE(set_config_value(path_, "framing_zoom", "1.5"));
  ASSERT_FALSE(set_config_value(path_, "framing_x", "-0.25"));
  ASSERT_FALSE(set_config_value(path_, "camera_rotation", "270"));
  const Config c = std::get<Config>(load_config(path_));
  EXPECT_EQ(c.framing, "fit");
  EXPECT_EQ(c.framing_zoom, 1.5);
  EXPECT_EQ(c.framing_x, -0.25);
  EXPECT_EQ(c.camera_rotation, 270);
  EXPECT_EQ(set_config_value(path_, "orientation", "square")->id, "err.bad_orientation");
  EXPECT_EQ(set_config_value(path_, "framing", "stretch")->id, "err.bad_framing");
  EXPECT_EQ(set_config_value(path_, "framing_zoom", "5")->id, "err.bad_framing_zoom");
  EXPECT_EQ(set_config_value(path_, "framing_y", "2")->id, "err.bad_framing_offset");
  EXPECT_EQ(set_config_value(path_, "camera_rotation", "45")->id, "err.bad_rotation");
  // A hand-written value out of range is left out (the rest is kept).
  std::ofstream(path_) << "framing_zoom = 9\ncamera_rotation = 30\nframing = \"fill\"\n";
  const LoadedConfig loaded = load_config_or_defaults(path_);
  EXPECT_TRUE(loaded.problem);
  EXPECT_EQ(loaded.config.framing, "fill");
  EXPECT_FALSE(loaded.config.framing_zoom);
  EXPECT_FALSE(loaded.config.camera_rotation);
}

TEST_F(ConfigFile, KeepsTheMirrorForThePreviewAndForTheStream) {
  ASSERT_FALSE(set_config_value(path_, "mirror", "true"));
  ASSERT_FALSE(set_config_value(path_, "mirror_stream", "false"));
  const Config c = std::get<Config>(load_config(path_));
  EXPECT_EQ(c.mirror, true);
  EXPECT_EQ(c.mirror_stream, false);
  EXPECT_EQ(configured_framing(c, Orientation::portrait).mirror, false) << "the stream is mirrored only when asked";
  ASSERT_FALSE(set_config_value(path_, "mirror_stream", "true"));
  EXPECT_EQ(configured_framing(std::get<Config>(load_config(path_)), Orientation::portrait).mirror, true);
  const auto bad = set_config_value(path_, "mirror", "yes");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->id, "err.bad_boolean");
}

TEST_F(ConfigFile, RejectsUnknownKeysAndBadValues) {
  EXPECT_EQ(set_config_value(path_, "colour", "red")->id, "err.config_unknown_key");
  EXPECT_EQ(set_config_value(path_, "quality", "4k")->id, "err.bad_quality");
  EXPECT_EQ(set_config_value(path_, "video", "webcam")->id, "err.unknown_video_source");
  EXPECT_EQ(set_config_value(path_, "duration", "-3")->id, "err.bad_duration");
  EXPECT_FALSE(std::filesystem::exists(path_)) << "nothing written for a refused value";
}

TEST_F(ConfigFile, KeepsLightAndBeautyAndRefusesValuesOutOfRange) {
  EXPECT_EQ(set_config_value(path_, "light", "maybe")->id, "err.bad_light");
  EXPECT_EQ(set_config_value(path_, "warmth", "12")->id, "err.bad_tone");
  EXPECT_EQ(set_config_value(path_, "saturation", "much")->id, "err.bad_tone");
  EXPECT_EQ(set_config_value(path_, "beauty", "11")->id, "err.bad_beauty");
  EXPECT_EQ(set_config_value(path_, "beauty", "-1")->id, "err.bad_beauty");
  EXPECT_EQ(set_config_value(path_, "beauty", "3.5")->id, "err.bad_beauty");
  EXPECT_FALSE(std::filesystem::exists(path_)) << "nothing written for a refused value";
  ASSERT_FALSE(set_config_value(path_, "light", "off"));
  ASSERT_FALSE(set_config_value(path_, "beauty", "7"));
  ASSERT_FALSE(set_config_value(path_, "warmth", "-4"));
  ASSERT_FALSE(set_config_value(path_, "saturation", "+6"));
  auto loaded = load_config(path_);
  ASSERT_TRUE(std::holds_alternative<Config>(loaded));
  EXPECT_EQ(std::get<Config>(loaded).light, "off");
  EXPECT_EQ(std::get<Config>(loaded).beauty, 7);
  EXPECT_EQ(std::get<Config>(loaded).warmth, -4);
  EXPECT_EQ(std::get<Config>(loaded).saturation, 6);
  EXPECT_EQ(std::get<Config>(loaded).brightness, std::nullopt);
}

TEST_F(ConfigFile, BrokenFileIsReportedNotCrashedOn) {
  std::filesystem::create_directories(path_.parent_path());
  std::ofstream(path_) << "quality = [unclosed\n";
  auto loaded = load_config(path_);
  ASSERT_TRUE(std::holds_alternative<ConfigError>(loaded));
  EXPECT_EQ(std::get<ConfigError>(loaded).id, "err.config_invalid");
}

// What a host who edits the file by hand meets: one sentence naming the file and the line, the
// defaults (or the rest of the file) meanwhile, and their text kept, never overwritten.
std::vector<std::filesystem::path> kept_copies(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> kept;
  for (const auto& entry : std::filesystem::directory_iterator(path.parent_path()))
    if (entry.path().filename().string().starts_with(path.filename().string() + ".broken-")) kept.push_back(entry.path());
  std::sort(kept.begin(), kept.end());
  return kept;
}

std::string text_of(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(ConfigFile, ASyntaxErrorGivesTheDefaultsAndOneSentenceNamingTheFileAndTheLine) {
  std::filesystem::create_directories(path_.parent_path());
  std::ofstream(path_) << "quality = \"480p\"\n\nshop_name = \"王大姐的果园\n";
  const LoadedConfig loaded = load_config_or_defaults(path_);
  ASSERT_TRUE(loaded.problem.has_value());
  EXPECT_EQ(loaded.problem->line, 3);
  EXPECT_TRUE(loaded.problem->key.empty());
  EXPECT_EQ(loaded.config, Config{}) << "nothing of a file that is not TOML is used";

  set_language(Language::zh_CN);
  const std::string chinese = config_problem_text(*loaded.problem);
  EXPECT_NE(chinese.find(path_.string()), std::string::npos) << chinese;
  EXPECT_NE(chinese.find("第 3 行"), std::string::npos) << chinese;
  EXPECT_EQ(chinese.find('\n'), std::string::npos) << chinese;
  set_language(Language::en);
  const std::string english = config_problem_text(*loaded.problem);
  EXPECT_NE(english.find("line 3"), std::string::npos) << english;
  EXPECT_EQ(english.find('\n'), std::string::npos) << english;
  set_language(Language::zh_CN);
}

TEST_F(ConfigFile, AValueThatCannotBeUsedIsLeftOutAndTheRestKept) {
  std::filesystem::create_directories(path_.parent_path());
  std::ofstream(path_) << "shop_name = \"王大姐的果园\"\nquality = \"4k\"\nduration = -3\n"
                          "[[destinations]]\nurl = \"rtmp://push.example.com/live\"\nkey = \"k1\"\n";
  const LoadedConfig loaded = load_config_or_defaults(path_);
  ASSERT_TRUE(loaded.problem.has_value());
  EXPECT_EQ(loaded.problem->key, "quality");
  EXPECT_EQ(loaded.problem->line, 2);
  EXPECT_FALSE(loaded.config.quality.has_value());
  EXPECT_FALSE(loaded.config.duration.has_value()) << "a duration of -3 s is not used either";
  EXPECT_EQ(loaded.config.shop_name, "王大姐的果园");
  ASSERT_EQ(loaded.config.destinations.size(), 1u);
  EXPECT_EQ(loaded.config.destinations[0].key, "k1");
  EXPECT_NE(config_problem_text(*loaded.problem).find("quality"), std::string::npos);
  // The strict loader refuses the same file, naming it.
  ASSERT_TRUE(std::holds_alternative<ConfigError>(load_config(path_)));
}

TEST_F(ConfigFile, ValuesOfTheWrongTypeAreProblemsNotCrashes) {
  for (const std::string& text :
       {std::string("quality = 720\n"), std::string("video = [\"test\"]\n"), std::string("destinations = \"rtmp://x/y/z\"\n"),
        std::string("[[destinations]]\nkey = \"k\"\n"), std::string("[[destinations]]\nurl = 5\n"),
        std::string("duration = \"long\"\n"), std::string("token = 12\n")}) {
    SCOPED_TRACE(text);
    std::filesystem::create_directories(path_.parent_path());
    std::ofstream(path_) << text;
    const LoadedConfig loaded = load_config_or_defaults(path_);
    ASSERT_TRUE(loaded.problem.has_value());
    EXPECT_FALSE(loaded.problem->key.empty());
    EXPECT_GE(loaded.problem->line, 1);
    EXPECT_TRUE(loaded.config.destinations.empty());
  }
}

TEST_F(ConfigFile, SettingAValueKeepsAFileItCannotParseAsideAndWritesAFreshOne) {
  std::filesystem::create_directories(path_.parent_path());
  const std::string broken = "[[destinations]]\nurl = \"rtmp://push.example.com/live\nkey = \"k1\"\n";
  std::ofstream(path_) << broken;
  std::optional<KeptAside> kept;
  ASSERT_EQ(set_config_value(path_, "quality", "480p", &kept), std::nullopt);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->problem.line, 2);
  EXPECT_EQ(kept_copies(path_), std::vector<std::filesystem::path>{kept->kept});
  EXPECT_EQ(text_of(kept->kept), broken) << "the host's text is kept whole";
  struct stat st {};
  ASSERT_EQ(::stat(kept->kept.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(std::get<Config>(load_config(path_)).quality, "480p");
  const std::string said = config_kept_aside_text(kept->problem, kept->kept);
  EXPECT_NE(said.find(kept->kept.string()), std::string::npos) << said;

  // A second broken file in the same second never overwrites the first copy.
  std::ofstream(path_, std::ios::trunc) << "quality = [\n";
  std::optional<KeptAside> again;
  ASSERT_EQ(set_config_value(path_, "quality", "720p", &again), std::nullopt);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(kept_copies(path_).size(), 2u);
  EXPECT_EQ(text_of(kept->kept), broken);
  EXPECT_EQ(text_of(again->kept), "quality = [\n");
}

TEST(Strings, EveryMessageHasChineseAndEnglish) {
  std::ifstream in(std::string(CUNBO_SOURCE_DIR) + "/assets/strings.json");
  const nlohmann::json table = nlohmann::json::parse(in);
  for (const auto& [id, texts] : table.items()) {
    if (id.starts_with("_")) continue;
    EXPECT_TRUE(texts.contains("zh-CN") && texts.contains("en")) << id;
  }
}

TEST(Strings, FollowTheChosenLanguage) {
  set_language(Language::en);
  EXPECT_EQ(tr("err.file_not_found", "/x"), "file not found: /x");
  set_language(Language::zh_CN);
  EXPECT_EQ(tr("err.file_not_found", "/x"), "找不到文件 /x");
}

}  // namespace
}  // namespace cunbo
