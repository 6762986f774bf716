// Every word in the host's language: every bad input of every command, in Chinese (the default)
// and in English (--lang en), gets one line of ours naming what is wrong, never a library's
// sentence or a raw number; the help screens are ours too. The words themselves: host_words.h.
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
using ::testing::Not;

constexpr int kUsage = 2;                 // README, "Exit status"
constexpr int kSourceFailed = 3;
constexpr int kPlatformUnreachable = 8;

struct BadInput {
  std::vector<std::string> args;
  int code = kUsage;
  std::string named;  // what the line must name
};

constexpr HostLanguage kBoth[] = {HostLanguage::chinese, HostLanguage::english};

class HostLanguageTest : public ::testing::Test {
 protected:
  void refuse_all(const std::vector<BadInput>& inputs, const EnvChanges& env = {}) {
    for (HostLanguage language : kBoth) {
      for (const BadInput& input : inputs) expect_refused(cunbo, language, input.args, input.code, input.named, env);
    }
  }

  [[nodiscard]] std::string work(const std::string& name) const { return (cunbo.work_dir() / name).string(); }
  [[nodiscard]] std::string out() const { return work("out.mkv"); }

  CunboSandbox cunbo{CUNBO_BINARY, "cunbo-host-language"};
};

TEST_F(HostLanguageTest, CommandLineMistakesAreSaidInOurWords) {
  refuse_all({
      {{"practise"}, kUsage, "practise"},
      {{"--frobnicate"}, kUsage, "--frobnicate"},
      {{"practice", "--frobnicate"}, kUsage, "--frobnicate"},
      {{"practice", "--out", out(), "tomorrow"}, kUsage, "tomorrow"},
      {{"practice", "--video"}, kUsage, "--video"},
      {{"practice", "--lang"}, kUsage, "--lang"},
      {{"practice", "--lang", "fr"}, kUsage, "fr"},
      {{"devices", "--json=maybe"}, kUsage, "--json"},
      {{"devices", "cameras"}, kUsage, "cameras"},
      {{"probe", "--seconds"}, kUsage, "--seconds"},
  });
}

TEST_F(HostLanguageTest, PracticeNamesEveryWrongValue) {
  const std::string not_json = work("catalog.txt");
  write_text_file(not_json, "冬枣 39.9\n");
  const auto practice = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "practice");
    args.insert(args.end(), {"--out", out(), "--duration", "2"});
    return args;
  };
  refuse_all({
      {practice({"--rotate", "0"}), kUsage, "0"},
      {practice({"--rotate", "abc"}), kUsage, "abc"},
      {practice({"--seed", "abc"}), kUsage, "abc"},
      {practice({"--seed", "-1"}), kUsage, "-1"},
      {practice({"--orders-per-minute", "1e99"}), kUsage, "1e99"},
      {practice({"--comments-per-minute", "-5"}), kUsage, "-5"},
      {{"practice", "--out", out(), "--duration", "0"}, kUsage, "0"},
      {{"practice", "--out", out(), "--duration", "soon"}, kUsage, "soon"},
      {practice({"--quality", "4k"}), kUsage, "4k"},
      {practice({"--card-position", "middle"}), kUsage, "middle"},
      {practice({"--video", "webcam"}), kUsage, "webcam"},
      {practice({"--audio", "microphone"}), kUsage, "microphone"},
      {practice({"--catalog", work("no-such-catalog.json")}), kUsage, work("no-such-catalog.json")},
      {practice({"--catalog", not_json}), kUsage, not_json},
      {practice({"--showcase", "no-such-product"}), kUsage, "no-such-product"},
      {practice({"--video", "file:" + work("no-such-clip.mp4")}), kSourceFailed, work("no-such-clip.mp4")},
  });
}

TEST_F(HostLanguageTest, StreamNamesEveryWrongValue) {
  const std::string dest = "rtmp://127.0.0.1:1/live/k1";
  refuse_all({
      {{"stream", "--duration", "2"}, kUsage, ""},
      {{"stream", "--dest", "http://push.example.com/live/k1"}, kUsage, "http://push.example.com/live"},
      {{"stream", "--dest", "rtmp://push.example.com/live"}, kUsage, "rtmp://push.example.com/live"},
      {{"stream", "--dest", dest, "--record", out(), "--no-record"}, kUsage, "--no-record"},
      {{"stream", "--dest", dest, "--bitrate", "fast"}, kUsage, "fast"},
      {{"stream", "--dest", dest, "--bitrate", "99999"}, kUsage, "99999"},
      {{"stream", "--dest", "rtmp://push.example.com/live", "--key-file", work("no-keys")}, kUsage, work("no-keys")},
      {{"stream", "--dest", dest, "--no-abr=maybe"}, kUsage, "--no-abr"},
      {{"stream", "--dest", dest, "--catalog", work("none.json")}, kUsage, work("none.json")},
      {{"stream", "--dest", dest, "--quality", "8k"}, kUsage, "8k"},
  });
}

TEST_F(HostLanguageTest, FeedNamesEveryWrongValue) {
  const std::string empty_token = work("empty-token");
  write_text_file(empty_token, "\n");
  refuse_all({
      {{"feed"}, kUsage, "--practice"},
      {{"feed", "--practice", "--api", "https://api.example.com/"}, kUsage, "--api"},
      {{"feed", "--practice", "--token-file", empty_token}, kUsage, "--token-file"},
      {{"feed", "--api", "notaurl"}, kUsage, "notaurl"},
      {{"feed", "--api", "http://api.example.com/"}, kUsage, "http://api.example.com/"},
      {{"feed", "--api", "ftp://api.example.com/"}, kUsage, "ftp://api.example.com/"},
      {{"feed", "--api", "https://api.example.com/"}, kUsage, "--token-file"},
      {{"feed", "--api", "https://api.example.com/", "--token-file", work("no-token")}, kUsage, work("no-token")},
      {{"feed", "--api", "https://api.example.com/", "--token-file", empty_token}, kUsage, empty_token},
      {{"feed", "--practice", "--duration", "-1"}, kUsage, "-1"},
      {{"feed", "--practice", "--seed", "seven"}, kUsage, "seven"},
      {{"feed", "--practice", "--catalog", work("none.json")}, kUsage, work("none.json")},
  });
}

TEST_F(HostLanguageTest, ProbeAndConfigNameEveryWrongValue) {
  refuse_all({
      {{"probe", "--seconds", "0"}, kUsage, "0"},
      {{"probe", "--seconds", "601"}, kUsage, "601"},
      {{"probe", "--seconds", "many"}, kUsage, "many"},
      {{"config"}, kUsage, "config set"},
      {{"config", "frob"}, kUsage, "frob"},
      {{"config", "set"}, kUsage, "config set"},
      {{"config", "set", "quality"}, kUsage, "config set"},
      {{"config", "set", "colour", "red"}, kUsage, "colour"},
      {{"config", "set", "quality", "4k"}, kUsage, "4k"},
      {{"config", "set", "language", "fr"}, kUsage, "fr"},
      {{"config", "set", "duration", "-3"}, kUsage, "-3"},
      {{"config", "set", "api", "notaurl"}, kUsage, "notaurl"},
      {{"config", "set", "quality", "480p", "extra"}, kUsage, "extra"},
      {{"config", "show", "extra"}, kUsage, "extra"},
  });
  EXPECT_FALSE(std::filesystem::exists(cunbo.config_file())) << "a refused value wrote the config file";
}

TEST_F(HostLanguageTest, TheWindowsOwnOptionsAreCheckedBeforeAnyWindow) {
  const std::string png = work("shot.png");
  refuse_all({
      {{"--screenshot", png, "--after-frames", "-1"}, kUsage, "-1"},
      {{"--screenshot", png, "--after-frames", "soon"}, kUsage, "soon"},
      {{"--screenshot", png, "--lang", "fr"}, kUsage, "fr"},
      {{"--screenshot", png, "--window-size", "big"}, kUsage, "big"},
      {{"--screenshot", png, "--window-size", "1366x0"}, kUsage, "1366x0"},
      {{"--screenshot"}, kUsage, "--screenshot"},
      {{"--screenshot", png, "--practice=maybe"}, kUsage, "--practice"},
      {{"--screenshot", png, "--present", "12"}, kUsage, "cunbo --help"},  // a hidden test hook: no name to give
  });
  EXPECT_FALSE(std::filesystem::exists(png));
}

TEST_F(HostLanguageTest, AnUnreachablePlatformIsNamedAndTheCheckFailsAfterItsDuration) {
  const std::string token = work("token");
  write_text_file(token, "tok-e2e\n");
  std::filesystem::permissions(token, std::filesystem::perms(0600));  // else a warning line comes first
  const std::string api = "http://127.0.0.1:" + std::to_string(pick_free_loopback_port()) + "/";
  for (HostLanguage language : kBoth) {
    const RunResult r = expect_refused(cunbo, language, {"feed", "--api", api, "--token-file", token, "--duration", "2"},
                                       kPlatformUnreachable, api, {{"XDG_CACHE_HOME", work("cache")}});
    EXPECT_THAT(r.out, HasSubstr(api)) << "the address it tries is named as it starts";
  }
}

TEST_F(HostLanguageTest, ThePracticeFeedSaysItIsTheSimulatorNotAPlatform) {
  for (HostLanguage language : kBoth) {
    const RunResult r = cunbo.run(typed_in(language, {"feed", "--practice", "--duration", "1", "--seed", "3"}),
                                  {{"XDG_CACHE_HOME", work("cache")}}, 30s);
    ASSERT_TRUE(r.status.success()) << r.describe();
    const std::string first = lines_of(r.out).front();
    if (language == HostLanguage::chinese) {
      EXPECT_THAT(first, HasSubstr("练习模拟器")) << r.describe();
      EXPECT_THAT(r.out, Not(HasSubstr("已连上平台"))) << r.describe();
    } else {
      EXPECT_THAT(first, HasSubstr("simulator")) << r.describe();
      EXPECT_THAT(r.out, Not(HasSubstr("connected to the platform"))) << r.describe();
    }
    EXPECT_TRUE(r.err.empty()) << r.describe();
  }
}

TEST_F(HostLanguageTest, HelpScreensAreOurs) {
  const std::vector<std::vector<std::string>> screens = {
      {"--help"},           {"practice", "--help"}, {"stream", "--help"},        {"feed", "--help"},
      {"devices", "--help"}, {"probe", "--help"},   {"config", "--help"},        {"config", "set", "--help"},
      {"config", "show", "--help"}};
  for (HostLanguage language : kBoth) {
    for (const std::vector<std::string>& args : screens) {
      const RunResult r = cunbo.run(typed_in(language, args));
      SCOPED_TRACE(std::string(name_of(language)) + ": " + r.describe());
      ASSERT_TRUE(r.status.success());
      EXPECT_TRUE(r.err.empty());
      EXPECT_THAT(r.out, HasSubstr(language == HostLanguage::chinese ? "用法：cunbo" : "Usage: cunbo"));
      EXPECT_THAT(r.out, HasSubstr("--lang")) << "every command takes --lang";
      for (const char* words : {"Print this help message", "Excludes", "NONNEGATIVE", "POSITIVE", "REQUIRED",
                                "OPTIONS", "SUBCOMMAND", "Positionals", "Display program version", "Needs:"}) {
        EXPECT_THAT(r.out, Not(HasSubstr(words)));
      }
      if (language == HostLanguage::english) {
        EXPECT_FALSE(has_non_ascii(r.out)) << "Chinese in the English help";
      }
    }
  }
  // `stream --catalog` gives the cards' products: nothing to do with practice.
  for (const std::string& line : lines_of(cunbo.run({"stream", "--help"}).out)) {
    if (line.find("--catalog") != std::string::npos) {
      EXPECT_THAT(line, Not(HasSubstr("练习"))) << line;
    }
  }
}

TEST_F(HostLanguageTest, LangWorksAfterEveryCommandAndFromTheConfig) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"practice", "--lang", "en", "--rotate", "0"},
        std::vector<std::string>{"stream", "--lang", "en", "--bitrate", "fast", "--dest", "rtmp://h/live/k"},
        std::vector<std::string>{"feed", "--lang", "en"}, std::vector<std::string>{"devices", "--lang", "en", "x"},
        std::vector<std::string>{"probe", "--lang", "en", "--seconds", "0"},
        std::vector<std::string>{"config", "--lang", "en"},
        std::vector<std::string>{"config", "set", "--lang", "en", "colour", "red"},
        std::vector<std::string>{"config", "show", "--lang", "en", "x"}}) {
    const RunResult r = cunbo.run(args);
    EXPECT_EQ(r.status.code, kUsage) << r.describe();
    EXPECT_TRUE(r.err.starts_with("cunbo: error: ")) << r.describe();
    expect_our_words(r.err, HostLanguage::english, "stderr");
  }
  // language = "en" in the config: English without --lang; --lang zh-CN wins over it.
  cunbo.write_config("language = \"en\"\n");
  const RunResult english = cunbo.run({"practice", "--rotate", "0"});
  expect_our_words(english.err, HostLanguage::english, "stderr");
  const RunResult chinese = cunbo.run({"practice", "--lang", "zh-CN", "--rotate", "0"});
  expect_our_words(chinese.err, HostLanguage::chinese, "stderr");
}

}  // namespace
}  // namespace cunbo::test
