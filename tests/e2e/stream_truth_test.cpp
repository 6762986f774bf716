// What the host is told is true (issue #11, "The truth about the live state"): a stream that
// reaches no platform says so while it runs and when it ends, never "live" or "reconnecting"
// for a connection that never was; a stored duration never cuts a live stream short.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

#include <nlohmann/json.hpp>

#include "client/base/exit_codes.h"
#include "tests/e2e/stream_harness.h"
#include "tests/support/nginx_rtmp.h"
#include "tests/support/temp_dir.h"

namespace cunbo::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(Stream, ANeverReachedServerIsNamedUnreachableAndAfterFifteenSecondsTheHostIsTold) {
  const int nobody = pick_free_loopback_port();
  constexpr double kSeconds = 17;  // past the 15 s alarm
  const RunResult r =
      run_stream({"--duration", "17", "--dest", "rtmp://127.0.0.1:" + std::to_string(nobody) + "/live/k"}, kSeconds);
  EXPECT_TRUE(r.status.exited && r.status.code == exit_code::kNeverLive) << describe(r);
  // The progress line says the server cannot be reached and why, never that it reconnects.
  EXPECT_THAT(r.err, HasSubstr("连不上服务器（服务器拒绝连接）")) << describe(r);
  EXPECT_THAT(r.err, Not(HasSubstr("正在重连"))) << "a connection that never was is not made again\n" << describe(r);
  // After 15 s with no platform taking the stream: one plain line on its own.
  EXPECT_THAT(r.err, HasSubstr("秒没有一个平台收到直播画面")) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("没有一个平台收到过直播画面（服务器拒绝连接），录像已保存")) << describe(r);

  // The summary beside the recording counts the attempts and says it never went live.
  const nlohmann::json summary = nlohmann::json::parse(read_text_file(recording().string() + ".summary.json"));
  ASSERT_EQ(summary.at("destinations").size(), 1U) << summary.dump(2);
  const nlohmann::json& d = summary.at("destinations")[0];
  EXPECT_FALSE(d.at("went_live").get<bool>());
  EXPECT_EQ(d.at("connections").get<int>(), 0);
  EXPECT_GE(d.at("attempts").get<int>(), 5) << "retried all along";
  EXPECT_GE(d.at("failures").get<int>(), d.at("attempts").get<int>() - 1) << "each attempt failed (the last may be under way)";
  EXPECT_EQ(d.at("last_failure").get<std::string>(), "refused");
  EXPECT_EQ(d.at("live_s").get<double>(), 0.0);
  EXPECT_EQ(summary.at("reconnects").get<int>(), 0);
}

TEST_F(Stream, AStoredDurationNeverCutsALiveStreamShort) {
  std::filesystem::create_directories(cunbo.config_file().parent_path());
  ASSERT_TRUE(cunbo.run({"config", "set", "duration", "3"}).status.success());
  NginxRtmp nginx;
  const auto stream = start_stream({"--dest", nginx.url_with_key("k-long")});
  // It goes on past the stored 3 s, until the host stops it.
  ASSERT_TRUE(wait_for_log(deadline_after(30s), [](const EventLog& l) { return l.last_t() >= 5.0; }, stream.get()))
      << "the stream ended at the stored duration\n" << describe(*stream);
  ASSERT_TRUE(stream->send_signal(SIGINT));
  const RunResult r = stream->finish(deadline_after(kStreamOverhead));
  EXPECT_TRUE(r.status.success()) << describe(r);
  Recorded local;
  ASSERT_TRUE(probe_recording(recording(), local));
  EXPECT_GT(local.video.duration_s, 4.5);
}

}  // namespace
}  // namespace cunbo::test
