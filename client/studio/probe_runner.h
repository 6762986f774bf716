// The window's two measurements, each on a worker thread with its progress and result readable
// from the UI thread at any time, cancelled by 跳过 / 停止 (task_runner.h). The studio owns one
// of each; the first-start guide and 设置 use them.
//   ProbeRunner: the encode-speed test (client/studio/probe.h).
//   UplinkRunner: 测网速, the uplink test to a push address (client/studio/uplink_probe.h).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>

#include "client/studio/probe.h"
#include "client/studio/task_runner.h"
#include "client/studio/uplink_probe.h"

namespace cunbo {

class ProbeRunner {
 public:
  // probe_encode_speed's signature: tests give a fast fake.
  using ProbeFn = std::function<ProbeResult(std::chrono::milliseconds, std::function<void(float)>, std::stop_token)>;

  // `probe` defaults to probe_encode_speed; `budget` is the whole test's time.
  explicit ProbeRunner(ProbeFn probe = {}, std::chrono::milliseconds budget = std::chrono::seconds(10));

  // Starts a probe (a finished one's result is forgotten); no-op while one runs.
  void start();
  // The worker notices within one frame's encode; its (cancelled) result is kept as such.
  void cancel() { task_.cancel(); }
  [[nodiscard]] bool running() const { return task_.running(); }
  [[nodiscard]] float progress() const { return task_.progress(); }  // 0…1
  // Once a probe has finished.
  [[nodiscard]] std::optional<ProbeResult> result() const { return task_.result(); }

 private:
  ProbeFn probe_;
  std::chrono::milliseconds budget_;
  TaskRunner<ProbeResult> task_{"probe"};  // last: joined before probe_ goes
};

class UplinkRunner {
 public:
  // probe_uplink's signature: tests give a fake.
  using UplinkFn =
      std::function<UplinkResult(const Destination&, const std::string&, std::function<void(float)>, std::stop_token)>;

  explicit UplinkRunner(UplinkFn uplink = {});

  // Measures the uplink to `destination` (a real publish of about 8 s); no-op while one runs.
  void start(Destination destination, std::string ca_file);
  void cancel() { task_.cancel(); }  // the publish ends within a tick
  [[nodiscard]] bool running() const { return task_.running(); }
  [[nodiscard]] float progress() const { return task_.progress(); }
  [[nodiscard]] std::optional<UplinkResult> result() const { return task_.result(); }

 private:
  UplinkFn uplink_;
  TaskRunner<UplinkResult> task_{"uplink"};
};

}  // namespace cunbo
