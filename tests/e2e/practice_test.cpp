// `cunbo practice` from a host's point of view: run it, then open what it recorded the way a
// viewer's player would.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>

#include "tests/support/cunbo_cli.h"
#include "tests/support/media_probe.h"
#include "tests/support/real_time.h"
#include "tests/support/tone.h"

namespace cunbo::test {
namespace {

using namespace std::chrono_literals;
using ::testing::DoubleNear;
using ::testing::ElementsAre;

// Startup plus finalising, on top of the recording itself (generous for sanitizer builds).
constexpr auto kOverhead = 30s;

class Practice : public ::testing::Test {
 protected:
  CunboSandbox cunbo{CUNBO_BINARY, "cunbo-practice"};
};

TEST_F(Practice, RecordsFiveSecondsFromTestSources) {
  const auto out = cunbo.work_dir() / "five.mkv";
  const RunResult r = cunbo.run(
      {"practice", "--video", "test", "--audio", "test", "--duration", "5", "--out", out.string()}, {}, 5s + kOverhead);
  ASSERT_TRUE(r.status.success()) << r.describe();
  EXPECT_NE(r.err.find('\r'), std::string::npos) << "no progress line (updated with \\r) on stderr\n" << r.describe();
  expect_last_line_names(r, out);

  const ProbeResult probe = probe_media(out);
  ASSERT_TRUE(probe.file) << probe.error;
  const MediaFile& file = *probe.file;
  ASSERT_EQ(file.count(StreamKind::video), 1);
  ASSERT_EQ(file.count(StreamKind::audio), 1);
  EXPECT_NEAR(file.duration_s, 5.0, 0.15) << "the finalised file declares its duration";

  // Video: what platforms expect (DESIGN.md, "Defaults that platforms expect").
  const StreamInfo& video = *file.first(StreamKind::video);
  EXPECT_EQ(video.codec, "h264");
  EXPECT_EQ(video.profile_name, "High");
  EXPECT_EQ(video.width, 1280);
  EXPECT_EQ(video.height, 720);
  EXPECT_EQ(video.pix_fmt, "yuv420p");
  EXPECT_NEAR(video.frame_rate, 30, 0.01);
  EXPECT_EQ(video.video_delay, 0) << "no B-frames: the decoder needs no reordering";
  const StreamTiming vt = stream_timing(file, video.index);
  const int64_t excused = frames_excused(out);
  EXPECT_NEAR(vt.packets + excused, 150, 2) << excused << " frames reported dropped";
  EXPECT_NEAR(vt.duration_s, 5.0, 0.1);
  EXPECT_NEAR(ticks_per_second(vt, excused), 30, 0.3);
  EXPECT_TRUE(vt.pts_monotonic) << "frames stored out of display order (B-frames) or a timestamp going back";
  EXPECT_TRUE(vt.dts_monotonic);
  EXPECT_LE(vt.largest_gap_s, 0.1) << "the picture stalls";
  if (excused == 0) {
    EXPECT_THAT(vt.keyframe_indices, ElementsAre(0, 60, 120)) << "a keyframe every 2 s, exactly every 60 frames";
  }
  std::vector<double> keys;
  for (const PacketInfo& p : file.packets_of(video.index))
    if (p.keyframe) keys.push_back(p.pts_s - vt.first_pts_s);
  EXPECT_THAT(keys, ElementsAre(DoubleNear(0, 1e-3), DoubleNear(2, 1e-3), DoubleNear(4, 1e-3))) << "a keyframe every 2 s";
  // Average bitrate of the 720p preset (2000 kbit/s, VBV maxrate = bitrate).
  double video_bytes = 0;
  for (const PacketInfo& p : file.packets_of(video.index)) video_bytes += p.size;
  const double video_kbps = video_bytes * 8 / 1000 / vt.duration_s;
  EXPECT_GT(video_kbps, 1000);
  EXPECT_LT(video_kbps, 2500);

  // Audio: AAC-LC 48 kHz stereo, as long as the video, starting with it.
  const StreamInfo& audio = *file.first(StreamKind::audio);
  EXPECT_EQ(audio.codec, "aac");
  EXPECT_EQ(audio.profile_name, "LC");
  EXPECT_EQ(audio.sample_rate, 48000);
  EXPECT_EQ(audio.channels, 2);
  const StreamTiming at = stream_timing(file, audio.index);
  EXPECT_NEAR(at.duration_s, 5.0, 0.1);
  EXPECT_TRUE(at.pts_monotonic);
  EXPECT_NEAR(vt.first_pts_s, 0, 0.1);
  EXPECT_NEAR(at.first_pts_s, 0, 0.1);
  EXPECT_NEAR(at.first_pts_s, vt.first_pts_s, 0.05) << "sound and picture start together";

  // What a viewer sees: a moving picture, every frame decodable, none of them a B-frame.
  const DecodedVideo frames = decode_video(out);
  ASSERT_TRUE(frames.error.empty()) << frames.error;
  EXPECT_EQ(frames.decode_errors, 0);
  EXPECT_EQ(static_cast<int>(frames.frames.size()), vt.packets);
  int b_frames = 0;
  int frozen = 0;
  for (std::size_t i = 0; i < frames.frames.size(); ++i) {
    if (frames.frames[i].picture_type == 'B') ++b_frames;
    if (i > 0 && thumbnail_difference(frames.frames[i - 1], frames.frames[i]) < 0.01) ++frozen;
  }
  EXPECT_EQ(b_frames, 0);
  EXPECT_LE(frozen, 2) << "the test pattern moves; " << frozen << " frames repeated the one before";

  // What a viewer hears: the 1 kHz test tone, without gaps.
  const DecodedAudio sound = decode_audio(out);
  ASSERT_TRUE(sound.error.empty()) << sound.error;
  EXPECT_EQ(sound.decode_errors, 0);
  const auto steady = audio_slice(sound.samples, sound.sample_rate, 0.2, 4.8);
  EXPECT_NEAR(dominant_frequency(steady, sound.sample_rate), 1000, 20);
  EXPECT_GT(rms_dbfs(steady), -40) << "the test tone is audible";
  EXPECT_LT(longest_silence_s(steady, sound.sample_rate), 0.02) << "the tone drops out";
}

struct QualityCase {
  const char* preset;
  int width;
  int height;
};

class PracticeQuality : public Practice, public ::testing::WithParamInterface<QualityCase> {};

TEST_P(PracticeQuality, PresetSetsTheResolution) {
  const QualityCase q = GetParam();
  const auto out = cunbo.work_dir() / "quality.mkv";
  const RunResult r = cunbo.run({"practice", "--video", "test", "--audio", "test", "--quality", q.preset, "--duration",
                                 "1.5", "--out", out.string()},
                                {}, 2s + kOverhead);
  ASSERT_TRUE(r.status.success()) << r.describe();
  const ProbeResult probe = probe_media(out);
  ASSERT_TRUE(probe.file) << probe.error;
  const StreamInfo* video = probe.file->first(StreamKind::video);
  ASSERT_NE(video, nullptr);
  EXPECT_EQ(video->width, q.width);
  EXPECT_EQ(video->height, q.height);
  EXPECT_EQ(video->pix_fmt, "yuv420p");
  EXPECT_NEAR(video->frame_rate, 30, 0.01);
  EXPECT_NE(probe.file->first(StreamKind::audio), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Practice, PracticeQuality,
                         ::testing::Values(QualityCase{"480p", 854, 480}, QualityCase{"720p", 1280, 720},
                                           QualityCase{"1080p", 1920, 1080}),
                         [](const auto& param_info) { return std::string("Preset") + param_info.param.preset; });

// The top-level boxes of an MP4 file, in file order ("ftyp", "moov", "moof", "mdat", …).
std::vector<std::string> mp4_boxes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> boxes;
  for (;;) {
    unsigned char header[16];
    if (!in.read(reinterpret_cast<char*>(header), 8)) break;
    uint64_t size = (uint64_t{header[0]} << 24) | (uint64_t{header[1]} << 16) | (uint64_t{header[2]} << 8) | header[3];
    boxes.emplace_back(reinterpret_cast<const char*>(header + 4), 4);
    uint64_t header_size = 8;
    if (size == 1) {  // a 64-bit size follows
      if (!in.read(reinterpret_cast<char*>(header + 8), 8)) break;
      size = 0;
      for (int i = 8; i < 16; ++i) size = size << 8 | header[i];
      header_size = 16;
    }
    if (size < header_size) break;  // 0: to the end of the file
    in.seekg(static_cast<std::streamoff>(size - header_size), std::ios::cur);
  }
  return boxes;
}

struct ContainerCase {
  const char* name;       // what the host types after the dot
  const char* demuxer;    // what libavformat recognises the file as
};

class PracticeContainer : public Practice, public ::testing::WithParamInterface<ContainerCase> {};

// `--out rehearsal.mp4` gives an MP4, `.flv` an FLV, `.mkv` Matroska: what the name says, and
// the whole session plays in it.
TEST_P(PracticeContainer, RecordsTheContainerItsFileNameAsksFor) {
  const ContainerCase c = GetParam();
  const auto out = cunbo.work_dir() / (std::string("rehearsal.") + c.name);
  const RunResult r = cunbo.run({"practice", "--video", "test", "--audio", "test", "--duration", "2", "--out",
                                 out.string()},
                                {}, 2s + kOverhead);
  ASSERT_TRUE(r.status.success()) << r.describe();
  expect_last_line_names(r, out);
  const ProbeResult probe = probe_media(out);
  ASSERT_TRUE(probe.file) << probe.error;
  const MediaFile& file = *probe.file;
  EXPECT_THAT(file.format, ::testing::HasSubstr(c.demuxer));
  ASSERT_EQ(file.count(StreamKind::video), 1);
  ASSERT_EQ(file.count(StreamKind::audio), 1);
  const StreamTiming vt = stream_timing(file, file.first(StreamKind::video)->index);
  const StreamTiming at = stream_timing(file, file.first(StreamKind::audio)->index);
  EXPECT_NEAR(vt.duration_s, 2.0, 0.1);
  EXPECT_NEAR(at.duration_s, 2.0, 0.1);
  EXPECT_NEAR(at.first_pts_s, vt.first_pts_s, 0.05) << "sound and picture start together";
  EXPECT_TRUE(vt.pts_monotonic);
  const DecodedVideo frames = decode_video(out);
  ASSERT_TRUE(frames.error.empty()) << frames.error;
  EXPECT_EQ(frames.decode_errors, 0);
  EXPECT_EQ(static_cast<int>(frames.frames.size()), vt.packets);
  if (std::string(c.demuxer) == "mp4") {
    // Fragmented: the index up front holds no samples, each fragment carries its own, so the
    // file plays without the end a crash would cut off.
    const std::vector<std::string> boxes = mp4_boxes(out);
    const auto moov = std::find(boxes.begin(), boxes.end(), "moov");
    const auto moof = std::find(boxes.begin(), boxes.end(), "moof");
    EXPECT_TRUE(moov != boxes.end() && moof != boxes.end() && moov < moof) << ::testing::PrintToString(boxes);
    EXPECT_GE(std::count(boxes.begin(), boxes.end(), "moof"), 4) << "fragments of at most a quarter second";
  }
}

INSTANTIATE_TEST_SUITE_P(Practice, PracticeContainer,
                         ::testing::Values(ContainerCase{"mp4", "mp4"}, ContainerCase{"flv", "flv"},
                                           ContainerCase{"mkv", "matroska"}, ContainerCase{"MP4", "mp4"}),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(Practice, ARecordingNameOfAnotherKindIsRefusedBeforeAnythingIsRecorded) {
  std::filesystem::create_directories(cunbo.work_dir());
  for (const std::string name : {"rehearsal.avi", "rehearsal.mov", "rehearsal"}) {
    SCOPED_TRACE(name);
    const auto out = cunbo.work_dir() / name;
    const RunResult r = cunbo.run({"practice", "--video", "test", "--audio", "test", "--duration", "1", "--out",
                                   out.string()});
    EXPECT_EQ(r.status.code, 2) << r.describe();
    EXPECT_THAT(r.err, ::testing::HasSubstr(name));
    EXPECT_THAT(r.err, ::testing::HasSubstr(".mp4"));
  }
  const auto live = cunbo.work_dir() / "live.mov";
  const RunResult r = cunbo.run({"stream", "--video", "test", "--audio", "test", "--dest",
                                 "rtmp://127.0.0.1:9/live/k-never", "--record", live.string()});
  EXPECT_EQ(r.status.code, 2) << r.describe();
  EXPECT_THAT(r.err, ::testing::HasSubstr("live.mov"));
  EXPECT_TRUE(files_under(cunbo.work_dir()).empty()) << "a refused name left a file behind";
  EXPECT_TRUE(files_under(cunbo.videos_dir()).empty());
}

// The recording lands in `dir`, named practice-YYYYmmdd-HHMMSS.mkv, and stdout names it.
void expect_one_recording_in(const std::filesystem::path& dir, const RunResult& r) {
  const std::vector<std::filesystem::path> files = recordings_under(dir);
  ASSERT_EQ(files.size(), 1u) << "expected one recording under " << dir << "\n" << r.describe();
  const std::filesystem::path& file = files.front();
  EXPECT_EQ(file.parent_path(), dir);
  EXPECT_TRUE(std::regex_match(file.filename().string(), std::regex(R"(practice-\d{8}-\d{6}\.mkv)"))) << file;
  EXPECT_TRUE(std::filesystem::exists(file.string() + ".events.jsonl")) << "the event log sits beside it";
  expect_last_line_names(r, file);
  const ProbeResult probe = probe_media(file);
  ASSERT_TRUE(probe.file) << probe.error;
  EXPECT_EQ(probe.file->count(StreamKind::video), 1);
  EXPECT_EQ(probe.file->count(StreamKind::audio), 1);
}

TEST_F(Practice, WritesToTheVideosFolderByDefault) {
  const RunResult r =
      cunbo.run({"practice", "--video", "test", "--audio", "test", "--duration", "1"}, {}, 1s + kOverhead);
  ASSERT_TRUE(r.status.success()) << r.describe();
  expect_one_recording_in(cunbo.videos_dir() / "Cunbo", r);
}

TEST_F(Practice, WritesToVideosInHomeWithoutXdgVideosDir) {
  const RunResult r = cunbo.run({"practice", "--video", "test", "--audio", "test", "--duration", "1"},
                                {{"XDG_VIDEOS_DIR", std::nullopt}}, 1s + kOverhead);
  ASSERT_TRUE(r.status.success()) << r.describe();
  expect_one_recording_in(cunbo.home() / "Videos" / "Cunbo", r);
  EXPECT_TRUE(files_under(cunbo.videos_dir()).empty());
}

}  // namespace
}  // namespace cunbo::test
