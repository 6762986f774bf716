// Saving the whole config at once (the settings panel, the first-start guide): every field comes
// back as it was saved, the file stays private, a failed save loses nothing, bad values are
// refused with a message a host can read, and secrets never show.
#include "client/config/settings.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "client/base/strings.h"

namespace cunbo {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

unsigned mode_of(const std::filesystem::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

Config full_config() {
  Config c;
  c.video = "v4l2:/dev/video0";
  c.audio = "pulse:alsa_input.pci-0000_00_1f.3.analog-stereo";
  c.quality = "1080p";
  c.duration = 12.5;
  c.out_dir = "/home/host/视频/直播";
  c.language = "en";
  c.shop_name = "老王家的\"沾化冬枣\" \\ 果园";
  c.card_position = "top-right";
  c.destinations = {{"rtmp://push.example.com/live", "key-ONE-secret"},
                    {"rtmps://live.example.net:443/app/key-two-in-url", std::nullopt},
                    {"srt://srt.example.org:9000?streamid=publish/live/x&passphrase=pass-THREE", std::nullopt}};
  c.api = "https://api.example.com/v1";
  c.token = "tok-FOUR-secret";
  return c;
}

class SettingsFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cunbo-settings-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    path_ = dir_ / "cunbo" / "config.toml";
    set_language(Language::zh_CN);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Config load() {
    auto loaded = load_config(path_);
    EXPECT_TRUE(std::holds_alternative<Config>(loaded)) << read_file(path_);
    return std::holds_alternative<Config>(loaded) ? std::get<Config>(loaded) : Config{};
  }
  // Everything in the config folder besides the config itself (temp files left behind).
  std::vector<std::string> strays() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path_.parent_path())) {
      if (entry.path() != path_) names.push_back(entry.path().filename().string());
    }
    return names;
  }

  std::filesystem::path dir_;
  std::filesystem::path path_;
};

TEST_F(SettingsFile, GivesBackEveryFieldItSaved) {
  const Config saved = full_config();
  ASSERT_EQ(save_config_file(path_, saved), std::nullopt);
  EXPECT_EQ(load(), saved);

  // Saving again with fields cleared removes them from the file.
  Config fewer = saved;
  fewer.token.reset();
  fewer.duration.reset();
  fewer.destinations.pop_back();
  ASSERT_EQ(save_config_file(path_, fewer), std::nullopt);
  EXPECT_EQ(load(), fewer);
  EXPECT_THAT(read_file(path_), Not(HasSubstr("token")));

  ASSERT_EQ(save_config_file(path_, Config{}), std::nullopt);
  EXPECT_EQ(load(), Config{});
}

TEST_F(SettingsFile, IsPrivateEvenWhenTheOldFileWasNot) {
  write_file(path_, "quality = \"480p\"\n");
  std::filesystem::permissions(path_, std::filesystem::perms(0644));
  ASSERT_EQ(save_config_file(path_, full_config()), std::nullopt);
  EXPECT_EQ(mode_of(path_), 0600u) << "the file holds stream keys and the token";
  EXPECT_FALSE(load().readable_by_others);
  EXPECT_THAT(strays(), ::testing::IsEmpty());
}

TEST_F(SettingsFile, KeepsWhatTheHostWroteThatItDoesNotKnow) {
  write_file(path_,
             "# 我的设置\n"
             "colour = \"red\"  # not ours\n"
             "quality = \"480p\"\n"
             "[[destinations]]\n"
             "name = \"抖音\"\n"
             "url = \"rtmp://old.example.com/live\"\n"
             "key = \"old-key\"\n");
  Config c = full_config();
  ASSERT_EQ(save_config_file(path_, c), std::nullopt);
  const std::string text = read_file(path_);
  EXPECT_THAT(text, HasSubstr("colour = \"red\""));
  EXPECT_THAT(text, HasSubstr("name = \"抖音\""));
  EXPECT_THAT(text, HasSubstr("# not ours"));
  EXPECT_THAT(text, Not(HasSubstr("old-key")));
  EXPECT_EQ(load(), c);
}

TEST_F(SettingsFile, KeepsAFileItCannotParseAsBackup) {
  write_file(path_, "quality = [unclosed\n");
  std::optional<KeptAside> kept;
  ASSERT_EQ(save_config_file(path_, full_config(), &kept), std::nullopt);
  EXPECT_EQ(load(), full_config());
  // config.toml.broken-YYYYmmdd-HHMMSS: a fixed name (.bak) was overwritten by the next broken file.
  ASSERT_TRUE(kept.has_value());
  const auto backup = kept->kept;
  EXPECT_THAT(backup.filename().string(), ::testing::MatchesRegex("config\\.toml\\.broken-[0-9]{8}-[0-9]{6}"));
  EXPECT_EQ(read_file(backup), "quality = [unclosed\n");
  EXPECT_EQ(mode_of(backup), 0600u);
  EXPECT_EQ(kept->problem.line, 1);
}

TEST_F(SettingsFile, AFailedWriteLeavesTheOldFileAsItWas) {
  const std::string old_text = "quality = \"480p\"\nshop_name = \"旧店名\"\n";
  write_file(path_, old_text);
  std::filesystem::permissions(path_, std::filesystem::perms(0600));

  // The disk fills up halfway through the new file (a file-size limit: works as root too).
  struct rlimit old_limit {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  auto* const old_handler = ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old_limit;
  small.rlim_cur = 16;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const auto err = save_config_file(path_, full_config());
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &old_limit), 0);
  ::signal(SIGXFSZ, old_handler);

  ASSERT_TRUE(err);
  EXPECT_EQ(err->id, "err.config_write");
  EXPECT_EQ(read_file(path_), old_text);
  EXPECT_THAT(strays(), ::testing::IsEmpty()) << "no temp file left behind";
  EXPECT_THAT(config_error_text(*err), HasSubstr(path_.string()));
}

TEST_F(SettingsFile, ReportsAPathItCannotReplace) {
  std::filesystem::create_directories(path_);  // a folder where the file should be
  const auto err = save_config_file(path_, full_config());
  ASSERT_TRUE(err);
  EXPECT_EQ(err->id, "err.config_write");
  EXPECT_TRUE(std::filesystem::is_directory(path_));
  EXPECT_THAT(strays(), ::testing::IsEmpty());
}

TEST_F(SettingsFile, RefusesBadValuesWithAMessageForEach) {
  struct Case {
    std::function<void(Config&)> change;
    std::string id;
  };
  const std::vector<Case> cases = {
      {[](Config& c) { c.quality = "4k"; }, "err.bad_quality"},
      {[](Config& c) { c.language = "fr"; }, "err.bad_language"},
      {[](Config& c) { c.card_position = "middle"; }, "err.bad_card_position"},
      {[](Config& c) { c.video = "webcam"; }, "err.unknown_video_source"},
      {[](Config& c) { c.audio = "speaker"; }, "err.unknown_audio_source"},
      {[](Config& c) { c.duration = -1; }, "err.bad_duration"},
      {[](Config& c) { c.api = "ftp://api.example.com"; }, "settings.err_api"},
      {[](Config& c) { c.token = "tok en"; }, "settings.err_token"},
      {[](Config& c) { c.token = ""; }, "settings.err_token"},
      {[](Config& c) { c.destinations = {{"http://example.com/live/abc", std::nullopt}}; }, "err.bad_dest"},
      {[](Config& c) { c.destinations = {{"rtmp://example.com/live", std::nullopt}}; }, "settings.err_dest_needs_key"},
      {[](Config& c) { c.destinations = {{"", std::string("k")}}; }, "settings.err_dest_empty"},
      {[](Config& c) { c.destinations = {{"rtmp://example.com/live", std::string("ab\ncd")}}; }, "settings.err_key"},
      {[](Config& c) { c.destinations = {{"rtmp://example.com/live /x", std::nullopt}}; }, "err.bad_dest"},
  };
  for (const Case& test : cases) {
    Config c = full_config();
    test.change(c);
    const auto err = save_config_file(path_, c);
    ASSERT_TRUE(err) << test.id;
    EXPECT_EQ(err->id, test.id);
    EXPECT_EQ(validate_config(c)->id, test.id);
    // A real sentence in Chinese, not the id.
    const std::string text = config_error_text(*err);
    EXPECT_THAT(text, Not(HasSubstr(test.id)));
    EXPECT_THAT(text, Not(HasSubstr("{}"))) << text;
  }
  EXPECT_FALSE(std::filesystem::exists(path_)) << "nothing written for a refused config";
}

TEST_F(SettingsFile, NeverShowsAKeyOrTokenInAMessageOrTheLog) {
  std::ostringstream log;
  auto logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  logger->set_level(spdlog::level::trace);
  const auto previous = spdlog::default_logger();
  spdlog::set_default_logger(logger);

  std::vector<std::string> messages;
  auto refuse = [&](const Config& c) {
    const auto err = save_config_file(path_, c);
    ASSERT_TRUE(err);
    messages.push_back(config_error_text(*err));
    messages.push_back(err->what + err->detail);
  };
  Config c = full_config();
  c.destinations = {{"http://example.com/live/SECRET-1", std::nullopt}};
  refuse(c);
  c.destinations = {{"rtmp://example.com/live", std::string("SECRET 2")}};
  refuse(c);
  c.destinations = {{"srt://example.com:9000?passphrase=SECRET-3 x", std::nullopt}};
  refuse(c);
  c = full_config();
  c.token = "SECRET-4\n";
  refuse(c);
  ASSERT_EQ(save_config_file(path_, full_config()), std::nullopt);
  spdlog::set_default_logger(previous);

  for (const std::string& m : messages) EXPECT_THAT(m, Not(HasSubstr("SECRET"))) << m;
  for (const char* secret : {"SECRET", "key-ONE-secret", "key-two-in-url", "pass-THREE", "tok-FOUR-secret"})
    EXPECT_THAT(log.str(), Not(HasSubstr(secret)));
}

TEST(SettingsStrings, EveryMessageItUsesExistsInBothLanguages) {
  std::ifstream in(std::string(CUNBO_SOURCE_DIR) + "/assets/strings.json");
  const nlohmann::json table = nlohmann::json::parse(in);
  for (const char* id : {"settings.err_api", "settings.err_token", "settings.err_dest_empty", "settings.err_key",
                         "settings.err_dest_needs_key", "err.bad_dest", "err.config_write", "err.bad_quality",
                         "probe.result", "probe.slow", "probe.speed", "probe.cancelled", "probe.failed"}) {
    ASSERT_TRUE(table.contains(id)) << id;
    EXPECT_TRUE(table[id].contains("zh-CN") && table[id].contains("en")) << id;
  }
}

}  // namespace
}  // namespace cunbo
