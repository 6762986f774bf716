// The first-start guide (no config file yet: StudioSnapshot::needs_setup), four steps:
//   1 欢迎 + language (switches the window's language at once)
//   2 选择摄像头和麦克风
//   3 测一测电脑: probe_encode_speed on a worker thread, a progress bar, the chosen preset; 跳过
//   4 推流地址: paste the platform's push URL + key and 完成, or 先练习一下 (practice mode)
// Finishing saves the config through the window's save function (Studio::save_config) and calls
// on_done; after that a new host goes live with 开始直播. UI thread only.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>

#include "client/config/config.h"
#include "client/studio/probe.h"
#include "ui/window/device_picker.h"
#include "ui/window/panel.h"
#include "ui/window/settings_form.h"

namespace cunbo::ui {

struct GuideResult {
  bool practice = false;  // 先练习一下: start with 练习模式 on
};

class FirstStartGuide final : public Panel {
 public:
  enum class Step { welcome, devices, probe, destination };
  static constexpr int kSteps = 4;

  using LoadFn = std::function<Config()>;
  using SaveFn = std::function<std::optional<std::string>(const Config&)>;
  using DoneFn = std::function<void(GuideResult)>;
  // probe_encode_speed's signature: tests give a fast fake.
  using ProbeFn =
      std::function<ProbeResult(std::chrono::milliseconds, std::function<void(float)>, std::stop_token)>;

  // Open from the start. `probe` defaults to probe_encode_speed with a 10 s budget.
  FirstStartGuide(LoadFn load, SaveFn save, DoneFn on_done, ProbeFn probe = {}, DeviceLister::ListFn list_devices = {},
                  std::chrono::milliseconds probe_budget = std::chrono::seconds(10));
  ~FirstStartGuide() override;  // cancels a running probe and waits for it (one frame's encode)

  [[nodiscard]] Step step() const { return step_; }
  // The buttons' actions (tests call them directly).
  void next();
  void back();
  void skip_probe();
  // 完成 (practice = false: needs a push URL) or 先练习一下 (practice = true): saves and calls
  // on_done. Returns false with error() set when the form cannot be saved.
  bool finish(bool practice);

  [[nodiscard]] SettingsForm& form() { return form_; }
  [[nodiscard]] const std::optional<std::string>& error() const { return error_; }
  [[nodiscard]] bool probe_running() const { return probe_running_.load(); }
  // The probe's result once it finished (not cancelled by 跳过).
  [[nodiscard]] std::optional<ProbeResult> probe_result() const;

  // Every text the guide draws in the current language plus the host's own (see SettingsPanel).
  void collect_text(std::string& out) const;

 protected:
  void draw_content() override;

 private:
  void ensure_loaded();
  void go_to(Step step);
  void start_probe();
  void draw_welcome();
  void draw_devices();
  void draw_probe();
  void draw_destination();
  void draw_buttons();

  LoadFn load_;
  SaveFn save_;
  DoneFn on_done_;
  ProbeFn probe_;
  std::chrono::milliseconds probe_budget_;
  Step step_ = Step::welcome;
  bool loaded_ = false;
  Config base_;
  SettingsForm form_;
  std::optional<std::string> error_;
  bool probe_applied_ = false;  // the chosen preset went into the form

  mutable std::mutex probe_mutex_;
  std::optional<ProbeResult> probe_result_;  // guarded by probe_mutex_
  std::atomic<float> probe_progress_{0};
  std::atomic<bool> probe_running_{false};

  DeviceLister devices_;
  std::jthread probe_thread_;  // last: stopped and joined before the members it uses go
};

}  // namespace cunbo::ui
