#include "ui/window/comments_panel.h"

#include "client/base/strings.h"
#include "client/studio/studio.h"

namespace cunbo::ui {

namespace {

// Comments are shown as written, but a hostile one cannot flood the atlas or the layout.
constexpr size_t kMaxCommentBytes = 600;

}  // namespace

CommentsPanel::CommentsPanel() : StudioPanel("##comments") {}

void CommentsPanel::draw_content() {
  const UiFrame& f = frame();
  const StudioSnapshot& snap = f.snapshot;
  text(f, tr("win.comments_title"), FontRole::heading);
  separator();
  if (snap.comments.empty()) {
    text_wrapped(f, tr("win.comments_empty"), FontRole::body, colors::kMuted);
    return;
  }
  ImGui::BeginChild("##comment_list", ImVec2(0, 0), false);
  for (size_t i = 0; i < snap.comments.size(); ++i) {
    const Comment& c = snap.comments[i].comment;
    ImGui::PushID(static_cast<int>(i));
    const std::string who = (c.user.empty() ? tr("win.viewer_unknown") : c.user) + tr("win.comment_colon");
    text(f, who, FontRole::bold, colors::kPractice);
    ImGui::SameLine(0, f.px(4));
    std::string body = c.text.size() > kMaxCommentBytes ? c.text.substr(0, kMaxCommentBytes) : c.text;
    // Cut on a character boundary, never inside a UTF-8 sequence.
    while (!body.empty() && body.size() < c.text.size() && (static_cast<unsigned char>(c.text[body.size()]) & 0xC0) == 0x80) {
      body.pop_back();
    }
    text_wrapped(f, body, FontRole::body);
    ImGui::PopID();
  }
  ImGui::EndChild();
}

}  // namespace cunbo::ui
