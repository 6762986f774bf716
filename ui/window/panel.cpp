#include "ui/window/panel.h"

#include <imgui.h>

namespace cunbo::ui {

void Panel::draw() {
  if (!open_) return;
  // Begin/End are always paired, even when the window is collapsed (ImGui's contract).
  if (ImGui::Begin(title_.c_str(), &open_)) draw_content();
  ImGui::End();
}

}  // namespace cunbo::ui
