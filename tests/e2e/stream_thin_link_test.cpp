// A 720p stream over an uplink below what the preset can live on (issue #13): 600 kbit/s with
// 150 ms each way and a 3 s stall. Under its bitrate floor the encoder lowers the frame rate
// evenly instead of the link dropping frames in runs: viewers see a picture that keeps moving
// (no freeze over half a second outside the stall) and hear every moment. The host streamed
// over this uplink before, so the stream starts where the link carried it last time (80 % of
// it) instead of at the preset and an emergency drop; at the end it remembers what it carried.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/e2e/stream_harness.h"
#include "tests/support/nginx_rtmp.h"
#include "tests/support/tcp_relay.h"

namespace cunbo::test {
namespace {

TEST_F(Stream, AnUplinkBelowTheFloorGetsFewerFramesEvenlyNotFreezes) {
  const std::filesystem::path uplinks = cunbo.work_dir() / "state" / "cunbo" / "uplinks.json";
  std::filesystem::create_directories(uplinks.parent_path());
  std::ofstream(uplinks) << R"({"127.0.0.1": {"video_kbps": 420, "limited": true}})";
  NginxRtmp nginx;
  TcpRelay relay(nginx.port());
  relay.set_upload_limit(600'000.0 / 8);
  relay.set_delay(std::chrono::milliseconds(150));
  const auto stream = start_stream({"--duration", "34", "--dest",
                                    "rtmp://127.0.0.1:" + std::to_string(relay.port()) + "/live/k-thin"});
  ASSERT_TRUE(wait_for_log(deadline_after(40s), [](const EventLog& l) { return l.last_t() >= 20; }, stream.get()))
      << describe(*stream);
  relay.stall();  // the link goes silent for 3 s, as a weak uplink does now and then
  ASSERT_TRUE(wait_for_log(deadline_after(10s), [](const EventLog& l) { return l.last_t() >= 23; }, stream.get()))
      << describe(*stream);
  relay.resume();
  const RunResult r = stream->finish(deadline_after(30s + kStreamOverhead));
  EXPECT_TRUE(r.status.success()) << describe(r);
  EXPECT_NE(r.err.find("网络很差：已降到每秒"), std::string::npos) << "the host was not told\n" << describe(r);

  const EventLog log = events();
  const auto rates = log.of("frame_rate");
  ASSERT_FALSE(rates.empty()) << "the frame rate never came down\n" << log.text;
  EXPECT_LT(event_number(rates.front(), "fps"), 30);
  EXPECT_GE(event_number(rates.front(), "fps"), 15);
  EXPECT_FALSE(log.first("state", 1, "reconnecting").has_value()) << "the link kept carrying: no reconnect\n" << log.text;
  const auto bitrates = log.of("bitrate");
  ASSERT_FALSE(bitrates.empty());
  EXPECT_LT(event_number(bitrates.front(), "t"), 0.1) << "it did not start from what it remembered\n" << log.text;
  EXPECT_EQ(event_number(bitrates.front(), "kbps"), 420 * 80 / 100);
  // What it carried this time is remembered for the next.
  std::ifstream remembered(uplinks);
  const nlohmann::json memory = nlohmann::json::parse(remembered, nullptr, false);
  ASSERT_TRUE(memory.contains("127.0.0.1")) << memory.dump();
  EXPECT_TRUE(memory["127.0.0.1"].value("limited", false));
  EXPECT_LT(memory["127.0.0.1"].value("video_kbps", 0), 600) << memory.dump();
  EXPECT_GT(memory["127.0.0.1"].value("video_kbps", 0), 200) << memory.dump();

  ASSERT_TRUE(nginx.wait_until_idle(deadline_after(10s)));
  ASSERT_EQ(nginx.recordings().size(), 1U);
  const ProbeResult served = probe_media(nginx.recordings()[0]);
  ASSERT_TRUE(served.file) << served.error;
  const int video = served.file->first(StreamKind::video)->index;
  const int audio = served.file->first(StreamKind::audio)->index;
  std::vector<double> pts;
  for (const PacketInfo& p : served.file->packets_of(video)) pts.push_back(p.pts_s);
  std::sort(pts.begin(), pts.end());
  ASSERT_GT(pts.size(), 100U);
  // Freezes: steps between pictures over half a second. The stall makes one (its queue fills
  // past the drop thresholds); nothing else may. A lone picture inside a freeze (a keyframe let
  // through while the queue still drains) is no motion: the two halves count as one freeze.
  std::vector<std::pair<double, double>> freezes;
  for (size_t i = 1; i < pts.size(); ++i) {
    if (pts[i] - pts[i - 1] <= 0.5) continue;
    if (i >= 2 && pts[i - 1] - pts[i - 2] > 0.5) {  // the step before was the freeze's first half
      freezes.back().second = pts[i] - freezes.back().first;
    } else {
      freezes.emplace_back(pts[i - 1], pts[i] - pts[i - 1]);
    }
  }
  std::string listed;
  for (const auto& [at, length] : freezes) listed += " " + std::to_string(at) + "s+" + std::to_string(length);
  EXPECT_LE(freezes.size(), 1U) << "freezes:" << listed;
  for (const auto& [at, length] : freezes) EXPECT_LE(length, 5.0) << "a freeze longer than the stall and its catch-up";
  const StreamTiming sound = stream_timing(*served.file, audio);
  EXPECT_LE(sound.largest_gap_s, 0.1) << "the sound was interrupted";
  EXPECT_GT(sound.duration_s, 30);
  // What viewers got: pictures per second over the stream outside the stall.
  double stalled = 0;
  for (const auto& [at, length] : freezes) stalled += length;
  const double fps = static_cast<double>(pts.size()) / (pts.back() - pts.front() - stalled);
  EXPECT_GE(fps, 14) << "fewer pictures than the lowest frame rate";
  std::printf("[figures] remembered %d kbit/s; %zu pictures over %.1f s: %.1f per second outside the stall; freezes:%s; frame rates:",
              memory["127.0.0.1"].value("video_kbps", 0), pts.size(), pts.back() - pts.front(), fps, listed.c_str());
  for (const auto& e : rates) std::printf(" %.1fs:%d", event_number(e, "t"), static_cast<int>(event_number(e, "fps")));
  std::printf("\n");
}

}  // namespace
}  // namespace cunbo::test
