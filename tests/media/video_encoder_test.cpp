#include "media/video_encoder.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "tests/support/encoded_clip.h"
#include "tests/support/packet_collector.h"

namespace cunbo {
namespace {

using test::PacketCollector;
using test::PacketRecord;
using test::PictureKind;

std::unique_ptr<VideoEncoder> open_encoder(const VideoSettings& settings) {
  auto opened = VideoEncoder::open(settings, AVCOL_SPC_SMPTE170M, 0);
  if (auto* encoder = std::get_if<std::unique_ptr<VideoEncoder>>(&opened)) return std::move(*encoder);
  ADD_FAILURE() << std::get<std::string>(opened);
  return nullptr;
}

// The H.264 NAL unit types in an Annex B packet (what libx264 emits).
std::vector<int> nal_types(const std::vector<uint8_t>& data) {
  std::vector<int> types;
  for (size_t i = 0; i + 3 < data.size(); ++i)
    if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
      types.push_back(data[i + 3] & 0x1f);
      i += 2;
    }
  return types;
}

bool has_idr_slice(const PacketRecord& p) {
  for (int type : nal_types(p.data))
    if (type == 5) return true;
  return false;
}

std::vector<int64_t> keyframe_pts(const std::vector<PacketRecord>& packets) {
  std::vector<int64_t> out;
  for (const PacketRecord& p : packets)
    if (p.keyframe()) out.push_back(p.pts);
  return out;
}

// Bits per second of the packets whose pts is in [from, to) frames, in kbit/s.
double kbps_between(const std::vector<PacketRecord>& packets, int64_t from, int64_t to, int fps) {
  int64_t bytes = 0;
  for (const PacketRecord& p : packets)
    if (p.pts >= from && p.pts < to) bytes += static_cast<int64_t>(p.data.size());
  return static_cast<double>(bytes) * 8 / (static_cast<double>(to - from) / fps) / 1000;
}

void encode(VideoEncoder& encoder, PacketCollector& out, int index, PictureKind kind = PictureKind::moving) {
  av::Frame picture = test::make_picture(320, 180, index, kind);
  picture->pts = index;
  ASSERT_TRUE(encoder.encode(*picture, out));
}

TEST(VideoEncoder, DescribesItsStreamAsH264HighAtTheOutputRateWithHeadersOutOfBand) {
  auto encoder = open_encoder(test::small_video_settings());
  ASSERT_TRUE(encoder);
  const EncodedStream stream = encoder->stream();
  ASSERT_NE(stream.params, nullptr);
  EXPECT_EQ(stream.params->codec_id, AV_CODEC_ID_H264);
  EXPECT_EQ(stream.params->profile, FF_PROFILE_H264_HIGH);
  EXPECT_EQ(stream.params->format, AV_PIX_FMT_YUV420P);
  EXPECT_EQ(stream.params->width, 320);
  EXPECT_EQ(stream.params->height, 180);
  EXPECT_GT(stream.params->extradata_size, 0);  // SPS/PPS for Matroska's and FLV's headers
  EXPECT_EQ(stream.params->video_delay, 0);     // no B-frames: no reordering delay in players
  EXPECT_EQ(av_cmp_q(stream.time_base, AVRational{1, 30}), 0);
  EXPECT_EQ(av_cmp_q(stream.frame_rate, AVRational{30, 1}), 0);
}

TEST(VideoEncoder, HandsOverEachFrameAsItIsEncodedWithoutReordering) {
  auto encoder = open_encoder(test::small_video_settings());
  ASSERT_TRUE(encoder);
  PacketCollector out;
  for (int i = 0; i < 60; ++i) {
    encode(*encoder, out, i);
    // Frame i is on its way to the viewers before frame i + 1 is even captured.
    ASSERT_EQ(out.packets().size(), static_cast<size_t>(i + 1));
    const PacketRecord last = out.packets().back();
    EXPECT_EQ(last.pts, i);
    EXPECT_EQ(last.dts, i);  // no B-frames
    EXPECT_EQ(last.stream, 0);
    EXPECT_EQ(av_cmp_q(last.time_base, AVRational{1, 30}), 0);
  }
  encoder->flush(out);
  EXPECT_EQ(out.packets().size(), 60u);
}

TEST(VideoEncoder, PutsAnIdrKeyframeEveryTwoSecondsAndNowhereElseEvenOnASceneCut) {
  auto encoder = open_encoder(test::small_video_settings());
  ASSERT_TRUE(encoder);
  PacketCollector out;
  // 1.5 s of one picture, then a hard cut to another (a still of noise) for 5 s.
  for (int i = 0; i < 195; ++i) {
    av::Frame picture = i < 45 ? test::make_picture(320, 180, i) : test::make_picture(320, 180, 0, PictureKind::noise);
    picture->pts = i;
    ASSERT_TRUE(encoder->encode(*picture, out));
  }
  encoder->flush(out);
  const std::vector<PacketRecord> packets = out.packets();
  ASSERT_EQ(packets.size(), 195u);
  EXPECT_EQ(keyframe_pts(packets), (std::vector<int64_t>{0, 60, 120, 180}));
  for (const PacketRecord& p : packets)
    EXPECT_EQ(has_idr_slice(p), p.keyframe()) << "frame " << p.pts;  // a viewer can join at each
}

TEST(VideoEncoder, MakesTheNextFrameAnIdrKeyframeWhenAnOutputAsksForOne) {
  auto encoder = open_encoder(test::small_video_settings());
  ASSERT_TRUE(encoder);
  PacketCollector out;
  for (int i = 0; i < 20; ++i) encode(*encoder, out, i);
  encoder->request_keyframe();  // an output that just reconnected
  encode(*encoder, out, 20);
  encode(*encoder, out, 21);
  const std::vector<PacketRecord> packets = out.packets();
  ASSERT_EQ(packets.size(), 22u);
  EXPECT_EQ(keyframe_pts(packets), (std::vector<int64_t>{0, 20}));
  EXPECT_TRUE(has_idr_slice(packets[20]));
  EXPECT_FALSE(has_idr_slice(packets[21]));  // one keyframe per request
}

TEST(VideoEncoder, AppliesANewBitrateWithinASecondAndWithoutAKeyframe) {
  auto encoder = open_encoder(test::small_video_settings(1500));
  ASSERT_TRUE(encoder);
  PacketCollector out;
  // Noise costs whatever it is given: the rate control alone decides the size.
  for (int i = 0; i < 100; ++i) encode(*encoder, out, i, PictureKind::noise);
  encoder->set_bitrate_kbps(400);  // the uplink got worse
  EXPECT_EQ(encoder->bitrate_kbps(), 400);
  for (int i = 100; i < 200; ++i) encode(*encoder, out, i, PictureKind::noise);
  encoder->set_bitrate_kbps(1000);  // and recovered a little
  for (int i = 200; i < 300; ++i) encode(*encoder, out, i, PictureKind::noise);
  encoder->flush(out);
  const std::vector<PacketRecord> packets = out.packets();
  ASSERT_EQ(packets.size(), 300u);
  // Each rate measured over the 2⅓ s after the VBV (1 s) has settled.
  EXPECT_NEAR(kbps_between(packets, 30, 100, 30), 1500, 1500 * 0.25);
  EXPECT_NEAR(kbps_between(packets, 130, 200, 30), 400, 400 * 0.25);
  EXPECT_NEAR(kbps_between(packets, 230, 300, 30), 1000, 1000 * 0.25);
  EXPECT_EQ(keyframe_pts(packets), (std::vector<int64_t>{0, 60, 120, 180, 240}));
}

// An encoder that refuses frames (here libavcodec's own refusal after it was drained, the same
// error path as any other failure) is opened anew: the picture goes on from the same frame,
// on a keyframe, at the bitrate it had, with the headers every sink already holds.
TEST(VideoEncoder, AFailedEncoderIsReopenedAndCarriesOnWithAKeyframe) {
  auto encoder = open_encoder(test::small_video_settings(1500));
  ASSERT_TRUE(encoder);
  const std::vector<uint8_t> headers(encoder->stream().params->extradata,
                                     encoder->stream().params->extradata + encoder->stream().params->extradata_size);
  PacketCollector out;
  for (int i = 0; i < 45; ++i) encode(*encoder, out, i);
  encoder->set_bitrate_kbps(700);
  encode(*encoder, out, 45);
  encoder->flush(out);  // from here on it refuses every frame
  for (int i = 46; i < 90; ++i) encode(*encoder, out, i);
  EXPECT_EQ(encoder->restarts(), 1);
  EXPECT_FALSE(encoder->failed());
  EXPECT_EQ(encoder->bitrate_kbps(), 700);
  const std::vector<PacketRecord> packets = out.packets();
  ASSERT_EQ(packets.size(), 90u) << "a frame was lost across the restart";
  for (size_t i = 0; i < packets.size(); ++i) ASSERT_EQ(packets[i].pts, static_cast<int64_t>(i));
  EXPECT_EQ(keyframe_pts(packets), (std::vector<int64_t>{0, 46}));  // then every 2 s from 46 on
  EXPECT_TRUE(has_idr_slice(packets[46]));
  const AVCodecParameters& now = *encoder->stream().params;
  EXPECT_EQ(std::vector<uint8_t>(now.extradata, now.extradata + now.extradata_size), headers);
}

// Failing again soon after a restart, it is given up: the session is told, not looped.
TEST(VideoEncoder, AnEncoderThatFailsAgainSoonAfterARestartIsGivenUp) {
  auto encoder = open_encoder(test::small_video_settings());
  ASSERT_TRUE(encoder);
  PacketCollector out;
  for (int i = 0; i < 10; ++i) encode(*encoder, out, i);
  encoder->flush(out);
  encode(*encoder, out, 10);
  ASSERT_EQ(encoder->restarts(), 1);
  for (int i = 11; i < 40; ++i) encode(*encoder, out, i);
  encoder->flush(out);  // fails again 1 s later
  av::Frame picture = test::make_picture(320, 180, 40, PictureKind::moving);
  picture->pts = 40;
  EXPECT_FALSE(encoder->encode(*picture, out));
  EXPECT_TRUE(encoder->failed());
  EXPECT_FALSE(encoder->encode(*picture, out)) << "a failed encoder stays failed";
  EXPECT_EQ(encoder->restarts(), 1);
}

}  // namespace
}  // namespace cunbo

namespace cunbo {
namespace {

// At 15 of 30 fps every other tick is encoded, with its timestamp; at 20, two of every three;
// and a keyframe still comes every 2 s of time, not every 60 frames.
TEST(VideoEncoder, AThinnedFrameRateLeavesTicksOutEvenlyAndKeepsKeyframesEveryTwoSeconds) {
  auto encoder = open_encoder(test::small_video_settings(1500));
  ASSERT_TRUE(encoder);
  const int gop = encoder->settings().fps * encoder->settings().keyframe_interval_s;
  PacketCollector out;
  encoder->set_frame_share(3);
  for (int i = 0; i < 3 * gop; ++i) encode(*encoder, out, i);
  encoder->set_frame_share(4);
  for (int i = 3 * gop; i < 3 * gop + 30; ++i) encode(*encoder, out, i);
  const std::vector<PacketRecord> packets = out.packets();
  ASSERT_EQ(packets.size(), static_cast<size_t>(3 * gop / 2 + 20));
  for (int i = 0; i < 3 * gop / 2; ++i) EXPECT_EQ(packets[static_cast<size_t>(i)].pts, 2 * i + 1);
  for (size_t i = 3 * gop / 2 + 1; i < packets.size(); ++i)
    EXPECT_LE(packets[i].pts - packets[i - 1].pts, 2) << "20 fps leaves out one tick at a time";
  const std::vector<int64_t> keys = keyframe_pts(packets);
  ASSERT_GE(keys.size(), 3u);
  for (size_t i = 1; i < keys.size(); ++i) EXPECT_LE(keys[i] - keys[i - 1], gop + 1) << "a keyframe every 2 s of time";
  EXPECT_EQ(encoder->frames_left_out(), 3 * gop / 2 + 10);
}

// Ticks a machine too slow for the stream dropped (the video thread's every-other-tick catch-up)
// leave holes in the timestamps: the keyframes still come every 2 s of stream time, where a
// platform's segmenter expects them, not 60 encoded frames later.
TEST(VideoEncoder, TicksDroppedByASlowMachineKeepKeyframesEveryTwoSeconds) {
  auto encoder = open_encoder(test::small_video_settings(1500));
  ASSERT_TRUE(encoder);
  const int gop = encoder->settings().fps * encoder->settings().keyframe_interval_s;
  PacketCollector out;
  for (int i = 0; i < 3 * gop + 1; ++i)
    if (i < 20 || i % 2 == 0) encode(*encoder, out, i);  // from tick 20 on, every other one dropped
  EXPECT_EQ(keyframe_pts(out.packets()), (std::vector<int64_t>{0, gop, 2 * gop, 3 * gop}));
}

}  // namespace
}  // namespace cunbo
