#include "media/recorder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "tests/support/encoded_clip.h"
#include "tests/support/media_probe.h"
#include "tests/support/packet_collector.h"
#include "tests/support/small_disk.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"

namespace cunbo {
namespace {

using namespace std::chrono_literals;
using test::EncodedClip;
using test::PacketRecord;
using test::StreamKind;

constexpr int kVideo = EncodedClip::kVideoStream;
constexpr int kAudio = EncodedClip::kAudioStream;

// `packets` `times` over, each repetition `period_us` later than the one before: a long
// session from a short clip (every repetition starts on a keyframe). New references, no copy.
// The period must be longer than the clip: the audio starts before 0 (the encoder's priming).
std::vector<av::Packet> repeated(const std::vector<PacketRecord>& packets, int times, int64_t period_us) {
  std::vector<av::Packet> originals;
  for (const PacketRecord& p : packets) originals.push_back(test::to_packet(p));
  std::vector<av::Packet> out;
  for (int i = 0; i < times; ++i)
    for (const av::Packet& p : originals) {
      av::Packet copy = av::ref_packet(p.get());
      const int64_t offset = av_rescale_q(i * period_us, AVRational{1, 1'000'000}, p->time_base);
      copy->pts += offset;
      copy->dts += offset;
      out.push_back(std::move(copy));
    }
  return out;
}

// A writer whose reader went away is told so by EPIPE, not killed, for the test's length.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() : previous_(std::signal(SIGPIPE, SIG_IGN)) {}
  ~IgnoreSigpipe() { std::signal(SIGPIPE, previous_); }
  IgnoreSigpipe(const IgnoreSigpipe&) = delete;
  IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

 private:
  void (*previous_)(int);
};

double end_of(const test::MediaFile& file, int stream) { return test::stream_timing(file, stream).end_s; }

TEST(Recorder, AClosedRecordingPlaysBothStreamsForTheWholeSessionWithAKeyframeEveryTwoSeconds) {
  const test::TempDir dir("recorder-plays");
  const EncodedClip clip = test::encode_clip({.seconds = 4.5});
  auto recorder = test::start_recording(dir / "session.mkv", clip.streams());
  ASSERT_TRUE(recorder);
  test::push_all(*recorder, clip.in_time_order());
  recorder->close();
  EXPECT_FALSE(recorder->failed());
  EXPECT_EQ(recorder->packets_dropped(), 0);
  EXPECT_EQ(recorder->bytes_written(), clip.total_bytes());

  const test::ProbeResult probe = test::probe_media(dir / "session.mkv");
  ASSERT_TRUE(probe.file) << probe.error;
  const test::MediaFile& file = *probe.file;
  EXPECT_NE(file.format.find("matroska"), std::string::npos);
  // Finalised: a player shows the length and can seek.
  EXPECT_NEAR(file.duration_s, 4.5, 0.05);
  const test::StreamInfo* video = file.first(StreamKind::video);
  const test::StreamInfo* audio = file.first(StreamKind::audio);
  ASSERT_TRUE(video && audio);
  EXPECT_EQ(video->codec, "h264");
  EXPECT_EQ(video->profile_name, "High");
  EXPECT_EQ(video->width, 320);
  EXPECT_EQ(video->height, 180);
  EXPECT_DOUBLE_EQ(video->frame_rate, 30);
  EXPECT_EQ(audio->codec, "aac");
  EXPECT_EQ(audio->sample_rate, 48000);
  EXPECT_EQ(audio->channels, 2);

  const test::StreamTiming v = test::stream_timing(file, video->index);
  EXPECT_EQ(v.packets, 135);
  EXPECT_TRUE(v.pts_monotonic);
  EXPECT_NEAR(v.duration_s, 4.5, 0.01);
  EXPECT_EQ(v.keyframe_indices, (std::vector<int>{0, 60, 120}));
  const test::StreamTiming a = test::stream_timing(file, audio->index);
  EXPECT_EQ(a.packets, static_cast<int>(clip.audio_packets.size()));
  EXPECT_NEAR(a.end_s, 4.5, 0.03);
  EXPECT_LT(a.largest_gap_s, 0.03);  // 1024 samples a packet: no hole

  const test::DecodedVideo decoded = test::decode_video(dir / "session.mkv");
  EXPECT_EQ(decoded.error, "");
  EXPECT_EQ(decoded.frames.size(), 135u);
  EXPECT_EQ(decoded.decode_errors, 0);
}

TEST(Recorder, InterleavesPacketsThatTheVideoAndAudioThreadsPushAtTheSameTime) {
  const test::TempDir dir("recorder-two-threads");
  const EncodedClip clip = test::encode_clip({.seconds = 3});
  auto recorder = test::start_recording(dir / "session.mkv", clip.streams());
  ASSERT_TRUE(recorder);
  std::latch both_ready(2);
  auto push_from_own_thread = [&](const std::vector<PacketRecord>& packets) {
    std::vector<av::Packet> own;
    for (const PacketRecord& p : packets) own.push_back(test::to_packet(p));
    both_ready.arrive_and_wait();
    for (const av::Packet& p : own) recorder->push(*p);
  };
  std::thread video_thread(push_from_own_thread, std::cref(clip.video_packets));
  std::thread audio_thread(push_from_own_thread, std::cref(clip.audio_packets));
  video_thread.join();
  audio_thread.join();
  recorder->close();
  EXPECT_FALSE(recorder->failed());

  const test::ProbeResult probe = test::probe_media(dir / "session.mkv");
  ASSERT_TRUE(probe.file) << probe.error;
  const test::MediaFile& file = *probe.file;
  ASSERT_EQ(file.streams.size(), 2u);
  EXPECT_EQ(file.packets_of(kVideo).size(), clip.video_packets.size());
  EXPECT_EQ(file.packets_of(kAudio).size(), clip.audio_packets.size());
  EXPECT_TRUE(test::stream_timing(file, kVideo).pts_monotonic);
  EXPECT_TRUE(test::stream_timing(file, kAudio).pts_monotonic);
  // In file order, neither stream runs ahead of the other: a player reading the file front to
  // back (or a crash cutting it) finds sound and picture of the same moment together.
  double latest[2] = {0, 0};
  double worst_lag_s = 0;
  for (const test::PacketInfo& p : file.packets) {
    const int other = 1 - p.stream;
    worst_lag_s = std::max(worst_lag_s, latest[other] - p.dts_s);
    latest[p.stream] = std::max(latest[p.stream], p.dts_s);
  }
  EXPECT_LT(worst_lag_s, 0.1);
  // Every packet arrived intact: the payloads decode.
  EXPECT_EQ(test::decode_video(dir / "session.mkv").decode_errors, 0);
  const test::DecodedAudio sound = test::decode_audio(dir / "session.mkv");
  EXPECT_EQ(sound.decode_errors, 0);
  EXPECT_NEAR(sound.duration_s(), 3.0, 0.05);
}

// Records 3 s into live.<extension>, copies the file once the writer has written everything
// (what a killed process leaves behind) and plays the copy.
void expect_a_cut_off_file_plays(const std::string& extension) {
  const test::TempDir dir("recorder-cut-off");
  const EncodedClip clip = test::encode_clip({.seconds = 3});
  auto recorder = test::start_recording(dir / ("live" + extension), clip.streams());
  ASSERT_TRUE(recorder);
  test::push_all(*recorder, clip.in_time_order());
  ASSERT_TRUE(test::wait_until(test::deadline_after(20s),
                               [&] { return recorder->bytes_written() == clip.total_bytes(); }))
      << "the writer took only " << recorder->bytes_written() << " of " << clip.total_bytes() << " bytes";
  // The disk itself, not only the system's cache, holds all but the last half second: what a
  // power cut would leave.
  EXPECT_GT(recorder->synced_until_us(), 0) << "never synced to the disk";
  EXPECT_GE(recorder->synced_until_us(), recorder->written_until_us() - 500'000);
  // The writer has nothing left to do: the file holds exactly what a killed process leaves
  // behind (the kernel keeps what was written, whatever happens to the process).
  std::filesystem::copy_file(dir / ("live" + extension), dir / ("after-crash" + extension));

  recorder->close();

  const test::ProbeResult closed = test::probe_media(dir / ("live" + extension));
  ASSERT_TRUE(closed.file) << closed.error;
  const test::ProbeResult probe = test::probe_media(dir / ("after-crash" + extension));
  ASSERT_TRUE(probe.file) << probe.error;
  const test::MediaFile& file = *probe.file;
  ASSERT_EQ(file.streams.size(), 2u);
  // Lost at most the open cluster (250 ms) and what the interleaver holds (a packet).
  EXPECT_LT(end_of(*closed.file, kVideo) - end_of(file, kVideo), 0.3);
  EXPECT_LT(end_of(*closed.file, kAudio) - end_of(file, kAudio), 0.3);
  const test::DecodedVideo decoded = test::decode_video(dir / ("after-crash" + extension));
  EXPECT_EQ(decoded.decode_errors, 0);
  EXPECT_GE(decoded.frames.size(), 80u);
}

TEST(Recorder, AFileCutOffBeforeCloseStillPlaysUpToItsLastQuarterSecond) { expect_a_cut_off_file_plays(".mkv"); }

// A fragmented MP4 needs no index at its end: cut off, it plays up to its last fragment.
TEST(Recorder, AnMp4CutOffBeforeCloseStillPlaysUpToItsLastQuarterSecond) { expect_a_cut_off_file_plays(".mp4"); }

TEST(Recorder, AnFlvCutOffBeforeCloseStillPlaysUpToItsLastQuarterSecond) { expect_a_cut_off_file_plays(".flv"); }

TEST(Recorder, PicksTheContainerFromTheFileName) {
  EXPECT_EQ(recording_container("/videos/a.mkv"), RecordingContainer::matroska);
  EXPECT_EQ(recording_container("a.MKV"), RecordingContainer::matroska);
  EXPECT_EQ(recording_container("/videos/排练.mp4"), RecordingContainer::mp4);
  EXPECT_EQ(recording_container("a.Mp4"), RecordingContainer::mp4);
  EXPECT_EQ(recording_container("a.flv"), RecordingContainer::flv);
  EXPECT_EQ(recording_container("a.avi"), std::nullopt);
  EXPECT_EQ(recording_container("a.mkv.part"), std::nullopt);
  EXPECT_EQ(recording_container("mkv"), std::nullopt);
  EXPECT_EQ(recording_container("/videos/"), std::nullopt);
}

TEST(Recorder, WritesTheContainerItsFileNameAsksForAndEveryPacketPlays) {
  const test::TempDir dir("recorder-containers");
  const EncodedClip clip = test::encode_clip({.seconds = 2.5});
  for (const auto& [name, demuxer] : {std::pair{"session.mp4", "mp4"}, std::pair{"session.flv", "flv"},
                                      std::pair{"session.MKV", "matroska"}}) {
    SCOPED_TRACE(name);
    auto recorder = test::start_recording(dir / name, clip.streams());
    ASSERT_TRUE(recorder);
    test::push_all(*recorder, clip.in_time_order());
    recorder->close();
    EXPECT_FALSE(recorder->failed());
    const test::ProbeResult probe = test::probe_media(dir / name);
    ASSERT_TRUE(probe.file) << probe.error;
    EXPECT_NE(probe.file->format.find(demuxer), std::string::npos) << probe.file->format;
    EXPECT_EQ(probe.file->packets_of(kVideo).size(), clip.video_packets.size());
    EXPECT_EQ(probe.file->packets_of(kAudio).size(), clip.audio_packets.size());
    EXPECT_NEAR(test::stream_timing(*probe.file, kVideo).duration_s, 2.5, 0.05);
    const test::DecodedVideo decoded = test::decode_video(dir / name);
    EXPECT_EQ(decoded.error, "");
    EXPECT_EQ(decoded.frames.size(), clip.video_packets.size());
    EXPECT_EQ(decoded.decode_errors, 0);
  }
}

TEST(Recorder, AFolderThatDoesNotExistIsReportedByCreateBeforeTheSessionStarts) {
  const test::TempDir dir("recorder-no-folder");
  const std::string path = (dir / "no such folder" / "session.mkv").string();
  auto created = Recorder::create(path);
  ASSERT_TRUE(std::holds_alternative<RecorderError>(created));
  const RecorderError& error = std::get<RecorderError>(created);
  EXPECT_EQ(error.path, path);
  EXPECT_EQ(error.errnum, AVERROR(ENOENT));
  EXPECT_NE(error.detail.find("No such file or directory"), std::string::npos) << error.detail;
  EXPECT_FALSE(std::filesystem::exists(dir / "no such folder"));
}

TEST(Recorder, AFolderGivenAsTheFileIsReportedByCreate) {
  const test::TempDir dir("recorder-folder-as-file");
  auto created = Recorder::create(dir.path().string());
  ASSERT_TRUE(std::holds_alternative<RecorderError>(created));
  EXPECT_EQ(std::get<RecorderError>(created).errnum, AVERROR(EISDIR));
  EXPECT_NE(std::get<RecorderError>(created).detail.find("Is a directory"), std::string::npos);
}

TEST(Recorder, AFullDiskStopsTheRecordingWithoutEverBlockingAndWhatWasWrittenStillPlays) {
  const test::TempDir dir("recorder-full-disk");
  const test::SmallDisk disk(dir / "disk", "300k");
  ASSERT_TRUE(disk.mounted()) << disk.error();
  // 2 Mbit/s of noise, four times over: 2 MB for a 300 kB disk.
  const EncodedClip clip = test::encode_clip(
      {.video = test::small_video_settings(2000), .seconds = 2, .picture = test::PictureKind::noise});
  const std::vector<av::Packet> session = repeated(clip.in_time_order(), 4, 2'100'000);
  auto recorder = test::start_recording(dir / "disk" / "session.mkv", clip.streams());
  ASSERT_TRUE(recorder);

  // The encoders' threads push; none of them may wait on the disk.
  auto pushing = std::async(std::launch::async, [&] {
    for (const av::Packet& p : session) recorder->push(*p);
  });
  EXPECT_EQ(pushing.wait_until(test::deadline_after(30s)), std::future_status::ready) << "push() blocked";
  pushing.wait();
  EXPECT_TRUE(test::wait_until(test::deadline_after(30s), [&] { return recorder->failed(); }));
  recorder->close();
  EXPECT_TRUE(recorder->failed());
  // What reached the muxer: the disk's 300 kB and the cluster it could not take, not the 2 MB.
  EXPECT_GT(recorder->bytes_written(), 100'000);
  EXPECT_LT(recorder->bytes_written(), 450'000);

  const test::ProbeResult probe = test::probe_media(dir / "disk" / "session.mkv");
  ASSERT_TRUE(probe.file) << probe.error;
  EXPECT_EQ(probe.file->streams.size(), 2u);
  const test::DecodedVideo decoded = test::decode_video(dir / "disk" / "session.mkv");
  EXPECT_EQ(decoded.error, "");
  EXPECT_GE(decoded.frames.size(), 15u);  // ~1 s of 2 Mbit/s fits
  EXPECT_LE(decoded.decode_errors, 1);     // the packet the disk cut in half, at most
}

TEST(Recorder, ADiskTooSlowToKeepUpMakesItDropAndCountPacketsInsteadOfStallingTheEncoders) {
  const test::TempDir dir("recorder-slow-disk");
  // A FIFO nobody reads yet: the writer thread blocks on it as on a disk that has stalled.
  const std::filesystem::path fifo = dir / "stalled.mkv";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0) << std::strerror(errno);
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0) << std::strerror(errno);
  const IgnoreSigpipe keep_running;
  // ~1 MB a repetition, 100 of them: more than the recorder's 64 MB queue.
  const EncodedClip clip = test::encode_clip(
      {.video = test::small_video_settings(4000), .seconds = 2, .picture = test::PictureKind::noise});
  const std::vector<av::Packet> session = repeated(clip.in_time_order(), 100, 2'100'000);
  auto recorder = test::start_recording(fifo, clip.streams());
  if (!recorder) ::close(reader);
  ASSERT_TRUE(recorder);

  // From here to the drain, nothing may return early: the recorder cannot close before the
  // FIFO is read.
  auto pushing = std::async(std::launch::async, [&] {
    for (const av::Packet& p : session) recorder->push(*p);
  });
  EXPECT_EQ(pushing.wait_until(test::deadline_after(30s)), std::future_status::ready) << "push() blocked";
  EXPECT_GT(recorder->packets_dropped(), 0);
  EXPECT_FALSE(recorder->failed());  // slow is not broken: what was queued is still written

  // The disk comes back (which also ends a push() that blocked): everything queued reaches the file.
  ::fcntl(reader, F_SETFL, ::fcntl(reader, F_GETFL) & ~O_NONBLOCK);
  std::thread drain([&] {
    std::ofstream out(dir / "drained.mkv", std::ios::binary);
    char buffer[1 << 16];
    for (;;) {
      const ssize_t n = ::read(reader, buffer, sizeof buffer);
      if (n <= 0) break;  // EOF: the recorder closed the file
      out.write(buffer, n);
    }
  });
  pushing.wait();
  recorder->close();
  drain.join();
  ::close(reader);
  EXPECT_FALSE(recorder->failed());

  // Everything not counted as dropped is there; what went is whole GOPs of picture: the sound
  // is all there and the picture decodes without an error.
  const int64_t dropped = recorder->packets_dropped();
  const test::ProbeResult probe = test::probe_media(dir / "drained.mkv");
  ASSERT_TRUE(probe.file) << probe.error;
  EXPECT_EQ(static_cast<int64_t>(probe.file->packets.size()), static_cast<int64_t>(session.size()) - dropped);
  const auto audio_in = std::count_if(session.begin(), session.end(),
                                      [](const av::Packet& p) { return p->stream_index == kAudio; });
  EXPECT_EQ(static_cast<int64_t>(probe.file->packets_of(kAudio).size()), audio_in) << "sound was dropped";
  const test::DecodedVideo decoded = test::decode_video(dir / "drained.mkv");
  EXPECT_EQ(decoded.error, "");
  EXPECT_EQ(decoded.decode_errors, 0) << "a torn picture: video dropped from the middle of a GOP";
}

// Ctrl-C must end a session within 2 s even when the disk is slow: close() gives the queue
// Recorder::kCloseDrain, then finalises without the rest. A disk taking 2 MB/s behind 30 MB
// queued would otherwise hold the close for 15 s.
TEST(Recorder, CloseOnASlowDiskIsBoundedAndWhatWasWrittenPlays) {
  const test::TempDir dir("recorder-slow-close");
  const std::filesystem::path fifo = dir / "slow.mkv";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0) << std::strerror(errno);
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0) << std::strerror(errno);
  ::fcntl(reader, F_SETFL, ::fcntl(reader, F_GETFL) & ~O_NONBLOCK);
  const IgnoreSigpipe keep_running;
  const EncodedClip clip = test::encode_clip(
      {.video = test::small_video_settings(4000), .seconds = 2, .picture = test::PictureKind::noise});
  const std::vector<av::Packet> session = repeated(clip.in_time_order(), 30, 2'100'000);
  auto recorder = test::start_recording(fifo, clip.streams());
  if (!recorder) ::close(reader);
  ASSERT_TRUE(recorder);
  std::mutex pace_mutex;
  std::condition_variable pace;
  bool done = false;  // guarded by pace_mutex: the disk speeds up
  std::thread slow_disk([&] {  // takes 64 kB every 32 ms (2 MB/s) until done
    std::ofstream out(dir / "written.mkv", std::ios::binary);
    char buffer[1 << 16];
    auto next = std::chrono::steady_clock::now();
    for (;;) {
      const ssize_t n = ::read(reader, buffer, sizeof buffer);
      if (n <= 0) break;
      out.write(buffer, n);
      next += 32ms;
      std::unique_lock lock(pace_mutex);
      pace.wait_until(lock, next, [&] { return done; });
    }
  });
  for (const av::Packet& p : session) recorder->push(*p);
  auto closing = std::async(std::launch::async, [&] { recorder->close(); });
  const bool bounded = closing.wait_until(test::deadline_after(5s)) == std::future_status::ready;
  {
    const std::lock_guard lock(pace_mutex);
    done = true;  // the disk speeds up: a close that overran ends now
  }
  pace.notify_all();
  closing.wait();
  slow_disk.join();
  ::close(reader);
  EXPECT_TRUE(bounded) << "close() waited for the whole queue to reach a slow disk";
  EXPECT_GT(recorder->packets_dropped(), 0);
  const test::DecodedVideo decoded = test::decode_video(dir / "written.mkv");
  EXPECT_EQ(decoded.error, "");
  EXPECT_GE(decoded.frames.size(), 30u);
}

TEST(Recorder, DiscardLeavesNoFileBehind) {
  const test::TempDir dir("recorder-discard");
  const EncodedClip clip = test::encode_clip({.seconds = 1});
  auto recorder = test::start_recording(dir / "recorded.mkv", clip.streams());
  ASSERT_TRUE(recorder);
  test::push_all(*recorder, clip.in_time_order());
  recorder->discard();
  EXPECT_FALSE(std::filesystem::exists(dir / "recorded.mkv"));

  // A session that failed before anything was recorded.
  auto created = Recorder::create((dir / "never-opened.mkv").string());
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<Recorder>>(created));
  EXPECT_TRUE(std::filesystem::exists(dir / "never-opened.mkv"));
  std::get<std::unique_ptr<Recorder>>(created)->discard();
  EXPECT_FALSE(std::filesystem::exists(dir / "never-opened.mkv"));
}

TEST(Recorder, DestroyingAnOpenRecorderFinalisesTheFile) {
  const test::TempDir dir("recorder-destroyed");
  const EncodedClip clip = test::encode_clip({.seconds = 2});
  {
    auto recorder = test::start_recording(dir / "session.mkv", clip.streams());
    ASSERT_TRUE(recorder);
    test::push_all(*recorder, clip.in_time_order());
  }
  const test::ProbeResult probe = test::probe_media(dir / "session.mkv");
  ASSERT_TRUE(probe.file) << probe.error;
  EXPECT_NEAR(probe.file->duration_s, 2.0, 0.05);
  EXPECT_EQ(probe.file->packets_of(kVideo).size(), clip.video_packets.size());
  EXPECT_EQ(probe.file->packets_of(kAudio).size(), clip.audio_packets.size());
}

}  // namespace
}  // namespace cunbo
