// `cunbo probe`: the encode-speed test a host (or the guide's tester) runs from the command
// line — JSON a program can read, plain words for a person, --save into the config, Ctrl-C.
#include <csignal>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "client/config/config.h"
#include "tests/support/cunbo_cli.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class ProbeCommand : public ::testing::Test {
 protected:
  CunboSandbox cunbo{CUNBO_BINARY, "cunbo-probe"};
};

TEST_F(ProbeCommand, PrintsJsonWithAQualityTheConfigAccepts) {
  const RunResult r = cunbo.run({"probe", "--seconds", "3", "--json"}, {}, 40s);
  ASSERT_TRUE(r.status.success()) << r.describe();
  const nlohmann::json json = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << r.describe();
  ASSERT_TRUE(json["quality"].is_string()) << json.dump(2);
  const std::string quality = json["quality"];
  EXPECT_EQ(validate_config_value("quality", quality), std::nullopt) << quality;
  ASSERT_TRUE(json["presets"].is_array());
  ASSERT_FALSE(json["presets"].empty());
  EXPECT_EQ(json["presets"][0]["quality"], "480p");
  for (const auto& preset : json["presets"]) EXPECT_GT(preset["fps"].get<double>(), 0) << preset.dump();
  EXPECT_GT(json["realtime"].get<double>(), 0);
  EXPECT_FALSE(json["saved"].get<bool>());
  EXPECT_FALSE(std::filesystem::exists(cunbo.config_file())) << "nothing saved without --save";
}

TEST_F(ProbeCommand, TellsTheHostInPlainWordsAndSavesWithSave) {
  const RunResult r = cunbo.run({"probe", "--seconds", "2", "--save"}, {}, 40s);
  ASSERT_TRUE(r.status.success()) << r.describe();
  EXPECT_THAT(r.out, HasSubstr("这台电脑")) << r.describe();
  EXPECT_THAT(r.out, HasSubstr("倍实时")) << r.describe();
  EXPECT_THAT(r.out, HasSubstr("已保存")) << r.describe();

  auto loaded = load_config(cunbo.config_file());
  ASSERT_TRUE(std::holds_alternative<Config>(loaded)) << r.describe();
  const Config& config = std::get<Config>(loaded);
  ASSERT_TRUE(config.quality) << r.describe();
  EXPECT_THAT(r.out, HasSubstr(*config.quality)) << "the saved quality is the one printed";
  EXPECT_FALSE(config.readable_by_others);

  // --json --save agrees with what it wrote.
  const RunResult again = cunbo.run({"probe", "--seconds", "2", "--save", "--json"}, {}, 40s);
  ASSERT_TRUE(again.status.success()) << again.describe();
  const nlohmann::json json = nlohmann::json::parse(again.out, nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << again.describe();
  EXPECT_TRUE(json["saved"].get<bool>());
  auto reloaded = load_config(cunbo.config_file());
  ASSERT_TRUE(std::holds_alternative<Config>(reloaded));
  EXPECT_EQ(std::get<Config>(reloaded).quality, json["quality"].get<std::string>());
}

TEST_F(ProbeCommand, StopsOnCtrlC) {
  auto child = cunbo.start({"probe", "--seconds", "60"});
  ASSERT_TRUE(child->wait_for_output(deadline_after(20s), [](std::string_view out, std::string_view) {
    return out.find('\n') != std::string_view::npos;  // the "testing…" line: the test runs
  }));
  ASSERT_TRUE(child->send_signal(SIGINT));
  const auto status = child->wait_for_exit(deadline_after(5s));
  ASSERT_TRUE(status) << "still running 5 s after Ctrl-C";
  EXPECT_TRUE(status->exited);
  EXPECT_EQ(status->code, 1);
  EXPECT_THAT(child->out(), HasSubstr("测试已取消"));
  EXPECT_FALSE(std::filesystem::exists(cunbo.config_file()));
}

TEST_F(ProbeCommand, RefusesANonsenseDuration) {
  const RunResult r = cunbo.run({"probe", "--seconds", "0"});
  EXPECT_TRUE(r.status.exited);
  EXPECT_EQ(r.status.code, 2) << r.describe();
}

}  // namespace
}  // namespace cunbo::test
