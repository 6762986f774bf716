#include "ui/window/top_bar.h"

#include <algorithm>

#include "client/base/strings.h"
#include "client/studio/studio.h"

namespace cunbo::ui {

TopBar::TopBar() : StudioPanel("##topbar") {}

bool TopBar::take_settings_clicked() { return std::exchange(settings_clicked_, false); }
bool TopBar::take_language_changed() { return std::exchange(language_changed_, false); }

void TopBar::draw_content() {
  const UiFrame& f = frame();
  const StudioSnapshot& snap = f.snapshot;
  const float mid = (ImGui::GetWindowHeight() - ImGui::GetFrameHeight()) * 0.5f;

  ImGui::SetCursorPosY(mid - f.px(3));
  text(f, tr("win.app_name"), FontRole::big, colors::kLive);
  ImGui::SameLine(0, f.px(10));
  ImGui::SetCursorPosY(mid + f.px(5));
  text(f, "Cunbo Studio", FontRole::small, colors::kMuted);

  // Where orders come from, in a word and a coloured dot.
  std::string feed;
  ImU32 color = colors::kMuted;
  if (snap.practice) {
    feed = tr("win.feed_practice");
    color = colors::kPractice;
  } else if (!snap.platform_configured) {  // no platform: the products are the sample catalog
    feed = tr("win.feed_sample");
  } else {
    switch (snap.feed_state) {
      case FeedState::connecting:
        feed = tr("win.feed_connecting");
        color = colors::kWarn;
        break;
      case FeedState::online:
        feed = tr("win.feed_online");
        color = colors::kGood;
        break;
      case FeedState::offline_retrying:
        feed = tr("win.feed_offline");
        color = colors::kWarn;
        break;
      case FeedState::login_required:
        feed = tr("win.feed_login");
        color = colors::kBad;
        break;
      case FeedState::stopped:
        feed = tr("win.feed_none");
        break;
    }
  }
  ImGui::SameLine(0, f.px(34));
  ImGui::SetCursorPosY(mid + f.px(3));
  const ImVec2 dot = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(dot.x + f.px(6), dot.y + ImGui::GetTextLineHeight() * 0.5f + f.px(1)),
                                             f.px(5), color, 12);
  ImGui::Dummy(ImVec2(f.px(14), 1));
  ImGui::SameLine(0, f.px(6));
  text(f, feed, FontRole::body, colors::kText);

  // Right side: language, settings.
  const std::string settings_label = tr("win.settings");
  const float settings_w = text_size(f, settings_label, FontRole::body).x + 2 * ImGui::GetStyle().FramePadding.x;
  const char* const kLanguages[] = {"\u4E2D\u6587", "English"};  // 中文: each name in its own language
  for (const char* l : kLanguages) f.fonts.ensure_glyphs(l);
  const float combo_w = f.px(120);
  const float right = ImGui::GetWindowContentRegionMax().x;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX() + f.px(20), right - settings_w - combo_w - f.px(12)));
  ImGui::SetCursorPosY(mid);
  {
    const FontScope scope(f, FontRole::body);
    ImGui::SetNextItemWidth(combo_w);
    int current = current_language() == Language::en ? 1 : 0;
    if (ImGui::Combo("##language", &current, kLanguages, 2)) {
      set_language(current == 1 ? Language::en : Language::zh_CN);
      language_changed_ = true;
    }
  }
  ImGui::SameLine(0, f.px(12));
  ImGui::SetCursorPosY(mid);
  if (button(f, settings_label + "##settings", ImVec2(settings_w, 0), FontRole::body)) settings_clicked_ = true;
}

}  // namespace cunbo::ui
