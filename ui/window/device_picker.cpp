#include "ui/window/device_picker.h"

#include <imgui.h>

#include "client/base/strings.h"
#include "ui/window/settings_widgets.h"

namespace cunbo::ui {

namespace {

// Names come from drivers and sound servers: control characters would break the line.
std::string one_line(std::string text) {
  for (char& c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = ' ';
  }
  return text;
}

bool contains(const std::vector<PickerEntry>& entries, const std::string& spec) {
  for (const PickerEntry& e : entries) {
    if (e.enabled && e.spec == spec) return true;
  }
  return false;
}

void keep_current(std::vector<PickerEntry>& entries, const std::string& current) {
  if (!current.empty() && !contains(entries, current))
    entries.push_back({tr("settings.other_source", one_line(current)), current, true});
}

}  // namespace

std::vector<PickerEntry> camera_entries(const DeviceLists* lists, const std::string& current) {
  std::vector<PickerEntry> entries;
  if (!lists) {
    entries.push_back({tr("settings.listing"), {}, false});
  } else if (lists->cameras.empty()) {
    entries.push_back({tr("devices.no_cameras"), {}, false});
  } else {
    for (const Camera& camera : lists->cameras)
      entries.push_back({tr("settings.device_entry", one_line(camera.name), one_line(camera.spec)), camera.spec, true});
  }
  entries.push_back({tr("settings.test_picture"), "test", true});
  keep_current(entries, current);
  return entries;
}

std::vector<PickerEntry> microphone_entries(const DeviceLists* lists, const std::string& current) {
  std::vector<PickerEntry> entries;
  if (!lists) {
    entries.push_back({tr("settings.listing"), {}, false});
  } else if (lists->microphones.empty()) {
    entries.push_back({tr("devices.no_microphones"), {}, false});
  } else {
    for (const Microphone& mic : lists->microphones) {
      std::string label = tr("settings.device_entry", one_line(mic.name), one_line(mic.spec));
      if (mic.is_default) label += tr("devices.default");
      if (mic.is_monitor) label += tr("devices.monitor");
      entries.push_back({std::move(label), mic.spec, true});
    }
  }
  entries.push_back({tr("settings.test_sound"), "test", true});
  keep_current(entries, current);
  return entries;
}

std::string picker_label(const std::vector<PickerEntry>& entries, const std::string& spec) {
  for (const PickerEntry& e : entries) {
    if (e.enabled && e.spec == spec) return e.label;
  }
  return spec;
}

bool draw_picker(const char* id, const std::vector<PickerEntry>& entries, std::string& spec) {
  bool changed = false;
  const std::string preview = picker_label(entries, spec);
  if (ImGui::BeginCombo(id, preview.c_str())) {
    for (size_t i = 0; i < entries.size(); ++i) {
      const PickerEntry& e = entries[i];
      ImGui::PushID(static_cast<int>(i));
      if (!e.enabled) {
        ImGui::TextDisabled("%s", e.label.c_str());
      } else if (ImGui::Selectable(e.label.c_str(), e.spec == spec)) {
        changed = e.spec != spec;
        spec = e.spec;
      }
      if (e.enabled && e.spec == spec) ImGui::SetItemDefaultFocus();
      ImGui::PopID();
    }
    ImGui::EndCombo();
  }
  return changed;
}

void draw_device_pickers(DeviceLister& devices, std::string& video, std::string& audio, float label_column) {
  const auto lists = devices.lists();
  const ImGuiStyle& style = ImGui::GetStyle();
  const std::string& refresh_label = tr("settings.refresh");
  const float refresh_width = ImGui::CalcTextSize(refresh_label.c_str()).x + style.FramePadding.x * 2;
  const float combo_width = ImGui::GetContentRegionAvail().x - label_column - refresh_width - style.ItemSpacing.x;

  field_label(tr("settings.camera"), label_column);
  ImGui::SetNextItemWidth(combo_width);
  draw_picker("##camera", camera_entries(lists.get(), video), video);
  ImGui::SameLine();
  ImGui::BeginDisabled(devices.listing());
  if (ImGui::Button((refresh_label + "##refresh").c_str())) devices.refresh();
  ImGui::EndDisabled();

  field_label(tr("settings.microphone"), label_column);
  ImGui::SetNextItemWidth(combo_width);
  draw_picker("##microphone", microphone_entries(lists.get(), audio), audio);
}

}  // namespace cunbo::ui
