#include "ui/window/mic_meter.h"

#include <algorithm>
#include <cmath>

#include "client/base/strings.h"
#include "client/studio/studio.h"

namespace cunbo::ui {

namespace {

constexpr float kFloorDb = -60;  // the bar's left end

float fraction(float db) { return std::clamp((db - kFloorDb) / -kFloorDb, 0.0f, 1.0f); }

}  // namespace

MicMeter::MicMeter() : StudioPanel("##mic") {}

void MicMeter::draw_content() {
  const UiFrame& f = frame();
  const StudioSnapshot& snap = f.snapshot;
  // Live, and before it while the microphone is open for the preview (试试说话).
  const bool live = snap.state == StudioState::live || snap.previewing;
  const MicLevel& mic = snap.mic;

  const double now = ImGui::GetTime();
  const float dt = std::clamp(ImGui::GetIO().DeltaTime, 0.0f, 0.2f);
  const float target = live ? mic.peak_dbfs : kFloorDb;
  shown_db_ = target > shown_db_ ? target : std::max(target, shown_db_ - 30.0f * dt);  // 30 dB/s fall
  if (target >= hold_db_ || now - hold_since_ > 1.5) {
    hold_db_ = target;
    hold_since_ = now;
  }

  text(f, tr("win.mic_title"), FontRole::bold);
  std::string status;
  ImU32 status_color = colors::kMuted;
  if (!live) {
    status = tr("win.mic_idle");
  } else if (mic.silent && snap.state != StudioState::live) {
    status = tr("win.mic_try");  // quiet before going live is normal: an invitation, not an alarm
  } else if (mic.silent) {
    status = tr("win.mic_silent");
    status_color = colors::kBad;
  } else if (mic.clipping) {
    status = tr("win.mic_clipping");
    status_color = colors::kBad;
  } else {
    status = tr("win.mic_ok");
    status_color = colors::kGood;
  }
  ImGui::Spacing();
  // The bar: three zones so the colour says it all (green speech, yellow loud, red too loud).
  const float bar_w = ImGui::GetContentRegionAvail().x;
  const float bar_h = f.px(18);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, ImVec2(p0.x + bar_w, p0.y + bar_h), IM_COL32(0xE5, 0xE7, 0xEB, 0xFF));
  const float x_level = p0.x + bar_w * fraction(shown_db_);
  const float x_yellow = p0.x + bar_w * fraction(-12);
  const float x_red = p0.x + bar_w * fraction(-3);
  auto fill = [&](float from, float to, ImU32 color) {
    const float a = std::max(from, p0.x);
    const float b = std::min(to, x_level);
    if (b > a) dl->AddRectFilled(ImVec2(std::floor(a), p0.y), ImVec2(std::floor(b), p0.y + bar_h), color);
  };
  fill(p0.x, x_yellow, colors::kGood);
  fill(x_yellow, x_red, IM_COL32(0xEA, 0xB3, 0x08, 0xFF));
  fill(x_red, p0.x + bar_w, colors::kBad);
  if (live && hold_db_ > kFloorDb) {
    const float xh = std::floor(p0.x + bar_w * fraction(hold_db_));
    dl->AddRectFilled(ImVec2(xh - f.px(1), p0.y - f.px(2)), ImVec2(xh + f.px(1), p0.y + bar_h + f.px(2)), colors::kText);
  }
  ImGui::Dummy(ImVec2(bar_w, bar_h));
  ImGui::Spacing();
  text_wrapped(f, status, FontRole::bold, status_color);
}

}  // namespace cunbo::ui
