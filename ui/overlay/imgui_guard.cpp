#include "ui/overlay/imgui_guard.h"

#include <imgui.h>

namespace cunbo::ui {

std::recursive_mutex& imgui_mutex() {
  static std::recursive_mutex mutex;
  return mutex;
}

ImGuiContext* create_imgui_context(ImFontAtlas* shared_fonts) {
  const std::lock_guard lock(imgui_mutex());
  ImGuiContext* const current = ImGui::GetCurrentContext();
  ImGuiContext* const context = ImGui::CreateContext(shared_fonts);
  ImGui::SetCurrentContext(current);
  return context;
}

void destroy_imgui_context(ImGuiContext* context) {
  if (!context) return;
  const std::lock_guard lock(imgui_mutex());
  ImGuiContext* const current = ImGui::GetCurrentContext();
  ImGui::DestroyContext(context);
  ImGui::SetCurrentContext(current == context ? nullptr : current);
}

ImGuiContextGuard::ImGuiContextGuard(ImGuiContext* context) : lock_(imgui_mutex()) {
  previous_ = ImGui::GetCurrentContext();
  ImGui::SetCurrentContext(context);
}

ImGuiContextGuard::~ImGuiContextGuard() { ImGui::SetCurrentContext(previous_); }

}  // namespace cunbo::ui
