// Stream keys from the host's side: a key the platform refuses is reported as such and not
// hammered, and no key ever shows in what the program prints, logs or shows in the process list.
#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/stream_harness.h"
#include "tests/support/nginx_rtmp.h"

namespace cunbo::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kExitKeyRejected = 5;  // README.md, "Exit status"

// What the process list shows for `pid`: its arguments, NUL-separated, as one string.
std::string proc_cmdline(pid_t pid) {
  std::string all = read_text_file("/proc/" + std::to_string(pid) + "/cmdline");
  for (char& c : all) {
    if (c == '\0') c = ' ';
  }
  return all;
}

void write_key_file(const std::filesystem::path& path, const std::string& text, mode_t mode) {
  write_text_file(path, text);
  ASSERT_EQ(::chmod(path.c_str(), mode), 0);
}

TEST_F(Stream, RejectedKeyIsReportedAndNotHammered) {
  NginxRtmp nginx;
  nginx.auth().refuse("wrong-key");
  constexpr double kSeconds = 6;
  const auto stream = start_stream(
      {"--duration", "6", "--dest", nginx.url_with_key("wrong-key"), "--dest", nginx.url_with_key("right-key")});
  const bool rejected = wait_for_log(
      stream->started_at() + 5s, [](const EventLog& l) { return l.first("state", 1, "key_rejected").has_value(); },
      stream.get());
  EXPECT_TRUE(rejected) << "no \"key_rejected\" state within 5 s\n" << describe(*stream);

  const RunResult r = stream->finish(deadline_after(kStreamOverhead + 10s));
  EXPECT_TRUE(r.status.exited && r.status.code == kExitKeyRejected)
      << "exit status 5 says a key was rejected\n"
      << describe(r);
  EXPECT_LE(nginx.auth().attempts("wrong-key"), 3U) << "the refused key is hammered";
  EXPECT_GE(nginx.auth().attempts("wrong-key"), 1U);
  // The host is told, in words, which destination (its key masked).
  EXPECT_THAT(r.err, HasSubstr("密钥被拒绝")) << r.describe();
  EXPECT_THAT(r.err, HasSubstr(nginx.url() + "/****"));
  EXPECT_THAT(r.err + r.out + events().text, Not(HasSubstr("wrong-key")));
  const EventLog log = events();
  const auto state = log.first("state", 1, "key_rejected");
  ASSERT_TRUE(state) << log.text;
  EXPECT_FALSE(event_text(*state, "url").empty());

  // The other destination streamed on to the end, once.
  ASSERT_TRUE(nginx.wait_until_idle(deadline_after(10s)));
  EXPECT_EQ(nginx.auth().attempts("right-key"), 1U);
  const auto recordings = nginx.recordings();
  ASSERT_EQ(recordings.size(), 1U);
  EXPECT_THAT(recordings[0].filename().string(), HasSubstr("right-key"));
  Recorded right;
  ASSERT_TRUE(probe_recording(recordings[0], right));
  EXPECT_NEAR(right.video.duration_s, kSeconds, 0.3);
  EXPECT_NEAR(right.audio.duration_s, kSeconds, 0.3);
  EXPECT_LE(right.video.largest_gap_s, 0.1);
}

TEST_F(Stream, KeysNeverAppearInOutput) {
  NginxRtmp nginx;
  const std::string key1 = "sk-live-7f3a9c1e5b42";
  const std::string key2 = "sk-live-2d8e4b6a0c97";
  const auto key_file = cunbo.work_dir() / "keys.txt";
  write_key_file(key_file, key1 + "\n" + key2 + "\n", 0600);

  const auto stream =
      start_stream({"--duration", "3", "--key-file", key_file.string(), "--dest", nginx.url(), "--dest", nginx.url()});
  ASSERT_TRUE(wait_for_log(deadline_after(15s),
                           [](const EventLog& l) {
                             return l.first("state", 1, "live").has_value() && l.first("state", 2, "live").has_value();
                           },
                           stream.get()))
      << describe(*stream);
  const std::string cmdline = proc_cmdline(stream->pid());
  EXPECT_THAT(cmdline, HasSubstr("--key-file")) << "read the wrong process";
  EXPECT_THAT(cmdline, Not(HasSubstr(key1)));
  EXPECT_THAT(cmdline, Not(HasSubstr(key2)));

  const RunResult r = stream->finish(deadline_after(kStreamOverhead));
  ASSERT_TRUE(r.status.success()) << describe(r);
  // The keys did reach the server, each for its own destination…
  EXPECT_EQ(nginx.auth().attempts(key1), 1U);
  EXPECT_EQ(nginx.auth().attempts(key2), 1U);
  // …and nothing else.
  const std::string everything = r.out + r.err + events().text;
  EXPECT_THAT(everything, Not(HasSubstr(key1)));
  EXPECT_THAT(everything, Not(HasSubstr(key2)));
  EXPECT_THAT(everything, Not(HasSubstr("sk-live")));
  EXPECT_THAT(r.err + events().text, HasSubstr(nginx.url() + "/****")) << "destinations are shown with the key masked";
  EXPECT_THAT(r.err, Not(HasSubstr(key_file.string()))) << "a 0600 key file needs no warning\n" << r.err;
}

TEST_F(Stream, InlineKeysAreMasked) {
  NginxRtmp nginx;
  const std::string key = "inline-key-5c1d9e";
  const RunResult r = run_stream({"--duration", "1.5", "--dest", nginx.url_with_key(key)}, 1.5);
  ASSERT_TRUE(r.status.success()) << describe(r);
  EXPECT_EQ(nginx.auth().attempts(key), 1U);
  const std::string everything = r.out + r.err + events().text;
  EXPECT_THAT(everything, Not(HasSubstr(key)));
  // Where the destination is named (the event log; stderr when it names it), the key is masked.
  EXPECT_THAT(events().text, HasSubstr(nginx.url() + "/****"));
}

TEST_F(Stream, KeyFileReadableByOthersGetsAWarning) {
  NginxRtmp nginx;
  const auto key_file = cunbo.work_dir() / "open-keys.txt";
  write_key_file(key_file, "open-key-8b7a\n", 0644);
  const RunResult r = run_stream({"--duration", "1", "--key-file", key_file.string(), "--dest", nginx.url()}, 1);
  ASSERT_TRUE(r.status.success()) << describe(r);
  bool warned = false;
  for (const std::string& line : lines_of(r.err)) warned = warned || line.find(key_file.string()) != std::string::npos;
  EXPECT_TRUE(warned) << "no warning line naming the key file\n" << r.err;
  EXPECT_THAT(r.out + r.err + events().text, Not(HasSubstr("open-key-8b7a")));
}

}  // namespace
}  // namespace cunbo::test
