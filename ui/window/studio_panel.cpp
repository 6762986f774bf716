#include "ui/window/studio_panel.h"

#include "client/base/money.h"

#include <cmath>
#include <cstdio>

#include <imgui_internal.h>  // ImTextCharFromUtf8

#include "ui/overlay/overlay_scene.h"  // wrap_text

namespace cunbo::ui {

std::vector<FontSpec> studio_font_specs(float scale) {
  // Sizes for a host reading at arm's length on a cheap laptop: 17 px body, 26 px for the
  // one button and the timer that matter most. Prices use an ASCII-only face (digits, ¥).
  const float s = scale;
  return {
      {17.0f * s, false, false},  // body
      {17.0f * s, true, false},   // bold
      {20.0f * s, true, false},   // heading
      {26.0f * s, true, false},   // big
      {14.0f * s, false, false},  // small
      {19.0f * s, true, true},    // price
      {30.0f * s, true, true},    // price_big (totals)
  };
}

void StudioPanel::draw_at(const UiFrame& frame, const PanelRect& rect) {
  if (!is_open()) return;
  frame_ = &frame;
  ImGui::SetNextWindowPos(ImVec2(rect.x, rect.y));
  ImGui::SetNextWindowSize(ImVec2(rect.w, rect.h));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(frame.px(padding().x), frame.px(padding().y)));
  constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                      ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                                      ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
  // Begin/End are always paired (ImGui's contract); the title is only the window's id.
  if (ImGui::Begin(title().c_str(), nullptr, kFlags)) {
    ImGui::PopStyleVar();
    window_border(colors::kBorder);
    draw_content();
  } else {
    ImGui::PopStyleVar();
  }
  ImGui::End();
  frame_ = nullptr;
}

void window_border(ImU32 color) {
  const ImVec2 p0 = ImGui::GetWindowPos();
  const ImVec2 size = ImGui::GetWindowSize();
  const float x0 = std::floor(p0.x);
  const float y0 = std::floor(p0.y);
  const float x1 = std::floor(p0.x + size.x);
  const float y1 = std::floor(p0.y + size.y);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(ImVec2(x0, y0), ImVec2(x1, y1), false);  // the edge is outside the content's clip
  dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, y0 + 1), color);
  dl->AddRectFilled(ImVec2(x0, y1 - 1), ImVec2(x1, y1), color);
  dl->AddRectFilled(ImVec2(x0, y0 + 1), ImVec2(x0 + 1, y1 - 1), color);
  dl->AddRectFilled(ImVec2(x1 - 1, y0 + 1), ImVec2(x1, y1 - 1), color);
  dl->PopClipRect();
}

void StudioPanel::draw_unframed(const UiFrame& frame) {
  if (!is_open()) return;
  frame_ = &frame;
  draw_content();
  frame_ = nullptr;
}

void apply_studio_style(ImGuiStyle& style, float scale) {
  ImGui::StyleColorsLight(&style);
  // Square panels: SDL's software renderer fills a rounded window as hundreds of triangles
  // (~15 ms per frame for the whole window); small rounded buttons cost little.
  style.WindowRounding = 0;
  style.ChildRounding = 0;
  style.FrameRounding = 6;
  style.PopupRounding = 8;
  style.GrabRounding = 6;
  style.ScrollbarRounding = 6;
  // Panels and sheets draw their own 1-pixel border (window_border()): ImGui's anti-aliased
  // outline comes out two pixels wide and two-toned on the software renderer.
  style.WindowBorderSize = 0;
  style.PopupBorderSize = 0;
  style.FrameBorderSize = 0;
  style.FramePadding = ImVec2(12, 7);
  style.ItemSpacing = ImVec2(10, 8);
  style.ItemInnerSpacing = ImVec2(8, 6);
  style.ScrollbarSize = 14;
  style.WindowPadding = ImVec2(14, 12);
  style.AntiAliasedLines = true;
  style.AntiAliasedFill = true;
  ImVec4* c = style.Colors;
  c[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(colors::kText);
  c[ImGuiCol_TextDisabled] = ImGui::ColorConvertU32ToFloat4(colors::kMuted);
  c[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(colors::kPanel);
  c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_PopupBg] = ImGui::ColorConvertU32ToFloat4(colors::kPanel);
  c[ImGuiCol_Border] = ImGui::ColorConvertU32ToFloat4(colors::kBorder);
  c[ImGuiCol_FrameBg] = ImGui::ColorConvertU32ToFloat4(IM_COL32(0xEE, 0xF0, 0xF3, 0xFF));
  c[ImGuiCol_FrameBgHovered] = ImGui::ColorConvertU32ToFloat4(IM_COL32(0xE2, 0xE6, 0xEB, 0xFF));
  c[ImGuiCol_FrameBgActive] = ImGui::ColorConvertU32ToFloat4(IM_COL32(0xD6, 0xDB, 0xE2, 0xFF));
  c[ImGuiCol_Button] = ImGui::ColorConvertU32ToFloat4(IM_COL32(0xE9, 0xEC, 0xF0, 0xFF));
  c[ImGuiCol_ButtonHovered] = ImGui::ColorConvertU32ToFloat4(IM_COL32(0xDD, 0xE2, 0xE8, 0xFF));
  c[ImGuiCol_ButtonActive] = ImGui::ColorConvertU32ToFloat4(IM_COL32(0xCF, 0xD5, 0xDD, 0xFF));
  c[ImGuiCol_CheckMark] = ImGui::ColorConvertU32ToFloat4(colors::kPractice);
  c[ImGuiCol_Header] = ImGui::ColorConvertU32ToFloat4(colors::kHighlight);
  c[ImGuiCol_HeaderHovered] = ImGui::ColorConvertU32ToFloat4(IM_COL32(0xF3, 0xF4, 0xF6, 0xFF));
  c[ImGuiCol_HeaderActive] = ImGui::ColorConvertU32ToFloat4(IM_COL32(0xFF, 0xE4, 0xD0, 0xFF));
  c[ImGuiCol_Separator] = ImGui::ColorConvertU32ToFloat4(colors::kBorder);
  c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_ModalWindowDimBg] = ImVec4(0.1f, 0.12f, 0.15f, 0.45f);
  style.ScaleAllSizes(scale);
}

ImFont* font(const UiFrame& frame, FontRole role) { return frame.fonts.font(static_cast<size_t>(role)); }

FontScope::FontScope(const UiFrame& frame, FontRole role) {
  if (ImFont* f = font(frame, role)) {
    ImGui::PushFont(f);
    pushed_ = true;
  }
}

FontScope::~FontScope() {
  if (pushed_) ImGui::PopFont();
}

namespace {

// The item ImGui just laid out held `s` in `color`.
void note_drawn(const UiFrame& frame, std::string_view s, ImU32 color) {
  if (!frame.drawn) return;
  const ImVec2 lo = ImGui::GetItemRectMin();
  const ImVec2 hi = ImGui::GetItemRectMax();
  frame.drawn->push_back(DrawnText{lo.x, lo.y, hi.x - lo.x, hi.y - lo.y, color, std::string(s)});
}

}  // namespace

void text(const UiFrame& frame, std::string_view s, FontRole role, ImU32 color) {
  frame.fonts.ensure_glyphs(s);
  const FontScope scope(frame, role);
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  ImGui::TextUnformatted(s.data(), s.data() + s.size());
  ImGui::PopStyleColor();
  note_drawn(frame, s, color);
}

void text_wrapped(const UiFrame& frame, std::string_view s, FontRole role, ImU32 color, float wrap_width) {
  // Chinese has no spaces: wrap_text breaks between characters and keeps closing punctuation
  // off the start of a line, which ImGui's own word wrap does not.
  frame.fonts.ensure_glyphs(s);
  const float width = wrap_width > 0 ? wrap_width : ImGui::GetContentRegionAvail().x;
  ImFont* f = font(frame, role);
  if (!f || width <= 1) {
    text(frame, s, role, color);
    return;
  }
  const FontScope scope(frame, role);
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  ImGui::BeginGroup();
  for (const std::string& line : wrap_text(*f, s, width, 64)) {
    ImGui::TextUnformatted(line.c_str());
    note_drawn(frame, line, color);
  }
  ImGui::EndGroup();
  ImGui::PopStyleColor();
}

void text_at(const UiFrame& frame, ImVec2 pos, std::string_view s, FontRole role, ImU32 color) {
  frame.fonts.ensure_glyphs(s);
  ImFont* f = font(frame, role);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (f) {
    dl->AddText(f, f->FontSize, pos, color, s.data(), s.data() + s.size());
  } else {
    dl->AddText(pos, color, s.data(), s.data() + s.size());
  }
  if (frame.drawn) {
    const ImVec2 size = text_size(frame, s, role);
    frame.drawn->push_back(DrawnText{pos.x, pos.y, size.x, size.y, color, std::string(s)});
  }
}

ImVec2 text_size(const UiFrame& frame, std::string_view s, FontRole role) {
  frame.fonts.ensure_glyphs(s);
  ImFont* f = font(frame, role);
  if (!f) return ImGui::CalcTextSize(s.data(), s.data() + s.size());
  return f->CalcTextSizeA(f->FontSize, 1e9f, 0.0f, s.data(), s.data() + s.size());
}

bool button(const UiFrame& frame, std::string_view label, ImVec2 size, FontRole role, ImU32 fill, ImU32 text_color) {
  frame.fonts.ensure_glyphs(label);
  const FontScope scope(frame, role);
  int colors_pushed = 1;
  ImGui::PushStyleColor(ImGuiCol_Text, text_color);
  if (fill != 0) {
    ImVec4 base = ImGui::ColorConvertU32ToFloat4(fill);
    ImVec4 hover(std::min(1.0f, base.x * 1.08f + 0.03f), std::min(1.0f, base.y * 1.08f + 0.03f),
                 std::min(1.0f, base.z * 1.08f + 0.03f), base.w);
    ImVec4 active(base.x * 0.88f, base.y * 0.88f, base.z * 0.88f, base.w);
    ImGui::PushStyleColor(ImGuiCol_Button, base);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, hover);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, active);
    colors_pushed += 3;
  }
  const std::string owned(label);
  const bool pressed = ImGui::Button(owned.c_str(), size);
  ImGui::PopStyleColor(colors_pushed);
  note_drawn(frame, owned.substr(0, owned.find("##")), text_color);
  return pressed;
}

bool checkbox(const UiFrame& frame, std::string_view label, bool* value) {
  frame.fonts.ensure_glyphs(label);
  const FontScope scope(frame, FontRole::body);
  const std::string owned(label);
  return ImGui::Checkbox(owned.c_str(), value);
}

void separator() {
  // 5 pixels at 100 %, scaled with the font (the body font is current).
  const float gap = std::round(ImGui::GetFontSize() * 0.3f);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x;
  hline(p.x, p.x + w, p.y + std::floor(gap * 0.5f), colors::kBorder);
  ImGui::Dummy(ImVec2(w, gap));
}

void hline(float x0, float x1, float y, ImU32 color) {
  const float yy = std::floor(y);
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(std::floor(x0), yy), ImVec2(std::floor(x1), yy + 1), color);
}

void vline(float x, float y0, float y1, ImU32 color) {
  const float xx = std::floor(x);
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(xx, std::floor(y0)), ImVec2(xx + 1, std::floor(y1)), color);
}

void badge(const UiFrame& frame, std::string_view s, ImU32 fill, ImU32 text_color) {
  const ImVec2 size = text_size(frame, s, FontRole::small);
  const ImVec2 pad(frame.px(7), frame.px(2));
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const float line_h = ImGui::GetTextLineHeight();
  const float y = pos.y + std::max(0.0f, (line_h - size.y - 2 * pad.y) * 0.5f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(ImVec2(pos.x, y), ImVec2(pos.x + size.x + 2 * pad.x, y + size.y + 2 * pad.y), fill, frame.px(4));
  text_at(frame, ImVec2(pos.x + pad.x, y + pad.y), s, FontRole::small, text_color);
  ImGui::Dummy(ImVec2(size.x + 2 * pad.x, std::max(line_h, size.y + 2 * pad.y)));
}

void tooltip(const UiFrame& frame, const std::vector<std::string>& lines) {
  if (!ImGui::IsItemHovered()) return;
  ImGui::BeginTooltip();
  for (const std::string& line : lines) text(frame, line);
  ImGui::EndTooltip();
}

std::string yuan(int64_t cents) { return format_money(cents); }

std::string clock_text(double seconds) {
  const auto total = static_cast<long long>(std::max(0.0, std::floor(seconds)));
  char buf[32];
  if (total >= 3600) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", total / 3600, (total / 60) % 60, total % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", total / 60, total % 60);
  }
  return buf;
}

std::string ellipsize(const UiFrame& frame, std::string_view s, float max_width, FontRole role) {
  if (text_size(frame, s, role).x <= max_width) return std::string(s);
  ImFont* f = font(frame, role);
  const float ellipsis_w = text_size(frame, "\u2026", role).x;
  const float size = f ? f->FontSize : ImGui::GetFontSize();
  const char* p = s.data();
  const char* const end = p + s.size();
  float width = 0;
  while (p < end) {
    unsigned int c = 0;
    const int n = ImTextCharFromUtf8(&c, p, end);
    if (n <= 0) break;
    const float w = f ? f->CalcTextSizeA(size, 1e9f, 0, p, p + n).x : ImGui::CalcTextSize(p, p + n).x;
    if (width + w + ellipsis_w > max_width) break;
    width += w;
    p += n;
  }
  return std::string(s.data(), p) + "\u2026";
}

}  // namespace cunbo::ui
