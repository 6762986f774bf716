#include "ui/window/settings_widgets.h"

#include <algorithm>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "client/studio/probe.h"
#include "ui/overlay/overlay_scene.h"  // wrap_text
#include "ui/window/studio_panel.h"

namespace cunbo::ui {

bool secret_input(const char* id, std::string& text, bool reveal, float width) {
  ImGui::SetNextItemWidth(width);
  if (reveal) return ImGui::InputText(id, &text);
  // ImGui draws a password with the current font's '*' glyph, looked up once when the field is
  // drawn: point '*' at ● for that one call. The lookup table is the font's own and restored
  // before anything else draws (UI thread, inside the ImGui lock).
  ImFont* font = ImGui::GetFont();
  const ImFontGlyph* dot = font->FindGlyphNoFallback(static_cast<ImWchar>(0x25CF));
  const bool remap = dot != nullptr && font->IndexLookup.Size > '*';
  ImWchar saved = 0;
  if (remap) {
    saved = font->IndexLookup['*'];
    font->IndexLookup['*'] = static_cast<ImWchar>(dot - font->Glyphs.Data);
  }
  const bool changed = ImGui::InputText(id, &text, ImGuiInputTextFlags_Password);
  if (remap) font->IndexLookup['*'] = saved;
  return changed;
}

void field_label(const std::string& text, float column) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text.c_str());
  ImGui::SameLine(column);
}

float label_column(std::span<const std::string_view> ids) {
  float widest = 0;
  for (std::string_view id : ids) widest = std::max(widest, ImGui::CalcTextSize(tr(id).c_str()).x);
  return ImGui::GetStyle().WindowPadding.x + widest + ImGui::GetStyle().ItemSpacing.x * 3;
}

void section_heading(const std::string& text, ImFont* font) {
  ImGui::Spacing();
  ImGui::Spacing();
  if (font) ImGui::PushFont(font);
  ImGui::TextUnformatted(text.c_str());
  if (font) ImGui::PopFont();
  separator();
}

namespace {

void wrapped_in(const std::string& text, ImU32 color) {
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  ImGui::BeginGroup();
  for (const std::string& line : wrap_text(*ImGui::GetFont(), text, ImGui::GetContentRegionAvail().x, 64))
    ImGui::TextUnformatted(line.c_str());
  ImGui::EndGroup();
  ImGui::PopStyleColor();
}

}  // namespace

void error_text(const std::string& text) { wrapped_in(text, colors::kBad); }
void hint_text(const std::string& text) { wrapped_in(text, colors::kMuted); }
void wrapped_text(const std::string& text) { wrapped_in(text, colors::kText); }

bool primary_button(const std::string& label, ImVec2 size) {
  ImGui::PushStyleColor(ImGuiCol_Button, colors::kPractice);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, IM_COL32(0x3B, 0x76, 0xF0, 0xFF));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, IM_COL32(0x1D, 0x4E, 0xD8, 0xFF));
  ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32_WHITE);
  const bool pressed = ImGui::Button(label.c_str(), size);
  ImGui::PopStyleColor(4);
  return pressed;
}

bool quality_radios(Quality& quality) {
  bool changed = false;
  bool first = true;
  for (Quality q : {Quality::smooth_480p, Quality::standard_720p, Quality::high_1080p}) {
    if (!first) ImGui::SameLine();
    first = false;
    if (ImGui::RadioButton((quality_label(q) + "##quality" + std::string(quality_name(q))).c_str(), quality == q)) {
      changed = quality != q;
      quality = q;
    }
  }
  return changed;
}

bool language_radios(Language& language) {
  bool changed = false;
  // Each language names itself: a host who cannot read the current one still finds theirs.
  if (ImGui::RadioButton("中文##language_zh", language == Language::zh_CN)) {
    changed = language != Language::zh_CN;
    language = Language::zh_CN;
  }
  ImGui::SameLine();
  if (ImGui::RadioButton("English##language_en", language == Language::en)) {
    changed = language != Language::en;
    language = Language::en;
  }
  return changed;
}

void append_texts(std::string& out, std::span<const std::string_view> ids) {
  for (std::string_view id : ids) {
    out += tr(id);
    out += '\n';
  }
}

void append_texts(std::string& out, std::initializer_list<std::string_view> ids) {
  append_texts(out, std::span<const std::string_view>(ids.begin(), ids.size()));
}

}  // namespace cunbo::ui
