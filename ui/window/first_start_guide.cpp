#include "ui/window/first_start_guide.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include "client/base/strings.h"
#include "ui/window/settings_widgets.h"

namespace cunbo::ui {

namespace {

// The guide names itself in both languages: Panel's title is fixed, and step 1 changes language.
constexpr const char* kTitle = "村播 Cunbo Studio###first_start_guide";

constexpr std::string_view kFieldLabels[] = {"settings.camera", "settings.microphone",
                                                                  "settings.dest_url", "settings.dest_key",
                                                                  "settings.quality"};

}  // namespace

FirstStartGuide::FirstStartGuide(LoadFn load, SaveFn save, DoneFn on_done, ProbeRunner& probe, DeviceLister& devices)
    : Panel(kTitle),
      load_(std::move(load)),
      save_(std::move(save)),
      on_done_(std::move(on_done)),
      probe_(probe),
      devices_(devices) {}

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
    out += probe_summary(*result);
    for (const PresetSpeed& s : result->speeds) out += tr("probe.speed", quality_label(s.quality), s.fps, s.realtime());
  }
  out += tr("probe.failed");
  out += tr("probe.cancelled");
  if (error_) out += *error_;
}

void FirstStartGuide::draw_welcome() {
  section_heading(tr("guide.welcome_title"));
  ImGui::TextWrapped("%s", tr("guide.welcome").c_str());
  ImGui::Spacing();
  ImGui::Spacing();
  ImGui::TextUnformatted(tr("guide.choose_language").c_str());
  // The language changes at once: the rest of the guide is read in it.
  if (language_radios(form_.language)) set_language(form_.language);
}

void FirstStartGuide::draw_devices() {
  section_heading(tr("guide.devices_title"));
  hint_text(tr("guide.devices_hint"));
  ImGui::Spacing();
  draw_device_pickers(devices_, form_.video, form_.audio, label_column(kFieldLabels));
}

void FirstStartGuide::draw_probe() {
  section_heading(tr("guide.probe_title"));
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
    probe_applied_ = true;
  }
  ImGui::TextWrapped("%s", probe_summary(*result).c_str());
  for (const PresetSpeed& s : result->speeds)
    hint_text(tr("probe.speed", quality_label(s.quality), s.fps, s.realtime()));
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
  section_heading(tr("guide.dest_title"));
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
  ImGui::Separator();
  ImGui::Spacing();
  if (ImGui::Button((tr("guide.practice") + "##practice").c_str())) finish(true);
  ImGui::SameLine();
  hint_text(tr("guide.practice_hint"));
  ImGui::Spacing();
  hint_text(tr("guide.after"));
}

void FirstStartGuide::draw_buttons() {
  ImGui::Separator();
  if (error_) error_text(*error_);
  const float width = ImGui::GetFontSize() * 6;
  if (step_ != Step::welcome) {
    if (ImGui::Button((tr("guide.back") + "##back").c_str(), ImVec2(width, 0))) back();
    ImGui::SameLine();
  }
  ImGui::AlignTextToFramePadding();
  ImGui::TextDisabled("%s", tr("guide.step", static_cast<int>(step_) + 1, kSteps).c_str());
  ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - width);
  if (step_ == Step::probe && probe_.running()) {
    if (ImGui::Button((tr("guide.skip") + "##skip").c_str(), ImVec2(width, 0))) skip_probe();
  } else if (step_ == Step::destination) {
    if (ImGui::Button((tr("guide.finish") + "##finish").c_str(), ImVec2(width, 0))) finish(false);
  } else {
    if (ImGui::Button((tr("guide.next") + "##next").c_str(), ImVec2(width, 0))) next();
  }
}

void FirstStartGuide::draw_content() {
  ensure_loaded();
  // The buttons stay at the bottom whatever the step's height; the step scrolls if it must.
  const float footer = ImGui::GetFrameHeightWithSpacing() * (error_ ? 2.6f : 1.4f);
  if (ImGui::BeginChild("##step", ImVec2(0, -footer))) {
    switch (step_) {
      case Step::welcome: draw_welcome(); break;
      case Step::devices: draw_devices(); break;
      case Step::probe: draw_probe(); break;
      case Step::destination: draw_destination(); break;
    }
  }
  ImGui::EndChild();
  draw_buttons();
}

}  // namespace cunbo::ui
