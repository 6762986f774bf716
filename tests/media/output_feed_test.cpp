#include "media/output_feed.h"

#include <gtest/gtest.h>

#include <variant>
#include <vector>

#include "media/packet_fanout.h"
#include "media/recorder.h"
#include "media/second_encode.h"
#include "media/video_encoder.h"
#include "tests/support/encoded_clip.h"
#include "tests/support/media_probe.h"
#include "tests/support/packet_collector.h"
#include "tests/support/temp_dir.h"

namespace cunbo {
namespace {

using namespace std::chrono_literals;
using test::PacketCollector;
using test::PacketRecord;

// A destination's feed switches from the shared encoder to its own second encode at tick 30
// and back at tick 90: the destination gets every tick once, in order, a keyframe at each
// switch, its own (far lower) rate in between, and a stream that decodes without an error.
TEST(OutputFeed, SwitchesToASecondEncodeAndBackOnKeyframesWithoutTearingTheStream) {
  const test::TempDir dir("output-feed");
  auto opened = VideoEncoder::open(test::small_video_settings(1500), AVCOL_SPC_SMPTE170M, 0);
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<VideoEncoder>>(opened)) << std::get<std::string>(opened);
  VideoEncoder& shared = *std::get<std::unique_ptr<VideoEncoder>>(opened);
  auto created = Recorder::create((dir.path() / "dest.mkv").string());
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<Recorder>>(created));
  Recorder& recorder = *std::get<std::unique_ptr<Recorder>>(created);
  PacketCollector received;
  PacketFanOut destination;  // what the destination's output would send, kept twice
  destination.add(received);
  destination.add(recorder);
  OutputFeed feed(destination);
  ASSERT_EQ(feed.open({shared.stream()}), "");
  feed.start();

  auto second_opened = SecondEncode::open(shared, feed, 150);
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<SecondEncode>>(second_opened))
      << std::get<std::string>(second_opened);
  SecondEncode& second = *std::get<std::unique_ptr<SecondEncode>>(second_opened);
  second.start();

  for (int tick = 0; tick < 120; ++tick) {
    av::Frame picture = test::make_picture(320, 180, tick, test::PictureKind::noise);  // costs what it is given
    picture->pts = tick;
    if (tick == 90) second.end();
    // As the video thread does: offered before the shared encode, which makes the tick the
    // destination comes back on a keyframe.
    if (tick >= 30 && second.offer(*picture)) shared.request_keyframe();
    ASSERT_TRUE(shared.encode(*picture, feed));
    // One packet per tick reaches the destination, from whichever encoder feeds it.
    ASSERT_TRUE(received.wait_for_packets(static_cast<size_t>(tick) + 1, test::deadline_after(10s))) << "tick " << tick;
  }
  second.stop();
  shared.flush(feed);
  feed.close();
  EXPECT_FALSE(feed.on_second());
  EXPECT_EQ(second.frames_skipped(), 0);

  const std::vector<PacketRecord> packets = received.packets();
  ASSERT_EQ(packets.size(), 120u);
  std::vector<int64_t> keyframes;
  for (size_t i = 0; i < packets.size(); ++i) {
    ASSERT_EQ(packets[i].pts, static_cast<int64_t>(i)) << "a tick lost or twice";
    if (packets[i].keyframe()) keyframes.push_back(packets[i].pts);
  }
  EXPECT_EQ(keyframes, (std::vector<int64_t>{0, 30, 90})) << "the shared encoder's keyframe at 60 is not the feed's";
  auto bytes = [&](int from, int to) {
    int64_t n = 0;
    for (int i = from; i < to; ++i) n += static_cast<int64_t>(packets[static_cast<size_t>(i)].data.size());
    return n;
  };
  // Per frame, the second encode at 150 kbit/s sends well under half of what the shared one does at 1500.
  EXPECT_LT(bytes(40, 90) / 50 * 2, bytes(92, 120) / 28) << "the second encode's own rate was not used";

  const test::DecodedVideo decoded = test::decode_video(dir.path() / "dest.mkv");
  ASSERT_TRUE(decoded.error.empty()) << decoded.error;
  EXPECT_EQ(decoded.frames.size(), 120u);
  EXPECT_EQ(decoded.decode_errors, 0);
}

}  // namespace
}  // namespace cunbo
