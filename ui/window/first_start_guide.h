// The first-start guide (no config file yet: StudioSnapshot::needs_setup), four steps:
//   1 欢迎 + language (switches the window's language at once)
//   2 选择摄像头和麦克风
//   3 测一测电脑: probe_encode_speed on a worker thread, a progress bar, the chosen preset; 跳过
//   4 推流地址: paste the platform's push URL + key, 测网速 if the host wants (uplink_check.h: the
//     quality then fits the uplink too), and 完成, or 先练习一下 (practice mode)
// Finishing saves the config through the window's save function (Studio::save_config) and calls
// on_done; after that a new host goes live with 开始直播. A modal sheet (modal_sheet.h): the step's
// title on top, 上一步 / 下一步 always in view at the bottom. UI thread only.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "client/config/config.h"
#include "client/studio/probe_runner.h"
#include "ui/window/device_picker.h"
#include "ui/window/modal_sheet.h"
#include "ui/window/settings_form.h"
#include "ui/window/uplink_check.h"

namespace cunbo::ui {

// 测一测电脑's outcome in plain words: "这台电脑可以流畅直播 标清 720p", the slow warning, or why
// there is no answer. Never "倍实时": a host wants to know what they can do, not the ratio.
[[nodiscard]] std::string probe_outcome(const ProbeResult& result);
// The higher quality the test found too much for this computer, when it measured one.
[[nodiscard]] std::optional<std::string> probe_beyond(const ProbeResult& result);

struct GuideResult {
  bool practice = false;  // 先练习一下: start with 练习模式 on
};

class FirstStartGuide final : public ModalSheet {
 public:
  enum class Step { welcome, devices, probe, destination };
  static constexpr int kSteps = 4;

  using LoadFn = std::function<Config()>;
  using SaveFn = std::function<std::optional<std::string>(const Config&)>;
  using DoneFn = std::function<void(GuideResult)>;
  // Open from the start. `probe`, `uplink` and `devices`: the studio's (they outlive the guide).
  FirstStartGuide(LoadFn load, SaveFn save, DoneFn on_done, ProbeRunner& probe, UplinkRunner& uplink,
                  DeviceLister& devices);
  ~FirstStartGuide() override;  // cancels a running probe

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
  [[nodiscard]] bool probe_running() const { return probe_.running(); }
  // The probe's result once it finished.
  [[nodiscard]] std::optional<ProbeResult> probe_result() const { return probe_.result(); }
  // 测网速 on the last step.
  [[nodiscard]] UplinkCheck& uplink_check() { return uplink_check_; }
  // As SettingsPanel::update(): before collect_text().
  void update() { uplink_check_.poll(form_.quality); }

  // Every text the guide draws in the current language plus the host's own (see SettingsPanel).
  void collect_text(std::string& out) const;

 protected:
  [[nodiscard]] std::string heading() const override;
  void draw_body() override;
  void draw_footer() override;

 private:
  void ensure_loaded();
  void go_to(Step step);
  void draw_welcome();
  void draw_devices();
  void draw_probe();
  void draw_destination();

  LoadFn load_;
  SaveFn save_;
  DoneFn on_done_;
  ProbeRunner& probe_;
  DeviceLister& devices_;
  Step step_ = Step::welcome;
  bool loaded_ = false;
  Config base_;
  SettingsForm form_;
  std::optional<std::string> error_;
  bool probe_applied_ = false;  // the chosen preset went into the form
  UplinkCheck uplink_check_;
};

}  // namespace cunbo::ui
