// The first things a host (or a support script) types.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/cunbo_cli.h"

namespace cunbo::test {
namespace {

class Cli : public ::testing::Test {
 protected:
  CunboSandbox cunbo{CUNBO_BINARY, "cunbo-cli"};
};

TEST_F(Cli, VersionPrintsOneLineWithTheVersion) {
  const RunResult r = cunbo.run({"--version"});
  ASSERT_TRUE(r.status.success()) << r.describe();
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.describe();
  EXPECT_THAT(lines.front(), ::testing::ContainsRegex("[0-9]+\\.[0-9]+\\.[0-9]+")) << r.describe();
}

TEST_F(Cli, HelpListsTheSubcommands) {
  const RunResult r = cunbo.run({"--help"});
  ASSERT_TRUE(r.status.success()) << r.describe();
  EXPECT_THAT(r.out, ::testing::HasSubstr("practice")) << r.describe();
  EXPECT_THAT(r.out, ::testing::HasSubstr("config")) << r.describe();
}

TEST_F(Cli, PracticeHelpListsItsOptions) {
  const RunResult r = cunbo.run({"practice", "--help"});
  ASSERT_TRUE(r.status.success()) << r.describe();
  for (const char* option : {"--video", "--audio", "--duration", "--out", "--quality"}) {
    EXPECT_THAT(r.out, ::testing::HasSubstr(option)) << r.describe();
  }
}

TEST_F(Cli, UnknownOptionIsAUsageErrorOnOneLine) {
  const RunResult r = cunbo.run({"practice", "--frobnicate"});
  EXPECT_TRUE(r.status.exited) << r.describe();
  EXPECT_EQ(r.status.code, 2) << r.describe();
  EXPECT_EQ(lines_of(r.err).size(), 1u) << r.describe();
  EXPECT_THAT(r.err, ::testing::HasSubstr("--frobnicate")) << r.describe();
}

}  // namespace
}  // namespace cunbo::test
