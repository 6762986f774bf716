// The encode-speed test: a short run still picks a preset from real measurements, it stops at
// once when asked, and it tells the host the result in plain words.
#include "client/studio/probe.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "client/config/config.h"
#include "client/base/strings.h"

namespace cunbo {
namespace {

using namespace std::chrono_literals;

TEST(Probe, AShortBudgetStillPicksAPresetFromMeasuredSpeeds) {
  // The budget is what ends the probe (its encode loops have no other end): a 1.5 s probe is
  // over well within 30 s even under ASan beside other encodes, or it is stopped and fails.
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<float> progress;
  std::optional<ProbeResult> finished;
  std::jthread worker([&](std::stop_token stop) {
    ProbeResult r = probe_encode_speed(1500ms, [&](float p) {
      const std::lock_guard lock(mutex);
      progress.push_back(p);
    }, stop);
    const std::lock_guard lock(mutex);
    finished = std::move(r);
    changed.notify_all();
  });
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 30s, [&] { return finished.has_value(); })) << "the budget did not end the probe";
  }
  worker.join();
  const ProbeResult& result = *finished;

  ASSERT_TRUE(result.chosen) << result.error;
  EXPECT_FALSE(result.cancelled);
  EXPECT_TRUE(result.error.empty()) << result.error;
  EXPECT_EQ(validate_config_value("quality", std::string(quality_name(*result.chosen))), std::nullopt);
  ASSERT_FALSE(result.speeds.empty());
  EXPECT_EQ(result.speeds.front().quality, Quality::smooth_480p) << "measured from the smallest preset up";
  for (const PresetSpeed& s : result.speeds) {
    EXPECT_GT(s.fps, 0) << quality_name(s.quality);
    EXPECT_GE(s.frames, 3);
  }
  // The chosen preset is the highest one measured fast enough (or 480p, flagged slow).
  const PresetSpeed* chosen = result.speed_of(*result.chosen);
  ASSERT_NE(chosen, nullptr);
  if (result.slow) EXPECT_LT(chosen->realtime(), kProbeHeadroom);
  else EXPECT_GE(chosen->realtime(), kProbeHeadroom);

  ASSERT_FALSE(progress.empty());
  EXPECT_FLOAT_EQ(progress.back(), 1.0f);
  for (size_t i = 1; i < progress.size(); ++i) EXPECT_GE(progress[i], progress[i - 1]);
}

TEST(Probe, StopsPromptlyWhenCancelled) {
  std::mutex mutex;
  std::condition_variable changed;
  bool started = false;
  std::optional<ProbeResult> result;
  std::jthread worker([&](std::stop_token stop) {
    ProbeResult r = probe_encode_speed(60s, [&](float p) {
      if (p <= 0) return;
      const std::lock_guard lock(mutex);
      started = true;
      changed.notify_all();
    }, stop);
    const std::lock_guard lock(mutex);
    result = std::move(r);
    changed.notify_all();
  });
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 20s, [&] { return started; })) << "the test never started encoding";
  }
  worker.request_stop();
  std::unique_lock lock(mutex);
  // The budget is a minute: a cancel that was not heard would keep encoding far past 10 s.
  ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return result.has_value(); })) << "still encoding 10 s after cancel";
  EXPECT_TRUE(result->cancelled);
  EXPECT_FALSE(result->chosen);
}

TEST(Probe, ReturnsAtOnceWhenStoppedBeforeItStarts) {
  std::stop_source source;
  source.request_stop();
  const ProbeResult result = probe_encode_speed(10s, {}, source.get_token());
  EXPECT_TRUE(result.cancelled);
  EXPECT_TRUE(result.speeds.empty());
}

TEST(Probe, SaysTheResultInPlainWords) {
  ProbeResult result;
  result.speeds = {{Quality::smooth_480p, 210, 100}, {Quality::standard_720p, 96, 100}, {Quality::high_1080p, 40, 50}};
  result.chosen = Quality::standard_720p;
  set_language(Language::zh_CN);
  EXPECT_EQ(probe_summary(result), "这台电脑适合：标清 720p（编码速度 3.2 倍实时）");
  set_language(Language::en);
  EXPECT_EQ(probe_summary(result), "This computer suits: Standard 720p (encodes at 3.2× real time)");

  ProbeResult slow;
  slow.speeds = {{Quality::smooth_480p, 36, 40}};
  slow.chosen = Quality::smooth_480p;
  slow.slow = true;
  set_language(Language::zh_CN);
  EXPECT_EQ(probe_summary(slow), "这台电脑编码较慢（1.2 倍实时）：请用流畅 480p，开播时关掉其他程序");

  ProbeResult cancelled;
  cancelled.cancelled = true;
  EXPECT_EQ(probe_summary(cancelled), "测试已取消");
}

}  // namespace
}  // namespace cunbo
