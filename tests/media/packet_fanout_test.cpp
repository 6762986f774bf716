#include "media/packet_fanout.h"

#include <gtest/gtest.h>

#include <latch>
#include <thread>
#include <vector>

#include "media/recorder.h"
#include "tests/support/encoded_clip.h"
#include "tests/support/media_probe.h"
#include "tests/support/packet_collector.h"
#include "tests/support/temp_dir.h"

namespace cunbo {
namespace {

using test::EncodedClip;
using test::PacketCollector;
using test::PacketRecord;

std::unique_ptr<Recorder> create_recorder(const std::filesystem::path& path) {
  auto created = Recorder::create(path.string());
  if (auto* recorder = std::get_if<std::unique_ptr<Recorder>>(&created)) return std::move(*recorder);
  ADD_FAILURE() << std::get<RecorderError>(created).detail;
  return nullptr;
}

void expect_same_streams(const std::vector<EncodedStream>& got, const std::vector<EncodedStream>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].params, want[i].params);
    EXPECT_EQ(av_cmp_q(got[i].time_base, want[i].time_base), 0);
    EXPECT_EQ(av_cmp_q(got[i].frame_rate, want[i].frame_rate), 0);
  }
}

TEST(PacketFanOut, EverySinkGetsTheSamePacketsUnchangedAndInOrder) {
  const test::TempDir dir("fanout-same");
  const EncodedClip clip = test::encode_clip({.seconds = 2});
  // The recorder first: what it does with its packets (rescaling, muxing on its own thread)
  // must not show in what the sinks after it get.
  auto recorder = create_recorder(dir / "session.mkv");
  ASSERT_TRUE(recorder);
  PacketCollector stream_output;
  PacketCollector stats;
  PacketFanOut fanout;
  fanout.add(*recorder);
  fanout.add(stream_output);
  fanout.add(stats);
  ASSERT_EQ(fanout.open(clip.streams()), "");
  fanout.start();
  const std::vector<PacketRecord> sent = clip.in_time_order();
  test::push_all(fanout, sent);
  fanout.close();

  for (const PacketCollector* sink : {&stream_output, &stats}) {
    EXPECT_EQ(sink->opens(), 1);
    EXPECT_EQ(sink->closes(), 1);
    expect_same_streams(sink->streams(), clip.streams());
    const std::vector<PacketRecord> got = sink->packets();
    ASSERT_EQ(got.size(), sent.size());
    for (size_t i = 0; i < sent.size(); ++i) ASSERT_EQ(got[i], sent[i]) << "packet " << i;
  }
  const test::ProbeResult probe = test::probe_media(dir / "session.mkv");
  ASSERT_TRUE(probe.file) << probe.error;
  EXPECT_EQ(probe.file->packets_of(EncodedClip::kVideoStream).size(), clip.video_packets.size());
  EXPECT_EQ(probe.file->packets_of(EncodedClip::kAudioStream).size(), clip.audio_packets.size());
}

TEST(PacketFanOut, ASinkThatFailsToOpenClosesTheOnesAlreadyOpenAndSaysWhy) {
  const test::TempDir dir("fanout-open-fails");
  const EncodedClip clip = test::encode_clip({.seconds = 0.5});
  PacketCollector stats;
  auto recorder = create_recorder(dir / "session.mkv");
  ASSERT_TRUE(recorder);
  PacketCollector refused("cannot connect to rtmp://live.example/app");
  PacketCollector never_reached;
  PacketFanOut fanout;
  fanout.add(stats);
  fanout.add(*recorder);
  fanout.add(refused);
  fanout.add(never_reached);

  EXPECT_EQ(fanout.open(clip.streams()), "cannot connect to rtmp://live.example/app");
  EXPECT_EQ(stats.closes(), 1);
  EXPECT_EQ(refused.opens(), 1);
  EXPECT_EQ(refused.closes(), 0);  // it never opened
  EXPECT_EQ(never_reached.opens(), 0);
  EXPECT_EQ(never_reached.closes(), 0);
  // What the session does next: the recording that never started leaves no file behind.
  recorder->discard();
  EXPECT_FALSE(std::filesystem::exists(dir / "session.mkv"));
}

TEST(PacketFanOut, PacketsFromTheVideoAndAudioThreadsReachEverySinkInTheirStreamsOrder) {
  const EncodedClip clip = test::encode_clip({.seconds = 2});
  PacketCollector first;
  PacketCollector second;
  PacketFanOut fanout;
  fanout.add(first);
  fanout.add(second);
  ASSERT_EQ(fanout.open(clip.streams()), "");
  fanout.start();
  std::latch both_ready(2);
  auto push_from_own_thread = [&](const std::vector<PacketRecord>& packets) {
    both_ready.arrive_and_wait();
    test::push_all(fanout, packets);
  };
  std::thread video_thread(push_from_own_thread, std::cref(clip.video_packets));
  std::thread audio_thread(push_from_own_thread, std::cref(clip.audio_packets));
  video_thread.join();
  audio_thread.join();
  fanout.close();
  for (const PacketCollector* sink : {&first, &second}) {
    EXPECT_EQ(sink->packets_of(EncodedClip::kVideoStream), clip.video_packets);
    EXPECT_EQ(sink->packets_of(EncodedClip::kAudioStream), clip.audio_packets);
  }
}

}  // namespace
}  // namespace cunbo
