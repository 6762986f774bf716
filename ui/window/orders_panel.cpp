#include "ui/window/orders_panel.h"

#include <algorithm>
#include <cmath>

#include "client/base/strings.h"
#include "client/studio/studio.h"

namespace cunbo::ui {

namespace {

constexpr double kFreshSeconds = 3.0;  // a new order stays highlighted this long
constexpr float kFadeSteps = 6;

// "2026-11-29T08:03:15+08:00" → "08:03:15" (the platform's own clock, as the host's phone shows).
std::string time_of_day(const std::string& rfc3339) {
  if (rfc3339.size() >= 19 && rfc3339[10] == 'T') return rfc3339.substr(11, 8);
  return {};
}

}  // namespace

OrdersPanel::OrdersPanel() : StudioPanel("##orders") {}

void OrdersPanel::draw_content() {
  const UiFrame& f = frame();
  const StudioSnapshot& snap = f.snapshot;
  const double now = ImGui::GetTime();
  if (snap.orders_seen > seen_) {
    fresh_ = static_cast<int>(std::min<uint64_t>(snap.orders_seen - seen_, snap.orders.size()));
    fresh_since_ = now;
    seen_ = snap.orders_seen;
  }

  text(f, tr("win.orders_title"), FontRole::heading);
  {
    const std::string label = tr("win.order_sound") + "##sound";
    const float w = text_size(f, tr("win.order_sound"), FontRole::body).x + ImGui::GetFrameHeight() + f.px(14);
    ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - w));
    bool sound = !muted_;
    if (checkbox(f, label, &sound)) muted_ = !sound;
    tooltip(f, {tr("win.order_sound_tip")});
  }

  // Totals: three numbers the host glances at.
  {
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    const float h = f.px(62);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, ImVec2(p0.x + w, p0.y + h), colors::kSoft, f.px(6));
    const float col = w / 3.0f;
    const std::string values[3] = {std::to_string(snap.order_count), std::to_string(snap.item_count),
                                   yuan(snap.gmv_cents)};
    const std::string labels[3] = {tr("win.total_orders"), tr("win.total_items"), tr("win.total_gmv")};
    for (int i = 0; i < 3; ++i) {
      const float x = p0.x + col * static_cast<float>(i) + f.px(12);
      text_at(f, ImVec2(x, p0.y + f.px(6)), labels[i], FontRole::small, colors::kMuted);
      text_at(f, ImVec2(x, p0.y + f.px(24)), values[i], FontRole::price_big, i == 2 ? colors::kLive : colors::kText);
      if (i > 0) {
        vline(p0.x + col * static_cast<float>(i), p0.y + f.px(10), p0.y + h - f.px(10), colors::kBorder);
      }
    }
    ImGui::Dummy(ImVec2(w, h));
  }

  if (snap.orders.empty()) {
    ImGui::Spacing();
    text_wrapped(f, tr(snap.practice ? "win.orders_empty_practice" : "win.orders_empty"), FontRole::body,
                 colors::kMuted);
    return;
  }

  ImGui::BeginChild("##order_list", ImVec2(0, 0), false);
  const float width = ImGui::GetContentRegionAvail().x;
  const float row_h = ImGui::GetTextLineHeight() + f.px(12);
  const bool fresh_on = now - fresh_since_ < kFreshSeconds;
  for (size_t i = 0; i < snap.orders.size(); ++i) {
    const OrderLine& line = snap.orders[i];
    const ImVec2 r0 = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (fresh_on && static_cast<int>(i) < fresh_) {
      // Fades out over a few seconds, in a few steps (each step redraws the list: see redraw_gate.h).
      const float a = std::ceil(static_cast<float>(1.0 - (now - fresh_since_) / kFreshSeconds) * kFadeSteps) / kFadeSteps;
      dl->AddRectFilled(r0, ImVec2(r0.x + width, r0.y + row_h),
                        IM_COL32(0xFF, 0xE4, 0xD0, static_cast<int>(std::clamp(a, 0.0f, 1.0f) * 255)), f.px(4));
    }
    const float ty = r0.y + f.px(6);
    float x = r0.x + f.px(6);
    const std::string when = time_of_day(line.order.created_at);
    if (!when.empty()) {
      text_at(f, ImVec2(x, ty + f.px(2)), when, FontRole::small, colors::kMuted);
      x += text_size(f, "00:00:00", FontRole::small).x + f.px(10);
    }
    const std::string buyer = line.order.buyer.empty() ? tr("win.buyer_unknown") : line.order.buyer;
    const float buyer_w = f.px(70);
    text_at(f, ImVec2(x, ty), ellipsize(f, buyer, buyer_w, FontRole::bold), FontRole::bold);
    x += std::min(buyer_w, text_size(f, buyer, FontRole::bold).x) + f.px(10);

    const std::string amount = yuan(line.order.amount_cents);
    const float amount_w = text_size(f, amount, FontRole::price).x;
    const std::string qty = "\u00D7" + std::to_string(line.order.quantity);
    const float qty_w = text_size(f, qty, FontRole::body).x;
    const std::string title = line.product_title.empty() ? line.order.product_id : line.product_title;
    const float title_w = std::max(f.px(20), r0.x + width - x - amount_w - qty_w - f.px(28));
    const std::string shown = ellipsize(f, title, title_w, FontRole::body);
    text_at(f, ImVec2(x, ty), shown, FontRole::body);
    x += text_size(f, shown, FontRole::body).x + f.px(8);
    text_at(f, ImVec2(x, ty), qty, FontRole::body, colors::kMuted);
    text_at(f, ImVec2(r0.x + width - amount_w - f.px(6), ty - f.px(1)), amount, FontRole::price, colors::kLive);
    ImGui::Dummy(ImVec2(width, row_h));
  }
  ImGui::EndChild();
}

}  // namespace cunbo::ui
