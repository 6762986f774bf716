// Widgets the settings panel and the first-start guide share. ImGui: UI thread, inside a window.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include <imgui.h>

#include "client/base/strings.h"
#include "media/encoder_settings.h"
#include "ui/window/settings_form.h"

namespace cunbo::ui {

// The mask a hidden secret shows as (U+25CF). The window's font atlas needs the glyph: it is part
// of every collect_text().
inline constexpr std::string_view kSecretDot = "\u25CF";

// A text field for a stream key or token: ●●●● unless `reveal`. Typing and pasting work either
// way; a hidden secret cannot be copied out. True when the text changed.
bool secret_input(const char* id, std::string& text, bool reveal, float width);

// A label in the left column, vertically centred on the widget that follows on the same line
// at `column` pixels from the window's left.
void field_label(const std::string& text, float column);
// The widest of `labels` plus spacing: the left column's width.
[[nodiscard]] float label_column(std::span<const std::string_view> ids);

// A section heading in `font` (null: the current font), dark like the text, over a 1-pixel rule
// across the content region.
void section_heading(const std::string& text, ImFont* font);
// Host-facing error text, red, wrapped.
void error_text(const std::string& text);
// Gray explanatory text, wrapped (between any two Chinese characters, never before closing
// punctuation).
void hint_text(const std::string& text);
// Body text wrapped like hint_text, in the text colour.
void wrapped_text(const std::string& text);
// The sheet's main action (保存, 完成, 下一步): white on blue, so that it is found at once.
bool primary_button(const std::string& label, ImVec2 size = {0, 0});

// 流畅 480p / 标清 720p / 高清 1080p as radio buttons on one line; true when changed.
bool quality_radios(Quality& quality);
// 中文 / English; true when changed (the caller decides whether to set_language now).
bool language_radios(Language& language);

// Appends tr(id) for each id, with a newline, to `out`.
void append_texts(std::string& out, std::span<const std::string_view> ids);
void append_texts(std::string& out, std::initializer_list<std::string_view> ids);

}  // namespace cunbo::ui
