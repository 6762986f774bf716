// The studio window's two sheets, 设置 and the first-start guide: made when first wanted, given
// the studio's runners and devices, kept told whether the studio is live, their text handed to
// the atlas before the frame that draws them, drawn over the window. UI thread only.
#pragma once

#include <memory>
#include <string>

#include "client/studio/studio.h"
#include "ui/window/first_start_guide.h"
#include "ui/window/modal_sheet.h"
#include "ui/window/settings_panel.h"

namespace cunbo::ui {

class StudioSheets {
 public:
  explicit StudioSheets(Studio& studio) : studio_(studio) {}

  void request_settings() { settings_requested_ = true; }  // opened in the next frame
  // Before the frame: opens what was asked for, moves finished tests on, and returns every text
  // the open sheets will draw (for FontSet::ensure_glyphs).
  [[nodiscard]] const std::string& prepare(const StudioSnapshot& snap);
  void draw(const StudioSnapshot& snap, const SheetLook& look, float scale);

  [[nodiscard]] bool open(const StudioSnapshot& snap) const;
  [[nodiscard]] bool settings_open() const { return settings_ && settings_->is_open(); }
  void cancel_settings() {
    if (settings_open()) settings_->cancel();
  }
  void reset() {  // before ImGui goes
    settings_.reset();
    guide_.reset();
  }

 private:
  Studio& studio_;
  std::unique_ptr<SettingsPanel> settings_;  // made at the first 设置
  std::unique_ptr<FirstStartGuide> guide_;   // made on first start
  std::string text_;                         // what the open sheets will draw
  bool settings_requested_ = false;
};

}  // namespace cunbo::ui
