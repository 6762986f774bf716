// The transport of one destination, in process, against a real nginx-rtmp: it connects only
// when told, publishes what it is given, reports every attempt's outcome with its reason, and
// throws video away (never audio) when the link stalls. What to do about a failure is the
// supervisor's business (tests/client/supervisor_test.cpp, tests/e2e/stream_*).
#include "media/stream_output.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <vector>

#include "tests/support/encoded_clip.h"
#include "tests/support/media_probe.h"
#include "tests/support/nginx_rtmp.h"
#include "tests/support/tcp_relay.h"
#include "tests/support/wait.h"

namespace cunbo {
namespace {

using namespace std::chrono_literals;
using Kind = LinkEvent::Kind;

// What the output reported, for the test thread to wait on.
class Reports {
 public:
  StreamOutput::Listener listener() {
    return [this](const LinkEvent& e) {
      const std::lock_guard lock(mutex_);
      events_.push_back(e);
      cv_.notify_all();
    };
  }
  // Waits until `n` events of `kind` came; the last of them.
  std::optional<LinkEvent> wait_for(Kind kind, size_t n = 1, std::chrono::seconds within = 15s) {
    std::unique_lock lock(mutex_);
    std::optional<LinkEvent> found;
    cv_.wait_for(lock, within, [&] {
      size_t seen = 0;
      for (const LinkEvent& e : events_)
        if (e.kind == kind && ++seen == n) found = e;
      return found.has_value();
    });
    return found;
  }
  [[nodiscard]] size_t count(Kind kind) const {
    const std::lock_guard lock(mutex_);
    return static_cast<size_t>(std::count_if(events_.begin(), events_.end(), [&](const LinkEvent& e) { return e.kind == kind; }));
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<LinkEvent> events_;
};

class StreamOutputTest : public ::testing::Test {
 protected:
  std::unique_ptr<StreamOutput> make_output(const std::string& url) {
    auto out = std::make_unique<StreamOutput>(StreamOutput::Options{url, url, 1, {}}, clock_,
                                              [this] { keyframes_requested_.fetch_add(1); }, reports_.listener());
    EXPECT_EQ(out->open(clip_.streams()), "");
    out->start();
    return out;
  }

  SessionClock clock_;
  test::EncodedClip clip_ = test::encode_clip({test::small_video_settings(400), 4.0});
  Reports reports_;
  std::atomic<int> keyframes_requested_{0};
};

TEST_F(StreamOutputTest, PublishesOnlyWhenToldAndTheServerRecordsBothStreams) {
  test::NginxRtmp nginx;
  auto out = make_output(nginx.url_with_key("k-output"));
  EXPECT_EQ(out->status().state, LinkState::idle) << "started, not told to connect";
  EXPECT_EQ(nginx.publish_count(), 0u);

  out->connect();
  ASSERT_TRUE(reports_.wait_for(Kind::connected)) << nginx.error_log();
  EXPECT_EQ(reports_.count(Kind::connecting), 1u);
  EXPECT_EQ(out->status().state, LinkState::live);
  EXPECT_GE(keyframes_requested_.load(), 1) << "a new connection must start on a fresh keyframe";
  out->connect();  // already live: ignored
  const int64_t start = clock_.now_us();
  out->set_media_origin(start);
  ASSERT_TRUE(test::push_paced(*out, clip_.in_time_order(), clock_, start));
  out->close();
  EXPECT_EQ(out->status().state, LinkState::stopped);

  ASSERT_TRUE(nginx.wait_until_idle(test::deadline_after(10s)));
  EXPECT_EQ(nginx.publish_count(), 1u) << "one connect, one publish";
  ASSERT_EQ(nginx.recordings().size(), 1u);
  const test::ProbeResult probed = test::probe_media(nginx.recordings()[0]);
  ASSERT_TRUE(probed.file) << probed.error;
  EXPECT_EQ(probed.file->count(test::StreamKind::video), 1);
  EXPECT_EQ(probed.file->count(test::StreamKind::audio), 1);
  const test::StreamInfo* video = probed.file->first(test::StreamKind::video);
  ASSERT_NE(video, nullptr);
  const auto packets = probed.file->packets_of(video->index);
  ASSERT_FALSE(packets.empty());
  EXPECT_TRUE(packets.front().keyframe) << "a viewer can only start on a keyframe";
  EXPECT_NEAR(static_cast<double>(packets.size()), 4.0 * 30, 3) << "every frame given reached the server";
  const LinkStatus st = out->status();
  EXPECT_EQ(st.connections, 1);
  EXPECT_EQ(st.drops, 0);
  EXPECT_GT(st.bytes_sent, clip_.total_bytes() * 9 / 10);
  EXPECT_GE(out->latency().p95_ms, 0);
}

TEST_F(StreamOutputTest, ReportsARefusedPortAsAFailedAttemptAndWaitsToBeToldAgain) {
  const int port = test::pick_free_loopback_port();  // nothing listens there
  auto out = make_output("rtmp://127.0.0.1:" + std::to_string(port) + "/live/k");
  out->connect();
  const std::optional<LinkEvent> failed = reports_.wait_for(Kind::failed);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->why, OutputFailure::refused);
  EXPECT_EQ(out->status().state, LinkState::idle) << "no retry of its own: that is the supervisor's call";
  EXPECT_EQ(reports_.count(Kind::connecting), 1u);

  out->connect();  // the supervisor decided to try again
  ASSERT_TRUE(reports_.wait_for(Kind::failed, 2));
  EXPECT_EQ(reports_.count(Kind::connecting), 2u);
  out->close();
}

TEST_F(StreamOutputTest, ReportsARefusedKeyAsPublishRefused) {
  test::NginxRtmp nginx;
  nginx.auth().refuse("wrong-key");
  auto out = make_output(nginx.url_with_key("wrong-key"));
  out->connect();
  const std::optional<LinkEvent> failed = reports_.wait_for(Kind::failed);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->why, OutputFailure::publish_refused);
  EXPECT_EQ(out->status().connections, 0);
  out->close();
}

TEST_F(StreamOutputTest, ReportsALostLinkWhenTheServerDies) {
  test::NginxRtmp nginx;
  auto out = make_output(nginx.url_with_key("k-lost"));
  out->connect();
  ASSERT_TRUE(reports_.wait_for(Kind::connected));
  const int64_t start = clock_.now_us();
  bool killed = false;
  // The server crashes a second in; the output keeps being fed, as by the encoders.
  (void)test::push_paced(*out, clip_.in_time_order(), clock_, start, [&] {
    if (!killed && clock_.now_us() - start > 1'000'000) {
      nginx.kill();
      killed = true;
    }
    return reports_.count(Kind::lost) == 0;
  });
  const std::optional<LinkEvent> lost = reports_.wait_for(Kind::lost);
  ASSERT_TRUE(lost) << "the dead server was never noticed";
  EXPECT_EQ(lost->why, OutputFailure::connection_lost);
  EXPECT_EQ(out->status().state, LinkState::idle);
  out->close();
}

TEST_F(StreamOutputTest, ThrowsVideoAwayNotAudioWhileTheLinkIsStalled) {
  test::NginxRtmp nginx;
  test::TcpRelay relay(nginx.port());
  auto out = make_output("rtmp://127.0.0.1:" + std::to_string(relay.port()) + "/live/k-stall");
  out->connect();
  ASSERT_TRUE(reports_.wait_for(Kind::connected));
  const int64_t start = clock_.now_us();
  int64_t worst_queue_ms = 0;
  bool stalled = false;
  (void)test::push_paced(*out, clip_.in_time_order(), clock_, start, [&] {
    if (!stalled && clock_.now_us() - start > 500'000) {
      relay.stall();
      stalled = true;
    }
    worst_queue_ms = std::max(worst_queue_ms, out->status().queue_ms);
    return true;
  });
  const LinkStatus st = out->status();
  EXPECT_GT(st.drops, 0) << "3.5 s into a silent link and nothing dropped";
  EXPECT_LT(worst_queue_ms, 2'000) << "the queue kept growing instead of dropping video";
  EXPECT_EQ(reports_.count(Kind::lost), 0u) << "a stall is not a lost link (yet)";
  relay.resume();
  out->close();
  ASSERT_TRUE(nginx.wait_until_idle(test::deadline_after(10s)));
  ASSERT_EQ(nginx.recordings().size(), 1u);
  const test::ProbeResult probed = test::probe_media(nginx.recordings()[0]);
  ASSERT_TRUE(probed.file) << probed.error;
  const test::StreamInfo* audio = probed.file->first(test::StreamKind::audio);
  ASSERT_NE(audio, nullptr);
  const test::StreamTiming timing = test::stream_timing(*probed.file, audio->index);
  EXPECT_LE(timing.largest_gap_s, 0.1) << "audio was dropped: the sound has a hole";
}

}  // namespace
}  // namespace cunbo
