// Dear ImGui keeps its current context in a process global (GImGui), so two threads that use
// two contexts (the studio window on the UI thread, the overlay on its own thread) must not
// interleave ImGui calls. Every ImGui call in the process goes through an ImGuiContextGuard:
// it holds the one process-wide ImGui mutex, makes the given context current and restores the
// previous one on exit. Guards nest on one thread (the mutex is recursive).
#pragma once

#include <mutex>

struct ImFontAtlas;
struct ImGuiContext;

namespace cunbo::ui {

// The process-wide lock over ImGui's global state. Prefer ImGuiContextGuard; take this directly
// only for calls that need no particular context (e.g. building or freeing a font atlas: ImGui's
// allocator counts on whatever context is current).
[[nodiscard]] std::recursive_mutex& imgui_mutex();

// ImGui::CreateContext makes the new context current when none is, and DestroyContext may leave
// a dangling current context behind a guard: create and destroy contexts with these instead.
// Both lock imgui_mutex() and leave the current context as it was (unless it is the one
// destroyed: then none is current).
[[nodiscard]] ImGuiContext* create_imgui_context(ImFontAtlas* shared_fonts = nullptr);
void destroy_imgui_context(ImGuiContext* context);

class ImGuiContextGuard {
 public:
  // Locks imgui_mutex() and makes `context` current (null: no context current).
  explicit ImGuiContextGuard(ImGuiContext* context);
  // Restores the context that was current before, then unlocks.
  ~ImGuiContextGuard();
  ImGuiContextGuard(const ImGuiContextGuard&) = delete;
  ImGuiContextGuard& operator=(const ImGuiContextGuard&) = delete;

 private:
  std::unique_lock<std::recursive_mutex> lock_;
  ImGuiContext* previous_ = nullptr;
};

}  // namespace cunbo::ui
