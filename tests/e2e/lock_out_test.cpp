// Nothing the host does can lock them out: a config file with a typo, damaged caches, no
// screen. Each command says in one plain line what is wrong (which line of which file) and
// carries on with the defaults; `stream` alone refuses (the file may hold the push addresses),
// and `config set` keeps the broken file aside and writes the new value. In both languages.
#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/host_words.h"
#include "tests/support/cunbo_cli.h"
#include "tests/support/nginx_rtmp.h"
#include "tests/support/temp_dir.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

constexpr HostLanguage kBoth[] = {HostLanguage::chinese, HostLanguage::english};

// Line 3 has an unclosed string: not TOML at all.
constexpr const char* kBrokenConfig =
    "quality = \"480p\"\n"
    "[[destinations]]\n"
    "url = \"rtmp://push.example.com/live\n"
    "key = \"sk_secret\"\n";

class LockOut : public ::testing::Test {
 protected:
  void SetUp() override { write_broken_config(); }

  void write_broken_config() const {
    cunbo.write_config(kBrokenConfig);
  }

  [[nodiscard]] EnvChanges env() const { return {{"XDG_CACHE_HOME", (cunbo.home() / "cache").string()}}; }

  // The line about the config: names the file and the line, in the host's language.
  void expect_names_the_line(const std::string& line, HostLanguage language) const {
    EXPECT_THAT(line, HasSubstr(cunbo.config_file().string()));
    EXPECT_THAT(line, HasSubstr(language == HostLanguage::chinese ? "第 3 行" : "line 3"));
    EXPECT_THAT(line, ::testing::Not(HasSubstr("sk_secret")));
  }

  [[nodiscard]] std::vector<std::filesystem::path> kept_copies() const {
    std::vector<std::filesystem::path> kept;
    for (const auto& file : files_under(cunbo.config_file().parent_path()))
      if (file.filename().string().starts_with("config.toml.broken-")) kept.push_back(file);
    return kept;
  }

  CunboSandbox cunbo{CUNBO_BINARY, "cunbo-lock-out"};
};

TEST_F(LockOut, HeadlessCommandsSayWhichLineIsWrongAndCarryOnWithTheDefaults) {
  const auto out = cunbo.work_dir() / "rehearsal.mkv";
  for (HostLanguage language : kBoth) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"practice", "--duration", "1", "--out", out.string()},
          std::vector<std::string>{"feed", "--practice", "--duration", "1"}, std::vector<std::string>{"devices"},
          std::vector<std::string>{"config", "show"}}) {
      const RunResult r = cunbo.run(typed_in(language, args), env(), 60s);
      SCOPED_TRACE(std::string(name_of(language)) + ": " + r.describe());
      EXPECT_TRUE(r.status.success()) << "locked out";
      const std::vector<std::string> lines = lines_of(r.err);
      ASSERT_FALSE(lines.empty());
      expect_names_the_line(lines.front(), language);
      expect_our_words(lines.front(), language, "stderr");
      EXPECT_EQ(read_text_file(cunbo.config_file()), kBrokenConfig) << "the host's file was changed";
    }
  }
  EXPECT_TRUE(std::filesystem::exists(out)) << "practice recorded with the defaults";
}

TEST_F(LockOut, StreamRefusesSinceTheFileMayHoldThePushAddresses) {
  for (HostLanguage language : kBoth) {
    const RunResult r = expect_refused(cunbo, language, {"stream", "--duration", "2"}, 2, cunbo.config_file().string());
    expect_names_the_line(r.err, language);
  }
  EXPECT_EQ(read_text_file(cunbo.config_file()), kBrokenConfig);
}

TEST_F(LockOut, ConfigSetKeepsTheBrokenFileAsideSaysSoAndWritesTheValue) {
  for (HostLanguage language : kBoth) {
    write_broken_config();
    const size_t kept_before = kept_copies().size();
    const RunResult r = cunbo.run(typed_in(language, {"config", "set", "quality", "720p"}));
    SCOPED_TRACE(std::string(name_of(language)) + ": " + r.describe());
    ASSERT_TRUE(r.status.success());
    const std::vector<std::string> said = lines_of(r.err);
    ASSERT_EQ(said.size(), 1u);
    expect_names_the_line(said.front(), language);
    expect_our_words(r.err, language, "stderr");
    expect_our_words(r.out, language, "stdout");

    const std::vector<std::filesystem::path> kept = kept_copies();
    ASSERT_EQ(kept.size(), kept_before + 1) << "the broken file was not kept aside";
    EXPECT_THAT(kept.back().filename().string(), ::testing::MatchesRegex("config\\.toml\\.broken-[0-9]{8}-[0-9]{6}(-[0-9]+)?"));
    EXPECT_THAT(said.front(), HasSubstr(kept.back().string())) << "where it went is said";
    EXPECT_EQ(read_text_file(kept.back()), kBrokenConfig);
    struct stat st {};
    ASSERT_EQ(::stat(kept.back().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << "it holds a stream key";
    EXPECT_EQ(read_text_file(cunbo.config_file()).find("sk_secret"), std::string::npos);
    EXPECT_THAT(read_text_file(cunbo.config_file()), HasSubstr("720p"));
  }
}

TEST_F(LockOut, TheWindowOpensWithTheDefaultsAndSaysWhichLineIsWrong) {
  for (HostLanguage language : kBoth) {
    const auto png = cunbo.work_dir() / "shot.png";
    std::filesystem::remove(png);
    const RunResult r =
        cunbo.run(typed_in(language, {"--screenshot", png.string(), "--after-frames", "10"}), env(), 60s);
    SCOPED_TRACE(std::string(name_of(language)) + ": " + r.describe());
    EXPECT_TRUE(r.status.success()) << "the window did not open";
    EXPECT_TRUE(std::filesystem::exists(png));
    const std::vector<std::string> lines = lines_of(r.err);
    ASSERT_EQ(lines.size(), 1u);
    expect_names_the_line(lines.front(), language);
    expect_our_words(r.err, language, "stderr");
    EXPECT_EQ(read_text_file(cunbo.config_file()), kBrokenConfig);
  }
}

TEST_F(LockOut, DamagedCachesAreDroppedNeverACrash) {
  const auto cache = cunbo.home() / "cache" / "cunbo";
  std::filesystem::create_directories(cache);
  write_text_file(cache / "products.json", "{\"version\":\"1\",\"products\":{\"id\":7}}");
  write_text_file(cache / "images", "a file where the picture folder goes");
  std::filesystem::remove(cunbo.config_file());
  // The window reads the product list kept from last time and the pictures' folder.
  const auto png = cunbo.work_dir() / "shot.png";
  const RunResult shot = cunbo.run({"--screenshot", png.string(), "--after-frames", "10"}, env(), 60s);
  EXPECT_TRUE(shot.status.success()) << shot.describe();
  EXPECT_TRUE(lines_of(shot.err).empty()) << shot.describe();
  // `feed` shows the kept list when the platform cannot be reached: a damaged one is left out.
  const auto token = cunbo.work_dir() / "token";
  write_text_file(token, "tok-e2e\n");
  const std::string api = "http://127.0.0.1:" + std::to_string(pick_free_loopback_port()) + "/";
  const RunResult fed = cunbo.run({"feed", "--api", api, "--token-file", token.string(), "--duration", "2"}, env(), 30s);
  EXPECT_TRUE(fed.status.exited) << "it crashed\n" << fed.describe();
  EXPECT_EQ(fed.status.code, 8) << fed.describe();  // unreachable, and nothing else went wrong
  expect_our_words(fed.out, HostLanguage::chinese, "stdout");
}

TEST_F(LockOut, NoDisplayIsSaidPlainlyAndQuickly) {
  std::filesystem::remove(cunbo.config_file());
  for (HostLanguage language : kBoth) {
    for (const EnvChanges& no_screen :
         {EnvChanges{{"XDG_RUNTIME_DIR", std::nullopt}},  // nothing at all (CunboSandbox passes no DISPLAY)
          EnvChanges{{"DISPLAY", ":97"}, {"XDG_RUNTIME_DIR", std::nullopt}},  // a display that is not there
          EnvChanges{{"WAYLAND_DISPLAY", "wayland-97"}, {"XDG_RUNTIME_DIR", std::nullopt}}}) {
      const auto started = Clock::now();
      const RunResult r = expect_refused(cunbo, language, {}, 1, "cunbo practice", no_screen);
      EXPECT_LT(Clock::now() - started, 10s) << "it should give up at once, not run unseen";
      EXPECT_THAT(r.err, HasSubstr(language == HostLanguage::chinese ? "显示器" : "display"));
    }
  }
}

}  // namespace
}  // namespace cunbo::test
