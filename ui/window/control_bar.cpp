#include "ui/window/control_bar.h"

#include <algorithm>

#include "client/base/strings.h"
#include "client/studio/studio.h"

namespace cunbo::ui {

namespace {

constexpr const char* kConfirmPopup = "##confirm_end";

struct HealthWords {
  std::string text;
  ImU32 color;
};

HealthWords health_words(const DestinationHealth& d) {
  using Kind = DestinationHealth::Kind;
  switch (d.kind) {
    case Kind::connecting:
      return {tr("win.health_connecting"), colors::kWarn};
    case Kind::unreachable:
      return {tr("win.health_unreachable", d.reason_id.empty() ? tr("msg.off_air_no_reason") : tr(d.reason_id),
                 d.retry_in_s),
              colors::kBad};
    case Kind::good:
      return {tr("win.health_good"), colors::kGood};
    case Kind::congested:
      return {tr("win.health_congested"), colors::kWarn};
    case Kind::reconnecting:  // with why the link went down, when it is known
      if (!d.reason_id.empty())
        return {tr("win.health_reconnecting_why", tr(d.reason_id), d.attempt, d.retry_in_s), colors::kBad};
      return {tr("win.health_reconnecting", d.attempt, d.retry_in_s), colors::kBad};
    case Kind::key_rejected:
      return {tr("win.health_key_rejected"), colors::kBad};
  }
  return {"", colors::kText};
}

}  // namespace

ControlBar::ControlBar() : StudioPanel("##controls") {}

void ControlBar::press_main(Studio& studio, const StudioSnapshot& snapshot, bool then_quit) {
  switch (snapshot.state) {
    case StudioState::idle:
      if (!then_quit) studio.go_live();
      break;
    case StudioState::live:
    case StudioState::starting:
      if (!confirming()) confirm_wanted_ = true;
      then_quit_ = then_quit;
      break;
    case StudioState::ending:
      break;
  }
}

void ControlBar::confirm(Studio& studio) {
  studio.end_live();
  if (then_quit_) quit_confirmed_ = true;
  confirm_wanted_ = false;
  close_popup_ = confirm_open_;
}

void ControlBar::cancel() {
  then_quit_ = false;
  confirm_wanted_ = false;
  close_popup_ = confirm_open_;
}

void ControlBar::draw_content() {
  const UiFrame& f = frame();
  const StudioSnapshot& snap = f.snapshot;
  const bool practice = snap.practice;
  const bool idle = snap.state == StudioState::idle;

  // The one button that matters, 24+ px type and a big target.
  std::string label;
  ImU32 fill = colors::kLive;
  bool enabled = true;
  switch (snap.state) {
    case StudioState::idle:
      label = practice ? tr("win.start_practice") : tr("win.go_live");
      fill = practice ? colors::kPractice : colors::kLive;
      break;
    case StudioState::starting:
      label = tr("win.starting");
      fill = IM_COL32(0x9C, 0xA3, 0xAF, 0xFF);
      enabled = false;
      break;
    case StudioState::live:
      label = practice ? tr("win.end_practice") : tr("win.end_live");
      fill = IM_COL32(0x37, 0x41, 0x51, 0xFF);
      break;
    case StudioState::ending:
      label = tr("win.ending");
      fill = IM_COL32(0x9C, 0xA3, 0xAF, 0xFF);
      enabled = false;
      break;
  }
  ImGui::BeginDisabled(!enabled);
  const ImVec2 button_size(std::max(f.px(176), text_size(f, label, FontRole::big).x + f.px(44)), f.px(64));
  const ImVec2 b0 = ImGui::GetCursorScreenPos();
  if (button(f, label + "##main", button_size, FontRole::big, fill, IM_COL32_WHITE)) press_main(f.studio, snap);
  ImGui::EndDisabled();
  tooltip(f, {tr("win.main_shortcut")});
  // The shortcut in the corner, small: there for whoever looks, no clutter for whoever does not.
  const ImVec2 ks = text_size(f, "F12", FontRole::small);
  text_at(f, ImVec2(b0.x + button_size.x - ks.x - f.px(6), b0.y + button_size.y - ks.y - f.px(3)), "F12", FontRole::small,
          IM_COL32(0xFF, 0xFF, 0xFF, 0xB0));

  // The timer beside it.
  ImGui::SameLine(0, f.px(18));
  ImGui::BeginGroup();
  {
    std::string state_text;
    ImU32 state_color = colors::kMuted;
    if (snap.state == StudioState::live) {
      // 直播中 only while a destination takes the stream: the screen never claims an audience.
      switch (snap.air) {
        case AirState::practising: state_text = tr("win.state_practising"); state_color = colors::kPractice; break;
        case AirState::on_air: state_text = tr("win.state_live"); state_color = colors::kLive; break;
        case AirState::unreachable: state_text = tr("win.state_unreachable"); state_color = colors::kBad; break;
        case AirState::reconnecting: state_text = tr("win.state_reconnecting"); state_color = colors::kBad; break;
        case AirState::idle:
        case AirState::connecting: state_text = tr("win.state_connecting"); state_color = colors::kWarn; break;
      }
    } else if (snap.state == StudioState::starting) {
      state_text = tr("win.state_starting");
    } else if (snap.state == StudioState::ending) {
      state_text = tr("win.state_ending");
    } else {
      state_text = tr("win.state_idle");
    }
    text(f, state_text, FontRole::bold, state_color);
    const double seconds = snap.state == StudioState::live ? static_cast<double>(snap.live_elapsed_us) / 1e6 : 0.0;
    text(f, clock_text(seconds), FontRole::price_big, snap.state == StudioState::live ? colors::kText : colors::kMuted);
  }
  ImGui::EndGroup();

  // The toggles: only while idle (a session's mode cannot change under it).
  ImGui::SameLine(0, f.px(22));
  ImGui::BeginGroup();
  ImGui::BeginDisabled(!idle);
  // Three toggles in the bar's height: closer together than the window's usual spacing.
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, f.px(2)));
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(ImGui::GetStyle().FramePadding.x, f.px(3)));
  bool practice_on = practice;
  if (checkbox(f, tr("win.toggle_practice") + "##practice", &practice_on)) f.studio.set_practice(practice_on);
  tooltip(f, {tr("win.toggle_practice_tip")});
  bool record_on = snap.record;
  if (checkbox(f, tr("win.toggle_record") + "##record", &record_on)) f.studio.set_record(record_on);
  tooltip(f, {tr("win.toggle_record_tip")});
  bool camera_off = !snap.camera_on;
  if (checkbox(f, tr("win.toggle_camera_off") + "##camera_off", &camera_off)) f.studio.set_camera(!camera_off);
  tooltip(f, {tr("win.toggle_camera_off_tip")});
  ImGui::PopStyleVar(2);
  ImGui::EndDisabled();
  ImGui::EndGroup();

  ImGui::Spacing();
  draw_health();
  draw_confirm();
}

void ControlBar::draw_health() {
  const UiFrame& f = frame();
  const StudioSnapshot& snap = f.snapshot;
  if (snap.state != StudioState::live) {
    std::string hint;
    ImU32 color = colors::kMuted;
    if (snap.state != StudioState::idle) return;
    if (snap.practice) {
      hint = tr("win.hint_practice");
      color = colors::kPractice;
    } else if (snap.configured_destinations == 0) {
      hint = tr("win.hint_no_destination");
      color = colors::kWarn;
    } else {
      hint = tr("win.hint_ready", snap.configured_destinations);
    }
    text(f, hint, FontRole::body, color);
    return;
  }
  if (snap.practice || snap.destinations.empty()) {
    text(f, tr(snap.practice ? "win.hint_practice_live" : "win.hint_record_only"), FontRole::body,
         snap.practice ? colors::kPractice : colors::kMuted);
    return;
  }
  const float width = ImGui::GetContentRegionAvail().x;
  for (size_t i = 0; i < snap.destinations.size(); ++i) {
    const DestinationHealth& d = snap.destinations[i];
    const HealthWords words = health_words(d);
    ImGui::PushID(static_cast<int>(i));
    ImGui::AlignTextToFramePadding();  // the words line up with the 立即重连 button
    ImGui::BeginGroup();
    // A coloured dot, the words, and which destination (masked) in grey.
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float line_h = ImGui::GetTextLineHeight();
    const float pad_y = ImGui::GetStyle().FramePadding.y;
    ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(pos.x + f.px(7), pos.y + pad_y + line_h * 0.5f + f.px(1)), f.px(6),
                                                words.color, 16);
    ImGui::Dummy(ImVec2(f.px(18), line_h + 2 * pad_y));
    ImGui::SameLine(0, f.px(4));
    text(f, words.text, FontRole::bold, words.color);
    ImGui::SameLine(0, f.px(14));
    const bool can_reconnect =
        d.kind == DestinationHealth::Kind::reconnecting || d.kind == DestinationHealth::Kind::unreachable;
    const float button_w = can_reconnect ? text_size(f, tr("win.reconnect_now"), FontRole::body).x + f.px(40) : 0;
    const float url_w = std::max(f.px(40), width - (ImGui::GetCursorPosX() - ImGui::GetWindowContentRegionMin().x) - button_w);
    text(f, ellipsize(f, d.display_url, url_w, FontRole::small), FontRole::small, colors::kMuted);
    ImGui::EndGroup();
    tooltip(f, {d.display_url, tr("win.health_numbers", d.kbps, d.fps, d.drops)});
    if (can_reconnect) {
      ImGui::SameLine(0, f.px(12));
      if (button(f, tr("win.reconnect_now") + "##reconnect", ImVec2(0, 0), FontRole::body)) f.studio.reconnect_now();
    } else if (d.kind == DestinationHealth::Kind::key_rejected) {
      ImGui::SameLine(0, f.px(12));
      text(f, tr("win.health_key_rejected_hint"), FontRole::small, colors::kMuted);
    }
    ImGui::PopID();
  }
}

void ControlBar::draw_confirm() {
  const UiFrame& f = frame();
  const StudioSnapshot& snap = f.snapshot;
  if (confirm_wanted_) {
    ImGui::OpenPopup(kConfirmPopup);
    confirm_wanted_ = false;
  }
  const ImVec2 center = ImGui::GetMainViewport()->GetCenter();
  ImGui::SetNextWindowPos(center, ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(f.px(460), 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(f.px(24), f.px(20)));
  const bool open = ImGui::BeginPopupModal(kConfirmPopup, nullptr,
                                           ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  ImGui::PopStyleVar();
  confirm_open_ = open;
  if (open) window_border(colors::kBorder);
  if (!open) {
    close_popup_ = false;
    return;
  }
  if (close_popup_ || (snap.state != StudioState::live && snap.state != StudioState::starting)) {
    close_popup_ = false;
    confirm_open_ = false;
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return;
  }
  const bool practice = snap.practice;
  text(f, tr(practice ? "win.confirm_end_practice_title" : "win.confirm_end_title"), FontRole::heading);
  ImGui::Spacing();
  text_wrapped(f, tr(practice ? "win.confirm_end_practice_body" : "win.confirm_end_body"), FontRole::body, colors::kMuted);
  ImGui::Spacing();
  ImGui::Spacing();
  const float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  if (button(f, tr(practice ? "win.confirm_end_practice_yes" : "win.confirm_end_yes") + " (Enter)##yes", ImVec2(w, f.px(48)),
             FontRole::bold, colors::kLive, IM_COL32_WHITE)) {
    confirm(f.studio);
  }
  ImGui::SameLine();
  if (button(f, tr(practice ? "win.confirm_end_practice_no" : "win.confirm_end_no") + " (Esc)##no", ImVec2(w, f.px(48)),
             FontRole::bold)) {
    cancel();
  }
  if (close_popup_) {
    close_popup_ = false;
    confirm_open_ = false;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

}  // namespace cunbo::ui
