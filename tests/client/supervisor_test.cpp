// The session's supervisor with real transports: it decides when a destination is tried again
// (the back-off, "reconnect now", a refused key left alone), says so in the event log, lowers
// the one encoder's bitrate for a link that cannot carry it, and keeps the session's clockwork
// (rotation, the planned end) on its own thread.
#include "client/session/supervisor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>

#include "tests/support/encoded_clip.h"
#include "tests/support/nginx_rtmp.h"
#include "tests/support/stream_events.h"
#include "tests/support/tcp_relay.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"

namespace cunbo {
namespace {

using namespace std::chrono_literals;

// A supervisor over one destination at `url`, its transport fed nothing unless a test pushes.
class SupervisorTest : public ::testing::Test {
 protected:
  void build(const std::string& url, Supervisor::Options options = {}, Supervisor::Hooks hooks = {}) {
    log_ = std::make_unique<EventLog>(dir_ / "s.events.jsonl", clock_);
    log_->set_origin(clock_.now_us());
    output_ = std::make_unique<StreamOutput>(StreamOutput::Options{url, url, 1, {}}, clock_, [] {},
                                             [this](const LinkEvent& e) { supervisor_->on_link_event(0, e); });
    ASSERT_EQ(output_->open(clip_.streams()), "");
    options.seed = 7;
    supervisor_ = std::make_unique<Supervisor>(clock_, std::vector<StreamOutput*>{output_.get()}, *clip_.video,
                                               log_.get(), options, std::move(hooks));
    log_->start();
    output_->start();
    supervisor_->start();
  }
  void TearDown() override {
    if (supervisor_) supervisor_->request_stop();
    if (supervisor_) supervisor_->join();
    if (output_) output_->close();
    if (log_) log_->request_stop();
  }
  [[nodiscard]] DestinationStats destination() const { return supervisor_->destinations().at(0); }
  [[nodiscard]] test::EventLog events() const { return test::read_event_log(dir_ / "s.events.jsonl"); }
  // The event log is written on its own thread: what was posted is on disk a moment later.
  // The log once `ready` holds for it (or as it is after 10 s).
  [[nodiscard]] test::EventLog events_once(const std::function<bool(const test::EventLog&)>& ready) const {
    test::EventLog log;
    (void)test::wait_until(test::deadline_after(10s), [&] {
      log = events();
      return ready(log);
    });
    return log;
  }
  bool wait_for(const std::function<bool(const DestinationStats&)>& condition, std::chrono::seconds within = 15s) {
    return test::wait_until(test::deadline_after(within), [&] { return condition(destination()); });
  }

  test::TempDir dir_{"supervisor"};
  SessionClock clock_;
  test::EncodedClip clip_ = test::encode_clip({test::small_video_settings(1500), 5.0, test::PictureKind::noise});
  std::unique_ptr<EventLog> log_;
  std::unique_ptr<StreamOutput> output_;
  std::unique_ptr<Supervisor> supervisor_;
};

TEST_F(SupervisorTest, RetriesAnUnreachableServerOnTheBackOffScheduleAndSaysWhy) {
  build("rtmp://127.0.0.1:" + std::to_string(test::pick_free_loopback_port()) + "/live/k");
  ASSERT_TRUE(wait_for([](const DestinationStats& d) { return d.attempts >= 3; }));
  const DestinationStats d = destination();
  EXPECT_EQ(d.status.state, OutputState::reconnecting);
  EXPECT_EQ(d.status.last_failure, OutputFailure::refused);
  EXPECT_GE(d.failures, 2);
  EXPECT_FALSE(d.status.key_was_rejected) << "a closed port is not a wrong key";

  // Before each attempt a state without a reason; after each failure one with it and the wait.
  std::vector<double> tries;
  double first_wait_s = -1;
  const test::EventLog log = events_once([](const test::EventLog& l) {
    const auto states = l.of("state", 1);
    return std::count_if(states.begin(), states.end(),
                         [](const nlohmann::json& s) { return test::event_text(s, "reason").empty(); }) >= 3;
  });
  for (const auto& s : log.of("state", 1)) {
    if (test::event_text(s, "reason").empty()) tries.push_back(test::event_number(s, "t"));
    else if (first_wait_s < 0) first_wait_s = test::event_number(s, "retry_in_s");
  }
  ASSERT_GE(tries.size(), 3u) << log.text;
  EXPECT_GE(first_wait_s, 0.8) << "the first wait is a second, less at most a fifth of jitter";
  EXPECT_LE(first_wait_s, 1.0);
  // The waits grow: 1 s, then 1.5 s (each less up to a fifth).
  EXPECT_GE(tries[1] - tries[0], 0.8);
  EXPECT_GE(tries[2] - tries[1], 1.2);
}

TEST_F(SupervisorTest, LeavesARefusedKeyAloneAfterThreeRefusalsUntilToldToTryAgain) {
  test::NginxRtmp nginx;
  nginx.auth().refuse("bad-key");
  build(nginx.url_with_key("bad-key"));
  ASSERT_TRUE(wait_for([](const DestinationStats& d) { return d.status.state == OutputState::key_rejected; }));
  EXPECT_EQ(destination().attempts, 3);
  EXPECT_EQ(nginx.auth().attempts("bad-key"), 3u);
  EXPECT_TRUE(destination().status.key_was_rejected);
  EXPECT_TRUE(events_once([](const test::EventLog& l) { return l.first("state", 1, "key_rejected").has_value(); })
                  .first("state", 1, "key_rejected")
                  .has_value());

  // The host fixed the key on the platform and pressed 立即重连.
  nginx.auth().allow("bad-key");
  supervisor_->reconnect_now();
  ASSERT_TRUE(wait_for([](const DestinationStats& d) { return d.status.state == OutputState::live; }));
  EXPECT_EQ(destination().attempts, 4);
  EXPECT_EQ(destination().status.connections, 1);
}

TEST_F(SupervisorTest, LowersTheEncodersBitrateToWhatTheLinkCarries) {
  test::NginxRtmp nginx;
  test::TcpRelay relay(nginx.port());
  relay.set_upload_limit(50'000);  // 400 kbit/s for a 1500 kbit/s stream
  build("rtmp://127.0.0.1:" + std::to_string(relay.port()) + "/live/k-abr");
  ASSERT_TRUE(wait_for([](const DestinationStats& d) { return d.status.state == OutputState::live; }));
  const int64_t start = clock_.now_us();
  // The encoded packets go out at the encoder's pace; the supervisor watches the queue grow.
  (void)test::push_paced(*output_, clip_.in_time_order(), clock_, start,
                         [&] { return clip_.video->bitrate_kbps() >= 1500; });
  EXPECT_LT(clip_.video->bitrate_kbps(), 1500) << events().text;
  // Under the quarter-of-target floor only with fewer frames (at most halved), the floor with them.
  EXPECT_GE(clip_.video->bitrate_kbps(), 1500 * BitrateController::kFloorPercent / 100 / 2);
  if (clip_.video->bitrate_kbps() < 1500 * BitrateController::kFloorPercent / 100) {
    EXPECT_LT(clip_.video->frame_share(), kFrameShares) << events().text;
  }
  const test::EventLog log = events_once([](const test::EventLog& l) {
    return !l.of("bitrate").empty() && l.first("state", 1, "congested").has_value();
  });
  EXPECT_FALSE(log.of("bitrate").empty()) << log.text;
  EXPECT_TRUE(log.first("state", 1, "congested").has_value()) << "the host is told the network is poor";
}

TEST_F(SupervisorTest, RotatesTheProductsAndTellsThePlannedEndOnce) {
  std::atomic<int> rotations{0};
  std::atomic<int> ends{0};
  Supervisor::Options options;
  options.rotate_s = 0.3;
  Supervisor::Hooks hooks;
  hooks.rotate = [&] { rotations.fetch_add(1); };
  hooks.media_ended = [&] { ends.fetch_add(1); };
  build("rtmp://127.0.0.1:" + std::to_string(test::pick_free_loopback_port()) + "/live/k", options, std::move(hooks));
  supervisor_->plan_end(clock_.now_us() + 600'000);
  ASSERT_TRUE(test::wait_until(test::deadline_after(10s), [&] { return rotations.load() >= 3 && ends.load() >= 1; }));
  EXPECT_EQ(ends.load(), 1) << "the end is told once";
}

}  // namespace
}  // namespace cunbo
