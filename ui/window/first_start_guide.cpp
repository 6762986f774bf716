#include "ui/window/first_start_guide.h"

#include <cmath>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "client/base/strings.h"
#include "client/studio/probe.h"
#include "ui/window/settings_widgets.h"
#include "ui/window/studio_panel.h"  // separator

namespace cunbo::ui {

namespace {

// The guide names itself in both languages: Panel's title is fixed, and step 1 changes language.
constexpr const char* kTitle = "村播 Cunbo Studio###first_start_guide";

constexpr std::string_view kFieldLabels[] = {"settings.camera", "settings.microphone", "settings.dest_url",
                                             "settings.dest_key", "settings.quality"};

}  // namespace

std::string probe_outcome(const ProbeResult& result) {
  if (result.cancelled) return tr("probe.cancelled");
  if (!result.chosen) return tr("probe.failed");
  return tr(result.slow ? "guide.probe_slow" : "guide.probe_smooth", quality_label(*result.chosen));
}

std::optional<std::string> probe_beyond(const ProbeResult& result) {
  if (result.cancelled || !result.chosen) return std::nullopt;
  for (const PresetSpeed& s : result.speeds) {
    if (s.quality > *result.chosen) return tr("guide.probe_too_much", quality_label(s.quality));
  }
  return std::nullopt;
}

FirstStartGuide::FirstStartGuide(LoadFn load, SaveFn save, DoneFn on_done, ProbeRunner& probe, UplinkRunner& uplink,
                                 DeviceLister& devices)
    : ModalSheet(kTitle),
      load_(std::move(load)),
      save_(std::move(save)),
      on_done_(std::move(on_done)),
      probe_(probe),
      devices_(devices),
      uplink_check_(uplink, probe, false) {
  keep_tallest(true);
}

FirstStartGuide::~FirstStartGuide() { probe_.cancel(); }

void FirstStartGuide::go_to(Step step) {
  ensure_loaded();
  step_ = step;
  error_.reset();
  if (step == Step::probe && !probe_.running() && !probe_.result()) {
    probe_applied_ = false;
    probe_.start();
  }
  if (step == Step::destination && form_.destinations.empty()) form_.destinations.push_back({});
}

void FirstStartGuide::next() {
  switch (step_) {
    case Step::welcome: go_to(Step::devices); break;
    case Step::devices: go_to(Step::probe); break;
    case Step::probe:
      if (probe_.running()) skip_probe();
      else go_to(Step::destination);
      break;
    case Step::destination: break;
  }
}

void FirstStartGuide::back() {
  switch (step_) {
    case Step::welcome: break;
    case Step::devices: go_to(Step::welcome); break;
    case Step::probe: go_to(Step::devices); break;
    case Step::destination: go_to(Step::probe); break;
  }
}

void FirstStartGuide::skip_probe() {
  // The worker notices within one frame's encode; its (cancelled) result is not applied.
  probe_.cancel();
  go_to(Step::destination);
}

void FirstStartGuide::ensure_loaded() {
  if (loaded_) return;
  base_ = load_ ? load_() : Config{};
  form_ = SettingsForm::from_config(base_);
  form_.language = current_language();  // what the guide speaks (--lang, the locale), as the radio shows
  loaded_ = true;
  devices_.refresh();
}

bool FirstStartGuide::finish(bool practice) {
  ensure_loaded();
  SettingsForm form = form_;
  const bool has_url = !form.destinations.empty() && !trimmed(form.destinations.front().url).empty();
  if (!practice && !has_url) {
    error_ = tr("guide.need_dest");
    return false;
  }
  // Practice needs no push address: a half-pasted one must not stand in the way.
  if (practice && form.check(base_)) form.destinations.clear();
  if (auto problem = form.check(base_)) {
    error_ = std::move(problem);
    return false;
  }
  const Config config = form.to_config(base_);
  if (auto failed = save_ ? save_(config) : std::nullopt) {
    error_ = std::move(failed);
    return false;
  }
  error_.reset();
  set_language(form.language);
  set_open(false);
  if (on_done_) on_done_(GuideResult{practice});
  return true;
}

void FirstStartGuide::collect_text(std::string& out) const {
  append_texts(out, kFieldLabels);
  append_texts(out, {"guide.step", "guide.welcome_title", "guide.welcome", "guide.choose_language",
                     "guide.devices_title", "guide.devices_hint", "guide.probe_title", "guide.probe_hint",
                     "guide.probe_running", "guide.skip", "guide.retry", "guide.probe_choose", "guide.dest_title",
                     "guide.dest_hint", "guide.practice", "guide.practice_hint", "guide.back", "guide.next",
                     "guide.finish", "guide.after", "settings.show", "settings.refresh", "settings.listing",
                     "settings.quality_480p", "settings.quality_720p", "settings.quality_1080p"});
  out += kTitle;
  out += "中文 English 0123456789%";
  out += kSecretDot;
  out += tr("guide.step", 1, kSteps);
  for (const DestinationRow& row : form_.destinations) {
    out += row.url;
    if (row.show_key) out += row.key;
  }
  const auto lists = devices_.lists();
  for (const PickerEntry& e : camera_entries(lists.get(), form_.video)) out += e.label;
  for (const PickerEntry& e : microphone_entries(lists.get(), form_.audio)) out += e.label;
  if (auto result = probe_result()) {
    out += probe_outcome(*result);
    if (auto beyond = probe_beyond(*result)) out += *beyond;
  }
  out += tr("probe.failed");
  out += tr("probe.cancelled");
  uplink_check_.collect_text(out);
  if (error_) out += *error_;
}

std::string FirstStartGuide::heading() const {
  switch (step_) {
    case Step::welcome: return tr("guide.welcome_title");
    case Step::devices: return tr("guide.devices_title");
    case Step::probe: return tr("guide.probe_title");
    case Step::destination: return tr("guide.dest_title");
  }
  return {};
}

void FirstStartGuide::draw_welcome() {
  wrapped_text(tr("guide.welcome"));
  ImGui::Spacing();
  // The three steps ahead, numbered: the host sees how short the way is.
  const char* const steps[] = {"guide.devices_title", "guide.probe_title", "guide.dest_title"};
  const float s = look().scale;
  for (int i = 0; i < 3; ++i) {
    const float d = std::round(26 * s);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddCircleFilled(ImVec2(p.x + d * 0.5f, p.y + d * 0.5f), d * 0.5f, colors::kPractice, 24);
    const std::string number = std::to_string(i + 1);
    const ImVec2 ns = ImGui::CalcTextSize(number.c_str());
    dl->AddText(ImVec2(std::floor(p.x + (d - ns.x) * 0.5f), std::floor(p.y + (d - ns.y) * 0.5f)), IM_COL32_WHITE,
                number.c_str());
    ImGui::Dummy(ImVec2(d, d));
    ImGui::SameLine(0, std::round(12 * s));
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (d - ImGui::GetTextLineHeight()) * 0.5f);
    if (look().bold) ImGui::PushFont(look().bold);
    ImGui::TextUnformatted(tr(steps[i]).c_str());
    if (look().bold) ImGui::PopFont();
  }
  ImGui::Spacing();
  ImGui::Spacing();
  ImGui::TextUnformatted(tr("guide.choose_language").c_str());
  // The language changes at once: the rest of the guide is read in it.
  if (language_radios(form_.language)) set_language(form_.language);
}

void FirstStartGuide::draw_devices() {
  hint_text(tr("guide.devices_hint"));
  ImGui::Spacing();
  draw_device_pickers(devices_, form_.video, form_.audio, label_column(kFieldLabels));
}

void FirstStartGuide::draw_probe() {
  hint_text(tr("guide.probe_hint"));
  ImGui::Spacing();
  const std::optional<ProbeResult> result = probe_result();
  if (probe_.running() || !result) {
    ImGui::TextUnformatted(tr("guide.probe_running").c_str());
    const float progress = probe_.progress();
    const std::string percent = std::to_string(static_cast<int>(progress * 100)) + "%";
    ImGui::ProgressBar(progress, ImVec2(-FLT_MIN, 0), percent.c_str());
    return;
  }
  if (!probe_applied_ && result->chosen && !result->cancelled) {
    form_.quality = *result->chosen;
    form_.second_encode = result->room_for_second_encode();
    probe_applied_ = true;
  }
  // The outcome, not the measurement: what this computer can stream.
  if (look().bold) ImGui::PushFont(look().bold);
  wrapped_text(probe_outcome(*result));
  if (look().bold) ImGui::PopFont();
  if (const std::optional<std::string> beyond = probe_beyond(*result)) hint_text(*beyond);
  ImGui::Spacing();
  ImGui::TextUnformatted(tr("guide.probe_choose").c_str());
  quality_radios(form_.quality);
  ImGui::Spacing();
  if (ImGui::Button((tr("guide.retry") + "##retry").c_str())) {
    probe_applied_ = false;
    probe_.start();
  }
}

void FirstStartGuide::draw_destination() {
  hint_text(tr("guide.dest_hint"));
  ImGui::Spacing();
  if (form_.destinations.empty()) form_.destinations.push_back({});
  DestinationRow& row = form_.destinations.front();
  const float column = label_column(kFieldLabels);
  field_label(tr("settings.dest_url"), column);
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
  ImGui::InputTextWithHint("##url", "rtmp://…", &row.url);
  if (ImGui::IsItemDeactivatedAfterEdit()) row.split_key_from_url();
  field_label(tr("settings.dest_key"), column);
  const ImGuiStyle& style = ImGui::GetStyle();
  const std::string& show_label = tr("settings.show");
  const float show_width = ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize(show_label.c_str()).x;
  secret_input("##key", row.key, row.show_key, ImGui::GetContentRegionAvail().x - show_width - style.ItemSpacing.x);
  ImGui::SameLine();
  ImGui::Checkbox((show_label + "##show_key").c_str(), &row.show_key);
  ImGui::Spacing();
  uplink_check_.draw(&row, base_.ca_file.value_or(""), form_.quality, false, look().bold);

  ImGui::Spacing();
  separator();
  ImGui::Spacing();
  if (ImGui::Button((tr("guide.practice") + "##practice").c_str())) finish(true);
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  hint_text(tr("guide.practice_hint"));
  ImGui::Spacing();
  hint_text(tr("guide.after"));
}

void FirstStartGuide::draw_body() {
  ensure_loaded();
  switch (step_) {
    case Step::welcome: draw_welcome(); break;
    case Step::devices: draw_devices(); break;
    case Step::probe: draw_probe(); break;
    case Step::destination: draw_destination(); break;
  }
}

void FirstStartGuide::draw_footer() {
  if (error_) error_text(*error_);
  const ImVec2 size(ImGui::GetFontSize() * 6, ImGui::GetFrameHeight() * 1.25f);
  const float row = ImGui::GetCursorPosY();
  if (step_ != Step::welcome) {
    if (ImGui::Button((tr("guide.back") + "##back").c_str(), size)) back();
    ImGui::SameLine();
  }
  ImGui::SetCursorPosY(row + (size.y - ImGui::GetTextLineHeight()) * 0.5f);
  ImGui::TextDisabled("%s", tr("guide.step", static_cast<int>(step_) + 1, kSteps).c_str());
  ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - size.x);
  ImGui::SetCursorPosY(row);
  if (step_ == Step::probe && probe_.running()) {
    if (ImGui::Button((tr("guide.skip") + "##skip").c_str(), size)) skip_probe();
  } else if (step_ == Step::destination) {
    if (primary_button(tr("guide.finish") + "##finish", size)) finish(false);
  } else {
    if (primary_button(tr("guide.next") + "##next", size)) next();
  }
}

}  // namespace cunbo::ui
