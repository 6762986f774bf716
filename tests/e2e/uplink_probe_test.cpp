// `cunbo probe --uplink` over a real capped uplink (issue #13): the program runs in a network
// namespace whose only way out is a veth shaped by the kernel's token bucket at 1, 2 and
// 5 Mbit/s, and publishes its test pattern to a real nginx-rtmp on this side. The measured
// uplink is within 20 % of the cap, and the quality it picks (with the encode-speed test) fits
// under the cap, or is the lowest when none does. Needs root (network namespaces), as `make test` has.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <string>

#include "tests/support/capped_link.h"
#include "tests/support/cunbo_cli.h"
#include "tests/support/media_probe.h"
#include "tests/support/nginx_rtmp.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;

int bitrate_of(const std::string& quality) {
  if (quality == "480p") return 1000;
  if (quality == "720p") return 2000;
  return 4000;
}

TEST(UplinkProbe, MeasuresACappedUplinkWithinAFifthOfItAndPicksAQualityThatFits) {
  std::string why;
  ASSERT_TRUE(CappedLink::available(&why)) << why << " (make test runs as root, with iproute2 from the package list)";
  const CunboSandbox cunbo(CUNBO_BINARY, "cunbo-uplink");
  NginxRtmp nginx("uplink-nginx", "0.0.0.0");
  CappedLink link(1000);
  const std::string url = "rtmp://" + link.host_address() + ":" + std::to_string(nginx.port()) + "/live/k-uplink";
  std::string figures;
  size_t published = 0;
  for (const int cap : {1000, 2000, 5000}) {
    link.set_rate(cap);
    const std::filesystem::path state = cunbo.work_dir() / "state";
    const RunResult r = run(link.inside(cunbo.command({"probe", "--seconds", "1", "--json", "--uplink", url},
                                                      {{"XDG_STATE_HOME", state.string()}})),
                            std::chrono::seconds(60));
    ASSERT_TRUE(r.status.success()) << r.describe();
    const nlohmann::json out = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_TRUE(out.is_object() && out.contains("uplink")) << r.out;
    const nlohmann::json& uplink = out["uplink"];
    const int kbps = uplink.value("kbps", 0);
    EXPECT_TRUE(uplink.value("saturated", false)) << "the cap, not our highest rate, set the figure: " << uplink.dump();
    EXPECT_GE(kbps, cap * 0.8) << "at " << cap << " kbit/s: " << uplink.dump();
    EXPECT_LE(kbps, cap * 1.2) << "at " << cap << " kbit/s: " << uplink.dump();
    const std::string quality = out.value("quality", "");
    if (quality != "480p") {
      EXPECT_LE(bitrate_of(quality) + 128, cap) << quality << " does not fit under " << cap;
    }
    EXPECT_NE(uplink.value("summary", "").find("上传速度约"), std::string::npos) << uplink.dump();
    EXPECT_EQ(r.out.find("k-uplink"), std::string::npos) << "the key was printed";
    // Remembered for the host: its first stream there starts at what the link carries.
    std::ifstream remembered_file(state / "cunbo" / "uplinks.json");
    const nlohmann::json remembered = nlohmann::json::parse(remembered_file, nullptr, false);
    ASSERT_TRUE(remembered.contains(link.host_address())) << remembered.dump();
    EXPECT_TRUE(remembered[link.host_address()].value("limited", false)) << remembered.dump();
    EXPECT_EQ(remembered[link.host_address()].value("video_kbps", 0), kbps - 128) << remembered.dump();
    figures += " " + std::to_string(cap) + "→" + std::to_string(kbps) + " kbit/s " + quality + ";";
    ++published;
  }
  // The server received each test publish, as a stream a player opens.
  ASSERT_TRUE(nginx.wait_until_idle(deadline_after(10s)));
  ASSERT_EQ(nginx.recordings().size(), published);
  const ProbeResult first = probe_media(nginx.recordings()[0]);
  ASSERT_TRUE(first.file) << first.error;
  ASSERT_NE(first.file->first(StreamKind::video), nullptr);
  EXPECT_EQ(first.file->first(StreamKind::video)->codec, "h264");
  std::printf("[figures] cap → measured, chosen:%s\n", figures.c_str());
}

}  // namespace
}  // namespace cunbo::test
