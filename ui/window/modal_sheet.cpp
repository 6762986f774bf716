#include "ui/window/modal_sheet.h"

#include <algorithm>
#include <cmath>

#include <imgui.h>

#include "ui/window/studio_panel.h"

namespace cunbo::ui {

namespace {

constexpr ImGuiWindowFlags kSheetFlags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                         ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                                         ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollbar |
                                         ImGuiWindowFlags_NoScrollWithMouse;

}  // namespace

void ModalSheet::draw_modal(float width, float max_height, const SheetLook& look) {
  const char* id = title().c_str();
  if (!is_open()) {
    if (!modal_up_) return;
    // Closed by one of its buttons (or from outside): the popup goes in this frame, unseen.
    ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.0f);
    if (ImGui::BeginPopupModal(id, nullptr, kSheetFlags)) {
      ImGui::CloseCurrentPopup();
      ImGui::EndPopup();
    }
    ImGui::PopStyleVar();
    modal_up_ = false;
    tallest_body_ = 0;
    return;
  }
  if (!modal_up_ || !ImGui::IsPopupOpen(id)) ImGui::OpenPopup(id);
  modal_up_ = true;
  look_ = look;

  const float s = look.scale;
  const ImVec2 padding(std::round(28 * s), std::round(22 * s));
  const ImVec2 screen = ImGui::GetIO().DisplaySize;
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  // As tall as the heading, the body and the footer measured in the last frame, within reach.
  tallest_body_ = keep_tallest_ ? std::max(tallest_body_, body_height_) : body_height_;
  const float wanted = 2 * padding.y + header_height_ + tallest_body_ + spacing + footer_height_;
  const float height = std::floor(std::min({wanted, max_height, screen.y}));
  ImGui::SetNextWindowPos(ImVec2(std::floor(screen.x * 0.5f), std::floor(screen.y * 0.5f)), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(width, screen.x), height), ImGuiCond_Always);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, padding);
  const bool up = ImGui::BeginPopupModal(id, nullptr, kSheetFlags);
  ImGui::PopStyleVar();
  if (!up) return;
  draw_content();
  ImGui::EndPopup();
}

void ModalSheet::draw_content() {
  window_border(colors::kBorder);
  const float top = ImGui::GetCursorPosY();
  if (look_.heading) ImGui::PushFont(look_.heading);
  ImGui::TextUnformatted(heading().c_str());
  if (look_.heading) ImGui::PopFont();
  separator();
  header_height_ = ImGui::GetCursorPosY() - top;

  // The body gets what the heading and the footer leave; it scrolls (wheel, scroll bar) when
  // its content is taller.
  const float body = std::max(ImGui::GetContentRegionAvail().y - footer_height_ - ImGui::GetStyle().ItemSpacing.y,
                              ImGui::GetFrameHeight());
  if (ImGui::BeginChild("##body", ImVec2(0, std::floor(body)), false, ImGuiWindowFlags_NoSavedSettings)) {
    draw_body();
    body_height_ = ImGui::GetCursorPosY();
  }
  ImGui::EndChild();

  const float footer_top = ImGui::GetCursorPosY();
  separator();
  draw_footer();
  footer_height_ = ImGui::GetCursorPosY() - footer_top - ImGui::GetStyle().ItemSpacing.y;
}

}  // namespace cunbo::ui
