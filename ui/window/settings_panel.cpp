#include "ui/window/settings_panel.h"

#include <algorithm>
#include <array>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "client/studio/probe.h"
#include "media/audio_chain.h"
#include "media/enhance.h"
#include "client/base/strings.h"
#include "ui/window/settings_widgets.h"

namespace cunbo::ui {

namespace {

// The labels of the left column, whose widest sets the column's width.
constexpr std::string_view kFieldLabels[] = {
    "settings.dest_url", "settings.dest_key", "settings.api",      "settings.token",    "settings.camera",
    "settings.microphone", "settings.shop_name", "settings.card_position", "settings.quality", "settings.sound",
    "settings.mic_gain", "settings.beauty", "settings.brightness", "settings.contrast",
    "settings.saturation", "settings.warmth", "settings.orientation", "settings.framing", "settings.zoom",
    "settings.offset_x", "settings.offset_y", "settings.rotation", "settings.mirror"};

// The title is in both languages: Panel's title is fixed, and the language may change.
constexpr const char* kTitle = "设置 Settings###settings";

}  // namespace

std::optional<std::string> save_settings(Studio& studio, const Config& config) {
  if (auto error = studio.save_config(config)) return error;
  const StudioSnapshot snap = studio.snapshot();
  if (snap.failure && snap.message == snap.failure->message) studio.dismiss_message();
  return std::nullopt;
}

SettingsPanel::SettingsPanel(LoadFn load, SaveFn save, DeviceLister& devices, ProbeRunner& speed, UplinkRunner& uplink)
    : ModalSheet(kTitle),
      load_(std::move(load)),
      save_(std::move(save)),
      devices_(devices),
      uplink_check_(uplink, speed, true) {
  set_open(false);
}

void SettingsPanel::load_form() {
  base_ = load_ ? load_() : Config{};
  form_ = SettingsForm::from_config(base_);
  // What the window speaks now: a config without a language, or --lang, may differ from it.
  form_.language = current_language();
  error_.reset();
  loaded_ = true;
}

void SettingsPanel::show() {
  load_form();
  devices_.refresh();
  set_open(true);
}

bool SettingsPanel::save() {
  if (auto problem = form_.check(base_)) {
    error_ = std::move(problem);
    return false;
  }
  const Config config = form_.to_config(base_);
  if (auto failed = save_ ? save_(config) : std::nullopt) {
    error_ = std::move(failed);
    return false;
  }
  set_language(form_.language);
  base_ = config;
  error_.reset();
  loaded_ = false;  // the next opening reads the saved config again
  set_open(false);
  return true;
}

void SettingsPanel::cancel() {
  loaded_ = false;
  error_.reset();
  set_open(false);
}

namespace {
constexpr std::array kRotations{0, 90, 180, 270};  // how a camera can be mounted
}  // namespace

void SettingsPanel::collect_text(std::string& out) const {
  append_texts(out, kFieldLabels);
  append_texts(out, {"settings.title", "settings.language", "settings.section_destinations", "settings.dest_hint", "settings.show",
                     "settings.remove", "settings.add_dest", "settings.no_dest", "settings.section_platform",
                     "settings.platform_hint", "settings.quality_hint", "settings.shop_name_hint",
                     "settings.quality_480p", "settings.quality_720p", "settings.quality_1080p",
                     "settings.section_devices", "settings.refresh", "settings.section_stream_look",
                     "settings.card_bottom_left", "settings.card_bottom_right", "settings.card_top_right",
                     "settings.save", "settings.cancel", "settings.listing", "settings.denoise",
                     "settings.denoise_hint", "settings.light", "settings.beauty_off", "settings.beauty_hint",
                     "settings.tone_reset", "settings.tone_hint", "settings.portrait", "settings.landscape",
                     "settings.orientation_hint", "settings.orientation_live", "settings.framing_fill",
                     "settings.framing_fit", "settings.framing_centre", "settings.framing_hint",
                     "settings.mirror_preview", "settings.mirror_stream", "settings.mirror_hint"});
  for (const int r : kRotations) out += tr("settings.degrees", r);
  out += "+-.0123456789 dB";
  out += kTitle;
  out += "中文 English";
  out += kSecretDot;
  for (const DestinationRow& row : form_.destinations) {
    out += row.url;
    if (row.show_key) out += row.key;
  }
  out += form_.api;
  if (form_.show_token) out += form_.token;
  out += form_.shop_name;
  const auto lists = devices_.lists();
  for (const PickerEntry& e : camera_entries(lists.get(), form_.video)) out += e.label;
  for (const PickerEntry& e : microphone_entries(lists.get(), form_.audio)) out += e.label;
  uplink_check_.collect_text(out);
  if (error_) out += *error_;
}

void SettingsPanel::draw_destinations(float column) {
  section_heading(tr("settings.section_destinations"), look().bold);
  hint_text(tr("settings.dest_hint"));
  if (form_.destinations.empty()) ImGui::TextUnformatted(tr("settings.no_dest").c_str());
  std::optional<size_t> remove;
  for (size_t i = 0; i < form_.destinations.size(); ++i) {
    DestinationRow& row = form_.destinations[i];
    ImGui::PushID(static_cast<int>(i));
    if (i > 0) ImGui::Spacing();
    field_label(tr("settings.dest_url"), column);
    const std::string& remove_label = tr("settings.remove");
    const ImGuiStyle& style = ImGui::GetStyle();
    const float remove_width = ImGui::CalcTextSize(remove_label.c_str()).x + style.FramePadding.x * 2;
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - remove_width - style.ItemSpacing.x);
    ImGui::InputTextWithHint("##url", "rtmp://…", &row.url);
    if (ImGui::IsItemDeactivatedAfterEdit()) row.split_key_from_url();
    ImGui::SameLine();
    if (ImGui::Button((remove_label + "##remove").c_str())) remove = i;

    field_label(tr("settings.dest_key"), column);
    const std::string& show_label = tr("settings.show");
    const float show_width =
        ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize(show_label.c_str()).x;
    secret_input("##key", row.key, row.show_key, ImGui::GetContentRegionAvail().x - show_width - style.ItemSpacing.x);
    ImGui::SameLine();
    ImGui::Checkbox((show_label + "##show_key").c_str(), &row.show_key);
    ImGui::PopID();
  }
  if (remove) form_.destinations.erase(form_.destinations.begin() + static_cast<std::ptrdiff_t>(*remove));
  if (ImGui::Button((tr("settings.add_dest") + "##add_dest").c_str())) form_.destinations.push_back({});
  // 测网速 to the first push address, the one the host streams to first; it sets the quality.
  const DestinationRow* first = nullptr;
  for (const DestinationRow& row : form_.destinations)
    if (!trimmed(row.url).empty()) {
      first = &row;
      break;
    }
  ImGui::Spacing();
  uplink_check_.draw(first, base_.ca_file.value_or(""), form_.quality, live_, look().bold);
}

void SettingsPanel::draw_platform(float column) {
  section_heading(tr("settings.section_platform"), look().bold);
  hint_text(tr("settings.platform_hint"));
  field_label(tr("settings.api"), column);
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
  ImGui::InputTextWithHint("##api", "https://…", &form_.api);
  field_label(tr("settings.token"), column);
  const ImGuiStyle& style = ImGui::GetStyle();
  const std::string& show_label = tr("settings.show");
  const float show_width = ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize(show_label.c_str()).x;
  secret_input("##token", form_.token, form_.show_token,
               ImGui::GetContentRegionAvail().x - show_width - style.ItemSpacing.x);
  ImGui::SameLine();
  ImGui::Checkbox((show_label + "##show_token").c_str(), &form_.show_token);
}

void SettingsPanel::draw_devices(float column) {
  section_heading(tr("settings.section_devices"), look().bold);
  draw_device_pickers(devices_, form_.video, form_.audio, column);
  // Clean sound: applied to a live stream as soon as it is saved.
  field_label(tr("settings.sound"), column);
  ImGui::Checkbox((tr("settings.denoise") + "##denoise").c_str(), &form_.denoise);
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  hint_text(tr("settings.denoise_hint"));
  field_label(tr("settings.mic_gain"), column);
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 18));
  ImGui::SliderFloat("##mic_gain", &form_.mic_gain, static_cast<float>(AudioChainSettings::kMinGainDb),
                     static_cast<float>(AudioChainSettings::kMaxGainDb), "%+.1f dB");
}

void SettingsPanel::draw_stream_look(float column) {
  section_heading(tr("settings.section_stream_look"), look().bold);
  // 补光 and 美颜: applied to a live stream as soon as they are saved.
  field_label(tr("settings.beauty"), column);
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 18));
  ImGui::SliderInt("##beauty", &form_.beauty, 0, EnhanceSettings::kMaxBeauty, form_.beauty == 0 ? tr("settings.beauty_off").c_str() : "%d");
  ImGui::SameLine();
  ImGui::Checkbox((tr("settings.light") + "##light").c_str(), &form_.light);
  ImGui::SetCursorPosX(column);
  hint_text(tr("settings.beauty_hint"));
  static constexpr const char* kToneLabels[4] = {"settings.brightness", "settings.contrast", "settings.saturation",
                                                 "settings.warmth"};
  for (int i = 0; i < 4; ++i) {
    field_label(tr(kToneLabels[i]), column);
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 18));
    ImGui::SliderInt((std::string("##tone") + kToneLabels[i]).c_str(), &form_.tone[i], -EnhanceSettings::kToneRange,
                     EnhanceSettings::kToneRange, "%+d");
    if (i == 0) {
      ImGui::SameLine();
      if (ImGui::Button((tr("settings.tone_reset") + "##tone_reset").c_str())) std::fill_n(form_.tone, 4, 0);
    }
  }
  ImGui::SetCursorPosX(column);
  hint_text(tr("settings.tone_hint"));
  field_label(tr("settings.quality"), column);
  quality_radios(form_.quality);
  ImGui::SetCursorPosX(column);
  hint_text(tr("settings.quality_hint"));
  draw_framing(column);

  field_label(tr("settings.shop_name"), column);
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
  ImGui::InputTextWithHint("##shop_name", tr("settings.shop_name_hint").c_str(), &form_.shop_name);

  field_label(tr("settings.card_position"), column);
  int card = static_cast<int>(form_.card);
  const char* ids[] = {"settings.card_bottom_left", "settings.card_bottom_right", "settings.card_top_right"};
  for (int i = 0; i < 3; ++i) {
    if (i > 0) ImGui::SameLine();
    ImGui::RadioButton((tr(ids[i]) + "##card" + std::to_string(i)).c_str(), &card, i);
  }
  form_.card = static_cast<CardCorner>(card);

  section_heading(tr("settings.language"), look().bold);
  language_radios(form_.language);  // applied when saved
}

void SettingsPanel::draw_framing(float column) {
  // The resolution never changes mid-stream: 竖屏 / 横屏 is for the next session.
  field_label(tr("settings.orientation"), column);
  ImGui::BeginDisabled(live_);
  for (const auto& [o, id] : {std::pair{Orientation::portrait, "settings.portrait"},
                              std::pair{Orientation::landscape, "settings.landscape"}}) {
    if (o == Orientation::landscape) ImGui::SameLine();
    if (ImGui::RadioButton((tr(id) + "##" + id).c_str(), form_.orientation == o)) form_.orientation = o;
  }
  ImGui::EndDisabled();
  ImGui::SetCursorPosX(column);
  hint_text(tr(live_ ? "settings.orientation_live" : "settings.orientation_hint"));
  // The framing, its nudge and the camera's mounting reach a live stream when saved.
  field_label(tr("settings.framing"), column);
  const FramingMode mode = form_.framing.value_or(default_framing_mode(form_.orientation));
  for (const auto& [m, id] : {std::pair{FramingMode::fill, "settings.framing_fill"},
                              std::pair{FramingMode::fit, "settings.framing_fit"}}) {
    if (m == FramingMode::fit) ImGui::SameLine();
    if (ImGui::RadioButton((tr(id) + "##" + id).c_str(), mode == m)) form_.framing = m;
  }
  const float slider_w = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 18);
  ImGui::BeginDisabled(mode != FramingMode::fill);
  field_label(tr("settings.zoom"), column);
  ImGui::SetNextItemWidth(slider_w);
  ImGui::SliderFloat("##zoom", &form_.zoom, 1.0f, static_cast<float>(Framing::kMaxZoom), "%.2fx");
  field_label(tr("settings.offset_x"), column);
  ImGui::SetNextItemWidth(slider_w);
  ImGui::SliderFloat("##offset_x", &form_.offset_x, -1.0f, 1.0f, "%+.2f");
  field_label(tr("settings.offset_y"), column);
  ImGui::SetNextItemWidth(slider_w);
  ImGui::SliderFloat("##offset_y", &form_.offset_y, -1.0f, 1.0f, "%+.2f");
  ImGui::SameLine();
  if (ImGui::Button((tr("settings.framing_centre") + "##framing_centre").c_str())) {
    form_.zoom = 1;
    form_.offset_x = form_.offset_y = 0;
  }
  ImGui::EndDisabled();
  field_label(tr("settings.rotation"), column);
  for (const int r : kRotations) {
    if (r != 0) ImGui::SameLine();
    if (ImGui::RadioButton((tr("settings.degrees", r) + "##rotation" + std::to_string(r)).c_str(), form_.rotation == r))
      form_.rotation = r;
  }
  ImGui::SetCursorPosX(column);
  hint_text(tr("settings.framing_hint"));
  field_label(tr("settings.mirror"), column);
  ImGui::Checkbox((tr("settings.mirror_preview") + "##mirror").c_str(), &form_.mirror);
  ImGui::SameLine();
  ImGui::Checkbox((tr("settings.mirror_stream") + "##mirror_stream").c_str(), &form_.mirror_stream);
  ImGui::SetCursorPosX(column);
  hint_text(tr("settings.mirror_hint"));
}

std::string SettingsPanel::heading() const { return tr("settings.title"); }

void SettingsPanel::draw_body() {
  if (!loaded_) {
    load_form();
    if (!devices_.lists() && !devices_.listing()) devices_.refresh();
  }
  const float column = label_column(kFieldLabels);
  draw_destinations(column);
  draw_platform(column);
  draw_devices(column);
  draw_stream_look(column);
}

void SettingsPanel::draw_footer() {
  if (error_) error_text(*error_);
  const ImVec2 size(ImGui::GetFontSize() * 6, ImGui::GetFrameHeight() * 1.25f);
  if (primary_button(tr("settings.save") + "##save", size)) save();
  ImGui::SameLine();
  if (ImGui::Button((tr("settings.cancel") + "##cancel").c_str(), size)) cancel();
}

}  // namespace cunbo::ui
