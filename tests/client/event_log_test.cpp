// The session's event log: one JSON line per event, written off the threads that post them, and
// a disk that refuses lines costs lines (counted), never a wait.
#include "client/session/event_log.h"

#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.h"

namespace cunbo {
namespace {

std::vector<nlohmann::json> read_lines(const std::filesystem::path& path) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

TEST(EventLog, WritesEachEventAsOneLineStampedWithSessionTime) {
  test::TempDir dir("event-log");
  SessionClock clock;
  const auto path = dir / "s.mkv.events.jsonl";
  {
    EventLog log(path, clock);
    log.post(event::Encoder{1, 1280, 720, 30, 2000, 2, true});  // before start and origin: t = 0
    log.start();
    log.set_origin(clock.now_us() - 2'500'000);  // the session started 2.5 s ago
    log.post(event::DestinationState{1, "rtmp://h/live/****", "reconnecting", "refused", 3, 1.5});
    log.post(event::Showcase{std::nullopt});
    log.post(event::Comment{"m-1", std::string("bad \xff utf-8")});
    log.request_stop();
    log.join();
    EXPECT_EQ(log.lost_lines(), 0);
  }
  const auto lines = read_lines(path);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].at("event"), "encoder");
  EXPECT_EQ(lines[0].at("t"), 0.0);
  EXPECT_EQ(lines[0].at("destinations"), 2);
  EXPECT_EQ(lines[1].at("event"), "state");
  EXPECT_EQ(lines[1].at("reason"), "refused");
  EXPECT_EQ(lines[1].at("attempt"), 3);
  EXPECT_NEAR(lines[1].at("t").get<double>(), 2.5, 0.5);
  EXPECT_TRUE(lines[2].at("product_id").is_null());
  EXPECT_EQ(lines[3].at("event"), "comment");  // invalid UTF-8 replaced, not thrown
}

TEST(EventLog, AFullDiskLosesLinesAndCountsThemWithoutHoldingUpThePoster) {
  SessionClock clock;
  EventLog log("/dev/full", clock);  // opens fine; every write fails with ENOSPC
  // No writer yet: the queue fills and the rest is lost at once. A post() that waited for room
  // would hang this test.
  constexpr int kPosted = 20'000;
  for (int i = 0; i < kPosted; ++i) log.post(event::Bitrate{i});
  EXPECT_EQ(log.lost_lines(), kPosted - static_cast<int64_t>(EventLog::kMaxQueued));
  // The writer takes what is queued to a disk that refuses every line.
  log.start();
  log.request_stop();
  log.join();
  EXPECT_EQ(log.lost_lines(), kPosted);
}

TEST(EventLog, AFolderThatCannotBeWrittenLogsNothingAndBreaksNothing) {
  SessionClock clock;
  EventLog log("/nonexistent-folder/s.events.jsonl", clock);
  log.start();
  log.post(event::Bitrate{500});
  log.request_stop();
  log.join();
  EXPECT_EQ(log.lost_lines(), 0);
}

}  // namespace
}  // namespace cunbo
