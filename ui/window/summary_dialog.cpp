#include "ui/window/summary_dialog.h"

#include <algorithm>
#include <cmath>

#include "client/base/strings.h"
#include "client/studio/studio.h"

namespace cunbo::ui {

namespace {

constexpr const char* kPopup = "##summary";

std::string summary_key(const SessionSummary& s) {
  return s.recording.string() + "|" + std::to_string(s.duration_s) + "|" + std::to_string(s.orders);
}

}  // namespace

SummaryDialog::SummaryDialog() : StudioPanel("##summary_host") {}

void SummaryDialog::draw_content() {
  // Drawn from the window's frame outside any panel window: this "panel" is only a modal.
  const UiFrame& f = frame();
  const StudioSnapshot& snap = f.snapshot;
  if (!snap.last_summary) {
    showing_ = false;
    return;
  }
  const SessionSummary& s = *snap.last_summary;
  const std::string key = summary_key(s);
  if (!showing_ && key != shown_key_) {
    ImGui::OpenPopup(kPopup);
    showing_ = true;
    shown_key_ = key;
  }
  const ImVec2 center = ImGui::GetMainViewport()->GetCenter();
  ImGui::SetNextWindowPos(center, ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(f.px(620), 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(f.px(26), f.px(22)));
  const bool open = ImGui::BeginPopupModal(kPopup, nullptr,
                                           ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  ImGui::PopStyleVar();
  if (!open) {
    showing_ = false;
    return;
  }
  window_border(colors::kBorder);
  text(f, tr(s.practice ? "win.summary_title_practice" : "win.summary_title"), FontRole::heading);
  ImGui::Spacing();

  // The three headline numbers.
  const std::string values[3] = {clock_text(s.duration_s), tr("win.summary_orders_value", s.orders, s.items),
                                 yuan(s.gmv_cents)};
  const std::string labels[3] = {tr("win.summary_duration"), tr("win.total_orders"), tr("win.total_gmv")};
  const float col = ImGui::GetContentRegionAvail().x / 3.0f;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  for (int i = 0; i < 3; ++i) {
    const float x = p0.x + col * static_cast<float>(i);
    text_at(f, ImVec2(x, p0.y), labels[i], FontRole::small, colors::kMuted);
    text_at(f, ImVec2(x, p0.y + f.px(20)), values[i], FontRole::big, i == 2 ? colors::kLive : colors::kText);
  }
  ImGui::Dummy(ImVec2(col * 3, f.px(56)));
  separator();

  // Per product: how long it was presented and what it sold.
  if (!s.presented.empty()) {
    text(f, tr("win.summary_per_product"), FontRole::bold);
    if (ImGui::BeginTable("##presented", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn("a", ImGuiTableColumnFlags_WidthStretch, 3.0f);
      ImGui::TableSetupColumn("b", ImGuiTableColumnFlags_WidthStretch, 1.0f);
      ImGui::TableSetupColumn("c", ImGuiTableColumnFlags_WidthStretch, 1.0f);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      text(f, tr("win.summary_product"), FontRole::small, colors::kMuted);
      ImGui::TableNextColumn();
      text(f, tr("win.summary_time"), FontRole::small, colors::kMuted);
      ImGui::TableNextColumn();
      text(f, tr("win.summary_product_orders"), FontRole::small, colors::kMuted);
      const size_t shown = std::min<size_t>(s.presented.size(), 8);
      for (size_t i = 0; i < shown; ++i) {
        const SessionSummary::Presented& p = s.presented[i];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        text(f, ellipsize(f, p.title.empty() ? p.product_id : p.title, ImGui::GetContentRegionAvail().x, FontRole::body));
        ImGui::TableNextColumn();
        text(f, clock_text(p.seconds));
        ImGui::TableNextColumn();
        text(f, std::to_string(p.orders));
      }
      ImGui::EndTable();
    }
    separator();
  }

  // Where the stream went: per platform, live for how long, or plainly that it never got there.
  bool any_live = false;
  for (const SessionSummary::DestinationResult& d : s.destinations) {
    any_live = any_live || d.connections > 0;
    if (d.connections > 0) {
      text_wrapped(f, tr("win.summary_dest_live", d.display_url, clock_text(d.live_s), d.connections,
                         std::max<int64_t>(0, d.connections - 1)),
                   FontRole::small, colors::kText);
    } else {
      const std::string why = d.key_rejected ? tr("reason.publish_refused")
                              : d.last_failure.empty() ? tr("msg.off_air_no_reason")
                                                       : tr("reason." + d.last_failure);
      text_wrapped(f, tr("win.summary_dest_never", d.display_url, why, d.attempts), FontRole::small, colors::kBad);
    }
  }
  // What was lost, in words a host understands; never "all clean" for a stream nobody received.
  const int64_t drops = s.frames_dropped + s.network_drops;
  if (!s.practice && !s.destinations.empty() && !any_live) {
    text(f, tr("win.summary_never_live"), FontRole::bold, colors::kBad);
  } else if (drops == 0 && s.reconnects == 0) {
    text(f, tr("win.summary_clean"), FontRole::body, colors::kGood);
  } else {
    text_wrapped(f, tr("win.summary_losses", s.frames_dropped, s.network_drops, s.reconnects), FontRole::body,
                 colors::kWarn);
  }
  // What went wrong on the host's own computer.
  if (s.camera_losses > 0) text_wrapped(f, tr("win.summary_camera_lost", s.camera_losses), FontRole::body, colors::kWarn);
  if (s.mic_losses > 0) text_wrapped(f, tr("win.summary_mic_lost", s.mic_losses), FontRole::body, colors::kWarn);
  if (s.encoder_failed) text_wrapped(f, tr("win.summary_encoder_failed"), FontRole::body, colors::kBad);
  else if (s.encoder_restarts > 0)
    text_wrapped(f, tr("win.summary_encoder_restarted", s.encoder_restarts), FontRole::body, colors::kWarn);
  if (!s.recording.empty() && s.recording_failed) {
    text_wrapped(f, tr("win.summary_recording_failed", s.recording.string(), clock_text(s.recording_until_s)),
                 FontRole::body, colors::kBad);
  } else if (!s.recording.empty()) {
    text_wrapped(f, tr("win.summary_recording", s.recording.string()), FontRole::small, colors::kMuted);
  } else {
    text(f, tr("win.summary_no_recording"), FontRole::small, colors::kMuted);
  }
  ImGui::Spacing();
  if (button(f, tr("win.summary_close") + " (Enter)##close", ImVec2(ImGui::GetContentRegionAvail().x, f.px(46)),
             FontRole::bold, colors::kPractice, IM_COL32_WHITE) ||
      close_requested_) {
    close_requested_ = false;
    showing_ = false;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

}  // namespace cunbo::ui
