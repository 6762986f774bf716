// The camera and microphone pickers of the settings panel and the first-start guide: the
// studio's device lists (client/studio/device_lister.h: listed on a worker thread, the window
// never waits), shown the way `cunbo devices` shows them, with the test picture / test tone
// always there.
#pragma once

#include <string>
#include <vector>

#include "client/studio/device_lister.h"

namespace cunbo::ui {

// One line of a picker.
struct PickerEntry {
  std::string label;
  std::string spec;      // what the config stores; empty for a note that cannot be chosen
  bool enabled = true;
};

// The camera picker's lines: every camera ("HD Webcam C270（v4l2:/dev/video0）"), or 没有找到摄像头,
// then 测试画面; while the first listing runs, 正在查找设备…; a `current` spec not among them
// (a file, an unplugged camera) stays as 其他：spec, so opening the picker loses nothing.
[[nodiscard]] std::vector<PickerEntry> camera_entries(const DeviceLists* lists, const std::string& current);
// The same for microphones: default first (（默认）), monitors marked, then 测试声音.
[[nodiscard]] std::vector<PickerEntry> microphone_entries(const DeviceLists* lists, const std::string& current);

// A combo box over `entries`; sets `spec` and returns true when the host picks another line.
// ImGui: UI thread, inside a window.
bool draw_picker(const char* id, const std::vector<PickerEntry>& entries, std::string& spec);

// The camera and microphone rows of a form (labels in a column `label_column` wide, a 刷新
// button beside the camera): the pickers over `devices`' last listing, editing `video` and
// `audio`. ImGui: UI thread, inside a window.
void draw_device_pickers(DeviceLister& devices, std::string& video, std::string& audio, float label_column);

// The label the picker shows for `spec` (the entry's, else the spec itself).
[[nodiscard]] std::string picker_label(const std::vector<PickerEntry>& entries, const std::string& spec);

}  // namespace cunbo::ui
