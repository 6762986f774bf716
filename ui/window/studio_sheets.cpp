#include "ui/window/studio_sheets.h"

#include <algorithm>
#include <cmath>

#include <imgui.h>

namespace cunbo::ui {

const std::string& StudioSheets::prepare(const StudioSnapshot& snap) {
  const auto save = [this](const Config& c) { return save_settings(studio_, c); };
  if (settings_requested_) {
    settings_requested_ = false;
    if (!settings_)
      settings_ = std::make_unique<SettingsPanel>([this] { return studio_.config(); }, save, studio_.devices(),
                                                  studio_.probe(), studio_.uplink());
    settings_->show();
  }
  if (snap.needs_setup && !guide_)
    guide_ = std::make_unique<FirstStartGuide>([this] { return studio_.config(); }, save,
                                               [this](GuideResult r) { studio_.set_practice(r.practice); },
                                               studio_.probe(), studio_.uplink(), studio_.devices());
  if (settings_) settings_->set_live(snap.state != StudioState::idle);
  text_.clear();
  if (settings_open()) {
    settings_->update();
    settings_->collect_text(text_);
  }
  if (guide_ && snap.needs_setup && guide_->is_open()) {
    guide_->update();
    guide_->collect_text(text_);
  }
  return text_;
}

void StudioSheets::draw(const StudioSnapshot& snap, const SheetLook& look, float scale) {
  const ImVec2 screen = ImGui::GetIO().DisplaySize;
  const float margin = std::round(20 * scale);
  if (settings_) settings_->draw_modal(std::min(std::round(900 * scale), screen.x - 2 * margin), screen.y - 2 * margin, look);
  if (guide_ && snap.needs_setup)
    guide_->draw_modal(std::min(std::round(760 * scale), screen.x - 2 * margin), screen.y - 2 * margin, look);
}

bool StudioSheets::open(const StudioSnapshot& snap) const {
  return settings_open() || (guide_ && snap.needs_setup && guide_->is_open());
}

}  // namespace cunbo::ui
