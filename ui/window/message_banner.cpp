#include "ui/window/message_banner.h"

#include "client/base/strings.h"
#include "client/studio/studio.h"

namespace cunbo::ui {

// A restarted encoder only paused the picture: the host is told for this long, then it is past.
constexpr int64_t kEncoderNoticeUs = 10'000'000;

void draw_message_banner(const UiFrame& f, const PanelRect& preview) {
  const StudioSnapshot& snap = f.snapshot;
  // Below the preview's state badge (drawn in a strip above the picture): the host sees both.
  float y = preview.y + f.px(54);
  auto banner = [&](const char* id, const std::string& message, ImU32 fill, ImU32 ink, const std::string& button_label,
                    bool& pressed) {
    const float w = preview.w - f.px(40);
    ImGui::SetNextWindowPos(ImVec2(preview.x + f.px(20), y));
    ImGui::SetNextWindowSize(ImVec2(w, 0));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, fill);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(f.px(16), f.px(12)));
    ImGui::Begin(id, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing);
    ImGui::PopStyleVar();
    window_border(ink);
    const float bw =
        button_label.empty() ? 0 : text_size(f, button_label, FontRole::bold).x + 2 * ImGui::GetStyle().FramePadding.x;
    text_wrapped(f, message, FontRole::body, ink, w - bw - f.px(60));
    if (!button_label.empty()) {
      ImGui::SameLine(w - bw - f.px(16));
      pressed = button(f, button_label + "##" + id, ImVec2(bw, 0), FontRole::bold);
    }
    y += ImGui::GetWindowHeight() + f.px(8);
    ImGui::End();
    ImGui::PopStyleColor();
  };
  if (snap.off_air_alarm) {
    // Live, and no platform has taken the stream for a while: the host must not talk to nobody.
    const std::string why = snap.off_air_reason_id.empty() ? tr("msg.off_air_no_reason") : tr(snap.off_air_reason_id);
    bool retry = false;
    banner("##off_air", tr("win.off_air_alarm", snap.off_air_us / 1'000'000, why), IM_COL32(0xFE, 0xE2, 0xE2, 0xFF),
           colors::kBad, tr("win.reconnect_now"), retry);
    if (retry) f.studio.reconnect_now();
  }
  if (snap.device_waiting && snap.state == StudioState::idle) {
    // Before going live, a camera or microphone that cannot be opened yet: why, and that it is
    // tried every second (the preview shows the slate viewers would see).
    bool unused = false;
    banner("##device_waiting", tr("win.idle_device_waiting", *snap.device_waiting), IM_COL32(0xFE, 0xF3, 0xC7, 0xFF),
           IM_COL32(0x78, 0x35, 0x0F, 0xFF), "", unused);
  }
  if (snap.session) {
    // The host's own computer: a device gone (the stream goes on, with a slate or silence,
    // and it is reopened every second) or the disk that stopped the recording.
    const SessionStats& st = *snap.session;
    const ImU32 fill = IM_COL32(0xFE, 0xF3, 0xC7, 0xFF);
    const ImU32 ink = IM_COL32(0x78, 0x35, 0x0F, 0xFF);
    bool unused = false;
    if (st.camera_lost) banner("##camera_lost", tr("win.local_camera_lost"), fill, ink, "", unused);
    if (st.mic_lost) banner("##mic_lost", tr("win.local_mic_lost"), fill, ink, "", unused);
    if (st.encoder_restarted_us >= 0 && st.now_us - st.encoder_restarted_us < kEncoderNoticeUs)
      banner("##encoder_restarted", tr("win.local_encoder_restarted"), fill, ink, "", unused);
    if (st.recording_failed) {
      banner("##recording_failed",
             tr(st.practice ? "win.local_recording_failed_practice" : "win.local_recording_failed", clock_text(static_cast<double>(st.recording_until_us) / 1e6)),
             IM_COL32(0xFE, 0xE2, 0xE2, 0xFF), colors::kBad, "", unused);
    }
  }
  if (snap.message) {
    bool ok = false;
    banner("##message", *snap.message, IM_COL32(0xFE, 0xF3, 0xC7, 0xFF), IM_COL32(0x78, 0x35, 0x0F, 0xFF),
           tr("win.message_ok"), ok);
    if (ok) f.studio.dismiss_message();
  }
}

}  // namespace cunbo::ui
