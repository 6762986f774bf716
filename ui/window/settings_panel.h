// 设置: everything a host sets once — where to stream (URL + key), the platform's API and token,
// the quality preset (and 测网速, which picks it), camera and microphone, shop name, card position and language — edited in a
// SettingsForm and saved through the window's save function (Studio::save_config) with 保存.
// Keys and the token show as ●●●● unless 显示 is ticked. A modal sheet (modal_sheet.h): 保存 and
// 取消 stay in view under the fields, which scroll. UI thread only.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "client/config/config.h"
#include "client/studio/studio.h"
#include "ui/window/device_picker.h"
#include "ui/window/modal_sheet.h"
#include "ui/window/settings_form.h"
#include "ui/window/uplink_check.h"

namespace cunbo::ui {

// The window's save function for 设置 and the first-start guide: Studio::save_config, and once
// saved, a message left by a failed 开始直播 goes (it was about the settings just replaced; the
// next 开始直播 says anew what is wrong). The snapshot right after shows the saved settings.
[[nodiscard]] std::optional<std::string> save_settings(Studio& studio, const Config& config);

class SettingsPanel final : public ModalSheet {
 public:
  using LoadFn = std::function<Config()>;
  // Returns a host-facing error message, or nullopt when saved (Studio::save_config).
  using SaveFn = std::function<std::optional<std::string>(const Config&)>;

  // Starts closed; show() opens it. `devices`, `speed`, `uplink`: the studio's (outlive the panel).
  SettingsPanel(LoadFn load, SaveFn save, DeviceLister& devices, ProbeRunner& speed, UplinkRunner& uplink);

  // Opens the panel on the saved config and lists the devices (on a worker thread). The language
  // choice starts at the language the window speaks (which --lang or the locale may have set).
  void show();
  // 保存: validates and saves; on success applies the language and closes the panel. Returns
  // whether it saved; otherwise error() says why.
  bool save();
  // 取消: forgets the edits and closes the panel.
  void cancel();

  // Every text the panel draws in the current language, the host's own text (URLs, shop name;
  // secrets only while shown) and the device names: feed it to FontSet::ensure_glyphs each frame.
  void collect_text(std::string& out) const;

  // The form being edited (tests; the window may set the quality the probe chose).
  [[nodiscard]] SettingsForm& form() { return form_; }
  // 测网速, next to the quality: to the first push address, not while live.
  [[nodiscard]] UplinkCheck& uplink_check() { return uplink_check_; }
  void set_live(bool live) { live_ = live; }
  // Takes what a running 测网速 has finished, before collect_text(): its sentence's glyphs are
  // then in the atlas on the frame that first draws it.
  void update() { uplink_check_.poll(form_.quality); }
  [[nodiscard]] const std::optional<std::string>& error() const { return error_; }
  // The device lists have arrived (tests wait for this).
  [[nodiscard]] bool devices_listed() const { return devices_.lists() != nullptr && !devices_.listing(); }

 protected:
  [[nodiscard]] std::string heading() const override;
  void draw_body() override;
  void draw_footer() override;

 private:
  void load_form();
  void draw_destinations(float column);
  void draw_platform(float column);
  void draw_devices(float column);
  void draw_framing(float column);  // 竖屏 / 横屏, fill / fit and its nudge, the mounting
  void draw_stream_look(float column);

  LoadFn load_;
  SaveFn save_;
  Config base_;  // the config as loaded: what the form does not edit is saved unchanged
  SettingsForm form_;
  bool loaded_ = false;
  std::optional<std::string> error_;
  DeviceLister& devices_;
  UplinkCheck uplink_check_;
  bool live_ = false;
};

}  // namespace cunbo::ui
