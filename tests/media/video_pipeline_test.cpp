#include "media/video_pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "media/packet_fanout.h"
#include "media/recorder.h"
#include "tests/support/encoded_clip.h"
#include "tests/support/frame_grab.h"
#include "tests/support/media_probe.h"
#include "tests/support/packet_collector.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"

namespace cunbo {
namespace {

using namespace std::chrono_literals;
using test::PacketRecord;

constexpr int kWidth = 320;
constexpr int kHeight = 180;
constexpr int kFps = 30;
constexpr int kStripes = 8;

// A picture that says which camera frame it is: `number` in binary, one white (1) or black
// (0) vertical stripe per bit, most significant first. Survives H.264 at any bitrate.
av::Frame numbered_picture(int number) {
  av::Frame f = test::make_flat_picture(kWidth, kHeight, 16);
  const int stripe = kWidth / kStripes;
  for (int bit = 0; bit < kStripes; ++bit) {
    if (((number >> (kStripes - 1 - bit)) & 1) == 0) continue;
    for (int y = 0; y < kHeight; ++y) std::fill_n(f->data[0] + y * f->linesize[0] + bit * stripe, stripe, uint8_t{235});
  }
  return f;
}

int read_number(const test::YuvPicture& picture) {
  const int stripe = picture.width / kStripes;
  int number = 0;
  for (int bit = 0; bit < kStripes; ++bit) {
    int64_t sum = 0;
    int count = 0;
    for (int y = picture.height / 4; y < picture.height * 3 / 4; ++y)
      for (int x = bit * stripe + stripe / 4; x < (bit + 1) * stripe - stripe / 4; ++x) {
        sum += picture.y[static_cast<size_t>(y * picture.width + x)];
        ++count;
      }
    number = number * 2 + (sum / count > 128 ? 1 : 0);
  }
  return number;
}

double mean_luma(const test::YuvPicture& picture, int x0, int y0, int w, int h) {
  int64_t sum = 0;
  for (int y = y0; y < y0 + h; ++y)
    for (int x = x0; x < x0 + w; ++x) sum += picture.y[static_cast<size_t>(y * picture.width + x)];
  return static_cast<double>(sum) / (w * h);
}

int luma_at(const AVFrame& f, int x, int y) { return f.data[0][y * f.linesize[0] + x]; }

// A camera on its own thread: frame `j` is handed over at `j / fps` seconds after start(),
// stamped with the time it really was, for `runs_for_us` (then it goes quiet).
class FakeCamera {
 public:
  using Picture = std::function<av::Frame(int index)>;

  FakeCamera(const SessionClock& clock, FrameSink& sink, int fps, Picture picture,
             int64_t runs_for_us = std::numeric_limits<int64_t>::max())
      : clock_(clock), sink_(sink), fps_(fps), picture_(std::move(picture)), runs_for_us_(runs_for_us) {}

  void start() {
    started_us_ = clock_.now_us();
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
  }
  [[nodiscard]] int64_t started_us() const { return started_us_; }
  // When frame `index` was due (the picture a tick should show is the last one due).
  [[nodiscard]] int64_t due_us(int64_t index) const { return started_us_ + index * 1'000'000 / fps_; }

 private:
  void run(const std::stop_token& stop) {
    for (int index = 0;; ++index) {
      const int64_t due = due_us(index);
      if (due - started_us_ >= runs_for_us_) return;
      {
        std::unique_lock lock(mutex_);
        // The camera's own pace, not a test waiting for something: woken early only by stop.
        if (wake_.wait_until(lock, stop, clock_.at_us(due), [] { return false; }) || stop.stop_requested()) return;
      }
      av::Frame frame = picture_(index);
      sink_.push_frame(*frame, clock_.now_us());
    }
  }

  const SessionClock& clock_;
  FrameSink& sink_;
  int fps_;
  Picture picture_;
  int64_t runs_for_us_;
  int64_t started_us_ = 0;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::jthread thread_;
};

// A synchronous output that hangs (a stalled socket write, a slow disk on the video thread):
// the packet of frame `pts` is held until session time `until_us`; one stall per frame, as
// many as set before the pipeline starts.
class StallingSink final : public PacketSink {
 public:
  StallingSink(const SessionClock& clock, PacketSink& next) : clock_(clock), next_(next) {}
  void stall_at(int64_t pts, int64_t until_us) { stalls_[pts] = until_us; }

  std::string open(const std::vector<EncodedStream>& streams) override { return next_.open(streams); }
  void start() override { next_.start(); }
  void push(const AVPacket& packet) override {
    if (const auto stall = stalls_.find(packet.pts); stall != stalls_.end()) {
      const int64_t until_us = stall->second;
      std::unique_lock lock(mutex_);
      never_.wait_until(lock, clock_.at_us(until_us), [&] { return clock_.now_us() >= until_us; });
    }
    next_.push(packet);
  }
  void close() override { next_.close(); }

 private:
  const SessionClock& clock_;
  PacketSink& next_;
  std::map<int64_t, int64_t> stalls_;  // pts → until; read-only once the pipeline runs
  std::mutex mutex_;
  std::condition_variable never_;
};

// The session's video path, real parts only: compositor, libx264, a fan-out to the recording
// and to a collector standing in for a stream output.
struct VideoSession {
  explicit VideoSession(const test::TempDir& dir, const OverlaySlot* overlay = nullptr)
      : recording(dir / "session.mkv") {
    auto opened = VideoEncoder::open(test::small_video_settings(), compositor.colorspace(), 0);
    if (auto* error = std::get_if<std::string>(&opened)) throw std::runtime_error(*error);
    encoder = std::move(std::get<std::unique_ptr<VideoEncoder>>(opened));
    auto created = Recorder::create(recording.string());
    if (auto* error = std::get_if<RecorderError>(&created)) throw std::runtime_error(error->detail);
    recorder = std::move(std::get<std::unique_ptr<Recorder>>(created));
    fanout.add(*recorder);
    fanout.add(output);
    if (std::string error = stalling.open({encoder->stream()}); !error.empty()) throw std::runtime_error(error);
    stalling.start();
    pipeline = std::make_unique<VideoPipeline>(clock, compositor, *encoder, stalling, overlay);
  }

  // Starts the ticks on the camera's first picture, as the session does.
  void start_on_first_picture() {
    EXPECT_TRUE(pipeline->wait_first_capture(test::deadline_after(5s))) << "no picture from the camera";
    origin_us = clock.now_us();
    pipeline->start(origin_us);
  }

  // Waits for the video thread to end (it flushes the encoder first), then closes the sinks.
  void finish() {
    auto joined = std::async(std::launch::async, [this] { pipeline->join(); });
    if (joined.wait_until(test::deadline_after(30s)) != std::future_status::ready) {
      ADD_FAILURE() << "the video thread did not stop at the end";
      pipeline->request_stop();
    }
    joined.wait();
    stalling.close();
  }

  [[nodiscard]] std::vector<int64_t> pts() const {
    std::vector<int64_t> out;
    for (const PacketRecord& p : output.packets()) out.push_back(p.pts);
    return out;
  }
  // Tick `k`'s picture is chosen half a frame after its time.
  [[nodiscard]] int64_t pick_us(int64_t tick) const {
    return origin_us + tick * 1'000'000 / kFps + 500'000 / kFps;
  }

  SessionClock clock;
  Compositor compositor{kWidth, kHeight, AVCOL_SPC_SMPTE170M};
  std::filesystem::path recording;
  std::unique_ptr<VideoEncoder> encoder;
  std::unique_ptr<Recorder> recorder;
  test::PacketCollector output;
  PacketFanOut fanout;
  StallingSink stalling{clock, fanout};
  int64_t origin_us = 0;
  std::unique_ptr<VideoPipeline> pipeline;  // last: its thread stops before the rest goes
};

// Every tick from 0 to `ticks` - 1 was either encoded, once, with its index as PTS, or dropped
// and counted; none after the end.
void expect_every_tick_accounted_for(const VideoSession& session, int64_t ticks) {
  const std::vector<int64_t> pts = session.pts();
  EXPECT_EQ(static_cast<int64_t>(pts.size()), session.pipeline->frames_encoded());
  EXPECT_TRUE(std::is_sorted(pts.begin(), pts.end()));
  EXPECT_EQ(std::adjacent_find(pts.begin(), pts.end()), pts.end()) << "a tick encoded twice";
  ASSERT_FALSE(pts.empty());
  EXPECT_GE(pts.front(), 0);
  EXPECT_LT(pts.back(), ticks);
  EXPECT_EQ(session.pipeline->frames_encoded() + session.pipeline->frames_dropped(), ticks);
}

// A session on a 30 fps camera numbering its pictures, its first picture captured, its origin
// now (not started).
struct NumberedCameraSession {
  explicit NumberedCameraSession(const char* name)
      : dir(name), session(dir), camera(session.clock, *session.pipeline, kFps, numbered_picture) {
    camera.start();
    EXPECT_TRUE(session.pipeline->wait_first_capture(test::deadline_after(5s)));
    session.origin_us = session.clock.now_us();
  }
  // Runs the ticks 0 .. `ticks` - 1 and checks each was encoded once or dropped and counted.
  void run(int64_t ticks) {
    session.pipeline->start(session.origin_us);
    session.pipeline->set_end(session.origin_us + ticks * 1'000'000 / kFps);
    session.finish();
    expect_every_tick_accounted_for(session, ticks);
  }
  test::TempDir dir;
  VideoSession session;
  FakeCamera camera;
};

// A camera at `camera_fps` into the 30 fps output: checks what viewers see frame by frame.
void expect_thirty_fps_following_the_camera(int camera_fps) {
  const test::TempDir dir("video-pipeline-rate");
  VideoSession session(dir);
  FakeCamera camera(session.clock, *session.pipeline, camera_fps, numbered_picture);
  camera.start();
  session.start_on_first_picture();
  session.pipeline->set_end(session.origin_us + 2'000'000);
  session.finish();
  expect_every_tick_accounted_for(session, 60);

  const std::vector<test::YuvPicture> pictures = test::decode_pictures(session.recording, [](double) { return true; });
  ASSERT_EQ(static_cast<int64_t>(pictures.size()), session.pipeline->frames_encoded());
  int64_t first_tick = -1, last_tick = -1;
  int first_number = -1, last_number = -1, previous = -1;
  for (const test::YuvPicture& picture : pictures) {
    const auto tick = std::lround(picture.pts_s * kFps);
    const int number = read_number(picture);
    // The picture shown is the camera's latest at the tick: at most one camera frame old,
    // give or take the scheduling of a loaded machine.
    const double age_s = static_cast<double>(session.pick_us(tick) - camera.due_us(number)) / 1e6;
    EXPECT_GT(age_s, -0.1) << "tick " << tick << " shows camera frame " << number;
    EXPECT_LT(age_s, 1.0 / camera_fps + 0.1) << "tick " << tick << " shows camera frame " << number;
    EXPECT_GE(number, previous) << "tick " << tick << " goes back in time";
    previous = number;
    if (first_tick < 0) {
      first_tick = tick;
      first_number = number;
    }
    last_tick = tick;
    last_number = number;
  }
  // Motion at the camera's speed: camera frames per output frame.
  ASSERT_GT(last_tick, first_tick + 30);
  const double advance = static_cast<double>(last_number - first_number) / static_cast<double>(last_tick - first_tick);
  EXPECT_NEAR(advance, static_cast<double>(camera_fps) / kFps, 0.1 * camera_fps / kFps);
}

TEST(VideoPipeline, AFifteenFpsCameraBecomesThirtyFpsWithEachPictureShownTwice) {
  expect_thirty_fps_following_the_camera(15);
}

TEST(VideoPipeline, ASixtyFpsCameraBecomesThirtyFpsShowingEveryOtherPicture) {
  expect_thirty_fps_following_the_camera(60);
}

TEST(VideoPipeline, StopsAtTheEndTickAndTheRecordingLastsExactlyThatLong) {
  const test::TempDir dir("video-pipeline-end");
  VideoSession session(dir);
  FakeCamera camera(session.clock, *session.pipeline, kFps, numbered_picture);
  camera.start();
  session.start_on_first_picture();
  session.pipeline->set_end(session.origin_us + 1'000'000);  // exactly tick 30: not encoded
  session.finish();
  expect_every_tick_accounted_for(session, 30);
  const test::ProbeResult probe = test::probe_media(session.recording);
  ASSERT_TRUE(probe.file) << probe.error;
  const test::StreamTiming timing = test::stream_timing(*probe.file, 0);
  EXPECT_LE(timing.end_s, 1.0 + 1e-3);
  if (session.pipeline->frames_dropped() == 0) {  // the usual case: every tick made it
    EXPECT_EQ(timing.packets, 30);
    EXPECT_NEAR(timing.end_s, 1.0, 1e-3);
  }
}

TEST(VideoPipeline, DropsAndCountsTheTicksItIsTooLateForInsteadOfEncodingThemLate) {
  NumberedCameraSession numbered("video-pipeline-late");
  VideoSession& session = numbered.session;
  // Frame 10's packet is stuck on the video thread until 1 s: ticks 11 to 28 go by meanwhile.
  session.stalling.stall_at(10, session.origin_us + 1'000'000);
  numbered.run(60);

  const std::vector<int64_t> pts = session.pts();
  const auto after_stall = std::upper_bound(pts.begin(), pts.end(), 10);
  ASSERT_NE(after_stall, pts.end());
  EXPECT_GE(*after_stall, 29) << "a tick from during the stall was encoded late";
  EXPECT_GE(session.pipeline->frames_dropped(), 18);
}

TEST(VideoPipeline, CatchesUpAMomentsStallWithoutAHoleInTheStream) {
  NumberedCameraSession numbered("video-pipeline-catch-up");
  VideoSession& session = numbered.session;
  // Frame 10 (picked at 350 ms) is held 100 ms on the video thread: ticks 11 and 12 come due
  // meanwhile, 67 and 33 ms before it is free again.
  session.stalling.stall_at(10, session.origin_us + 450'000);
  numbered.run(60);
  const std::vector<int64_t> pts = session.pts();
  for (int64_t tick = 10; tick <= 13; ++tick)
    EXPECT_TRUE(std::binary_search(pts.begin(), pts.end(), tick)) << "tick " << tick << " was dropped";
  EXPECT_GE(session.pipeline->frames_late(), 1);
}

TEST(VideoPipeline, AMachineTooSlowForTheStreamDropsTicksRatherThanFallingBehind) {
  NumberedCameraSession numbered("video-pipeline-overloaded");
  VideoSession& session = numbered.session;
  // Two long stalls (frames 10 and 30 held 450 ms: every other tick dropped until back on
  // time), then within 3 s a moment's one like the test above's (frame 60 held 100 ms): its
  // late tick dropped too, not caught up. Never more than one tick missing in a row.
  const auto picked = [&](int64_t frame) { return session.origin_us + frame * 33'333 + 16'667; };
  session.stalling.stall_at(10, picked(10) + 450'000);
  session.stalling.stall_at(30, picked(30) + 450'000);
  session.stalling.stall_at(60, picked(60) + 100'000);
  numbered.run(90);
  const std::vector<int64_t> pts = session.pts();
  EXPECT_FALSE(std::binary_search(pts.begin(), pts.end(), int64_t{61})) << "the third stall's late tick was encoded";
  for (size_t i = 1; i < pts.size(); ++i) EXPECT_LE(pts[i] - pts[i - 1], 2) << "a hole after tick " << pts[i - 1];
  EXPECT_GE(session.pipeline->frames_dropped(), 2 * 5 + 1);
}

TEST(VideoPipeline, CountsOnlyTheSessionsOwnTicksAsDroppedWhenAStallRunsPastTheEnd) {
  NumberedCameraSession numbered("video-pipeline-late-end");
  VideoSession& session = numbered.session;
  // Frame 20's packet is stuck until 2 s, a second after the end: ticks 21 to 29 are lost,
  // and that is all the session lost.
  session.stalling.stall_at(20, session.origin_us + 2'000'000);
  numbered.run(30);
  EXPECT_LE(session.pts().back(), 20);
  EXPECT_GE(session.pipeline->frames_dropped(), 9);
}

TEST(VideoPipeline, ACameraThatStopsDeliveringLeavesItsLastPictureUpThenTurnsBlackAfterASecond) {
  const test::TempDir dir("video-pipeline-stale");
  VideoSession session(dir);
  // Bright frames for half a second, then nothing (the camera was unplugged).
  FakeCamera camera(
      session.clock, *session.pipeline, kFps, [](int) { return test::make_flat_picture(kWidth, kHeight, 200); },
      500'000);
  camera.start();
  session.start_on_first_picture();
  session.pipeline->set_end(session.origin_us + 2'200'000);
  session.finish();

  const int64_t last_picture_us = camera.due_us(14);  // the last frame due before 500 ms
  const test::DecodedVideo decoded = test::decode_video(session.recording);
  ASSERT_EQ(decoded.error, "");
  ASSERT_GE(decoded.frames.size(), 50u);
  bool held = false;
  bool went_black = false;
  for (const test::DecodedVideoFrame& frame : decoded.frames) {
    const auto tick = std::lround(frame.pts_s * kFps);
    const double since_last_s = static_cast<double>(session.pick_us(tick) - last_picture_us) / 1e6;
    if (since_last_s < 0.9) {
      EXPECT_GT(frame.center_luma(), 180) << "tick " << tick << ", " << since_last_s << " s after the last picture";
      held = held || since_last_s > 0.5;
    } else if (since_last_s > 1.1) {
      EXPECT_LT(frame.center_luma(), 24) << "tick " << tick << ", " << since_last_s << " s after the last picture";
      went_black = true;
    }
  }
  EXPECT_TRUE(held) << "no frame half a second after the camera went quiet";
  EXPECT_TRUE(went_black) << "no frame more than a second after the camera went quiet";
}

// An opaque white card at (x, y, w, h) on a transparent layer of the output's size.
std::shared_ptr<const OverlayLayer> white_card(int x, int y, int w, int h) {
  std::vector<uint8_t> rgba(static_cast<size_t>(kWidth * kHeight * 4), 0);
  for (int row = y; row < y + h; ++row)
    std::fill_n(rgba.begin() + (row * kWidth + x) * 4, w * 4, uint8_t{255});
  return std::make_shared<const OverlayLayer>(kWidth, kHeight, rgba, std::vector<OverlayRect>{{x, y, w, h}},
                                              AVCOL_SPC_SMPTE170M);
}

// The camera unplugged with a slate to show: after the second of grace, black around the
// slate (its white card here, over the middle), not the last picture and not plain black.
TEST(VideoPipeline, ACameraThatStopsDeliveringGivesWayToTheSlateOverBlack) {
  const test::TempDir dir("video-pipeline-slate");
  VideoSession session(dir);
  OverlaySlot slate;
  slate.publish(white_card(kWidth / 4, kHeight / 4, kWidth / 2, kHeight / 2));
  session.pipeline->set_slate(&slate);
  FakeCamera camera(
      session.clock, *session.pipeline, kFps, [](int) { return test::make_flat_picture(kWidth, kHeight, 120); },
      500'000);
  camera.start();
  session.start_on_first_picture();
  session.pipeline->set_end(session.origin_us + 2'200'000);
  session.finish();

  const int64_t last_picture_us = camera.due_us(14);
  const test::DecodedVideo decoded = test::decode_video(session.recording);
  ASSERT_EQ(decoded.error, "");
  bool slated = false;
  for (const test::DecodedVideoFrame& frame : decoded.frames) {
    const auto tick = std::lround(frame.pts_s * kFps);
    const double since_last_s = static_cast<double>(session.pick_us(tick) - last_picture_us) / 1e6;
    const int corner = frame.thumbnail.front();
    if (since_last_s < 0.9) {
      EXPECT_NEAR(corner, 120, 8) << "tick " << tick << ": the camera's picture";
      EXPECT_NEAR(frame.center_luma(), 120, 8) << "tick " << tick << ": no slate while the camera delivers";
    } else if (since_last_s > 1.1) {
      EXPECT_LT(corner, 24) << "tick " << tick << ": not black around the slate";
      EXPECT_GT(frame.center_luma(), 200) << "tick " << tick << ": no slate";
      slated = true;
    }
  }
  EXPECT_TRUE(slated) << "no frame more than a second after the camera went quiet";
}

// 镜像 for the host: the preview mirrored with the card where viewers see it; the stream as it was.
TEST(VideoPipeline, AMirroredPreviewIsTheHostsAloneAndKeepsTheCardWhereItIs) {
  const test::TempDir dir("video-pipeline-mirror");
  OverlaySlot overlay;
  overlay.publish(white_card(16, 120, 48, 40));  // bottom left
  VideoSession session(dir, &overlay);
  session.pipeline->set_preview_mirrored(true);
  // The camera: dark on the left (40), bright on the right (200).
  FakeCamera camera(session.clock, *session.pipeline, kFps, [](int) {
    av::Frame f = test::make_flat_picture(kWidth, kHeight, 40);
    for (int y = 0; y < kHeight; ++y) std::fill_n(f->data[0] + y * f->linesize[0] + kWidth / 2, kWidth / 2, uint8_t{200});
    return f;
  });
  camera.start();
  session.start_on_first_picture();
  ASSERT_TRUE(session.output.wait_for_packets(10, test::deadline_after(10s)));
  {
    const av::Frame preview = session.pipeline->preview().latest();
    ASSERT_TRUE(preview);
    EXPECT_NEAR(luma_at(*preview, 40, 40), 200, 2) << "the preview is not mirrored";
    EXPECT_NEAR(luma_at(*preview, 280, 40), 40, 2);
    EXPECT_EQ(luma_at(*preview, 30, 140), 235) << "the card left its place";
    EXPECT_NEAR(luma_at(*preview, 290, 140), 40, 2) << "the card shows mirrored across the picture";
  }
  session.pipeline->request_stop();
  session.finish();
  const std::vector<test::YuvPicture> pictures = test::decode_pictures(session.recording, [](double) { return true; });
  ASSERT_GE(pictures.size(), 10U);
  for (const test::YuvPicture& picture : pictures) {
    EXPECT_NEAR(mean_luma(picture, 100, 20, 20, 20), 40, 4) << "the stream is mirrored";
    EXPECT_NEAR(mean_luma(picture, 260, 20, 20, 20), 200, 4);
    EXPECT_GT(mean_luma(picture, 24, 128, 30, 24), 225) << "no card in the stream";
  }
}

TEST(VideoPipeline, ViewersAndThePreviewSeeTheComposedPictureWithTheOverlayUntilItIsTakenDown) {
  const test::TempDir dir("video-pipeline-overlay");
  OverlaySlot overlay;
  overlay.publish(white_card(16, 120, 96, 48));  // over the left side and the picture
  VideoSession session(dir, &overlay);
  // A 4:3 webcam picture: fitted to 240x180 in the middle of the 320x180 output, over a darkened
  // copy of itself at the sides (luma 16 + (120 - 16) * 9 / 16).
  constexpr int kSide = 74;
  FakeCamera camera(session.clock, *session.pipeline, kFps, [](int) { return test::make_flat_picture(160, 120, 120); });
  camera.start();
  session.start_on_first_picture();

  ASSERT_TRUE(session.output.wait_for_packets(10, test::deadline_after(10s)));
  {
    int64_t composed_at = -1;
    const av::Frame preview = session.pipeline->preview().latest(&composed_at);
    ASSERT_TRUE(preview);
    EXPECT_EQ(preview->width, kWidth);
    EXPECT_EQ(preview->height, kHeight);
    EXPECT_EQ(preview->format, AV_PIX_FMT_YUV420P);
    EXPECT_GE(composed_at, session.origin_us);  // stamped with its tick's time
    EXPECT_EQ(luma_at(*preview, 20, 140), 235);  // card over the bar
    EXPECT_EQ(luma_at(*preview, 80, 140), 235);  // card over the picture
    EXPECT_NEAR(luma_at(*preview, 160, 60), 120, 2);
    EXPECT_NEAR(luma_at(*preview, 20, 60), kSide, 2);   // side
    EXPECT_NEAR(luma_at(*preview, 300, 140), kSide, 2);  // side
  }

  const size_t before = session.output.packets().size();
  const int64_t last_with_card = session.output.packets().back().pts;
  overlay.publish(nullptr);  // the host takes the card down
  ASSERT_TRUE(session.output.wait_for_packets(before + 10, test::deadline_after(10s)));
  session.pipeline->request_stop();
  session.finish();
  {
    const av::Frame preview = session.pipeline->preview().latest();
    ASSERT_TRUE(preview);
    EXPECT_NEAR(luma_at(*preview, 80, 140), 120, 2);
    EXPECT_NEAR(luma_at(*preview, 20, 140), kSide, 2);
  }

  // At most the frame being composed when it was taken down still has it.
  const std::vector<int64_t> pts = session.pts();
  const auto next = std::upper_bound(pts.begin(), pts.end(), last_with_card);
  ASSERT_NE(next, pts.end());
  const int64_t in_flight = *next;
  const std::vector<test::YuvPicture> pictures = test::decode_pictures(session.recording, [](double) { return true; });
  ASSERT_EQ(pictures.size(), pts.size());
  int with_card = 0;
  int without_card = 0;
  for (const test::YuvPicture& picture : pictures) {
    const auto tick = std::lround(picture.pts_s * kFps);
    EXPECT_NEAR(mean_luma(picture, 150, 50, 20, 20), 120, 4) << "tick " << tick;
    if (tick <= last_with_card) {
      EXPECT_GT(mean_luma(picture, 60, 130, 40, 30), 225) << "tick " << tick;
      ++with_card;
    } else if (tick > in_flight) {
      EXPECT_NEAR(mean_luma(picture, 60, 130, 40, 30), 120, 4) << "tick " << tick;
      EXPECT_NEAR(mean_luma(picture, 18, 130, 16, 30), kSide, 4) << "tick " << tick;
      ++without_card;
    }
  }
  EXPECT_GE(with_card, 10);
  EXPECT_GE(without_card, 8);
}

}  // namespace
}  // namespace cunbo
