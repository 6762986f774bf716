#include "client/session/uplink_memory.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace cunbo {
namespace {

TEST(UplinkMemory, RemembersEachHostAndStartsATooSlowOneAtEightyPercentOfWhatItSustained) {
  const test::TempDir dir("uplinks");
  UplinkMemory memory(dir.path() / "state" / "uplinks.json");
  EXPECT_FALSE(memory.recall("push.example.com"));
  EXPECT_EQ(UplinkMemory::start_kbps(2000, std::nullopt), 2000) << "unknown: the preset";

  ASSERT_TRUE(memory.remember("push.example.com", {900, true}));
  ASSERT_TRUE(memory.remember("live.other.cn", {2000, false}));
  const auto slow = memory.recall("push.example.com");
  ASSERT_TRUE(slow);
  EXPECT_EQ(slow->video_kbps, 900);
  EXPECT_TRUE(slow->limited);
  EXPECT_EQ(UplinkMemory::start_kbps(2000, slow), 720);
  EXPECT_EQ(UplinkMemory::start_kbps(600, slow), 600) << "never above the preset";
  EXPECT_EQ(UplinkMemory::start_kbps(2000, memory.recall("live.other.cn")), 2000)
      << "a link that carried all it was given starts at the preset";

  ASSERT_TRUE(memory.remember("push.example.com", {1500, true}));  // replaced, the other kept
  const UplinkMemory next_session(dir.path() / "state" / "uplinks.json");  // what the file holds
  EXPECT_EQ(next_session.recall("push.example.com")->video_kbps, 1500);
  EXPECT_TRUE(next_session.recall("live.other.cn"));
}

TEST(UplinkMemory, AFileThatCannotBeReadIsAsNoneAndIsWrittenAfresh) {
  const test::TempDir dir("uplinks-broken");
  const std::filesystem::path file = dir.path() / "uplinks.json";
  std::ofstream(file) << "{ not json";
  UplinkMemory memory(file);
  EXPECT_FALSE(memory.recall("push.example.com"));
  ASSERT_TRUE(memory.remember("push.example.com", {800, true}));
  EXPECT_EQ(UplinkMemory(file).recall("push.example.com")->video_kbps, 800);
}

TEST(UplinkMemory, TheHostOfAPushAddressIsItsNameInLowerCase) {
  EXPECT_EQ(destination_host("rtmp://Push.Example.com:1935/live/****"), "push.example.com");
  EXPECT_EQ(destination_host("rtmps://live.example.cn/app/****"), "live.example.cn");
  EXPECT_EQ(destination_host("srt://10.0.0.2:9000?streamid=****"), "10.0.0.2");
  EXPECT_EQ(destination_host("not a url"), "");
}

}  // namespace
}  // namespace cunbo
