#include "client/config/config.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "client/base/strings.h"

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

TEST_F(ConfigFile, RejectsUnknownKeysAndBadValues) {
  EXPECT_EQ(set_config_value(path_, "colour", "red")->id, "err.config_unknown_key");
  EXPECT_EQ(set_config_value(path_, "quality", "4k")->id, "err.bad_quality");
  EXPECT_EQ(set_config_value(path_, "video", "webcam")->id, "err.unknown_video_source");
  EXPECT_EQ(set_config_value(path_, "duration", "-3")->id, "err.bad_duration");
  EXPECT_FALSE(std::filesystem::exists(path_)) << "nothing written for a refused value";
}

TEST_F(ConfigFile, BrokenFileIsReportedNotCrashedOn) {
  std::filesystem::create_directories(path_.parent_path());
  std::ofstream(path_) << "quality = [unclosed\n";
  auto loaded = load_config(path_);
  ASSERT_TRUE(std::holds_alternative<ConfigError>(loaded));
  EXPECT_EQ(std::get<ConfigError>(loaded).id, "err.config_invalid");
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
