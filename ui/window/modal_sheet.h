// A dialog as a modal sheet: a plain white card centred over the studio window, which is dimmed
// behind it and takes no clicks while it is up. No title bar, no collapse triangle, no resize
// grip: nothing a host could fold away or drag by accident. The sheet has a drawn heading, a
// body that scrolls when it is taller than the window allows, and a footer (the sheet's buttons)
// that always stays in view. As tall as its content, up to the height it is given.
// The settings (settings_panel.h) and the first-start guide (first_start_guide.h) are sheets.
// UI thread only, inside the window's ImGuiContextGuard.
#pragma once

#include <string>

#include "ui/window/panel.h"

struct ImFont;

namespace cunbo::ui {

// How a sheet draws: its heading's and strong text's fonts (null: the current font) and the UI
// scale its spacing is multiplied by (the fonts are already at that scale).
struct SheetLook {
  ImFont* heading = nullptr;
  ImFont* bold = nullptr;
  float scale = 1;
};

class ModalSheet : public Panel {
 public:
  using Panel::Panel;

  // While open: the sheet, `width` wide and at most `max_height` tall, centred in the window;
  // opens the modal the first time and closes it once the sheet is closed (set_open(false)).
  // Pixels, at the window's scale.
  void draw_modal(float width, float max_height, const SheetLook& look);
  // The modal is up (between draw_modal's opening and closing it).
  [[nodiscard]] bool modal_up() const { return modal_up_; }

 protected:
  // The heading drawn at the top of the sheet, in the current language.
  [[nodiscard]] virtual std::string heading() const = 0;
  virtual void draw_body() = 0;    // scrolls when too tall
  virtual void draw_footer() = 0;  // always in view, under a rule
  [[nodiscard]] const SheetLook& look() const { return look_; }
  // A sheet of several steps grows to its tallest step and keeps that height while open, so that
  // its buttons do not jump from step to step.
  void keep_tallest(bool on) { keep_tallest_ = on; }

 private:
  void draw_content() override;

  SheetLook look_;
  float body_height_ = 0;    // the body's content height, measured in the last frame
  float header_height_ = 0;  // the heading's, with its rule
  float footer_height_ = 0;  // the footer's
  float tallest_body_ = 0;    // with keep_tallest: the tallest body since the sheet opened
  bool keep_tallest_ = false;
  bool modal_up_ = false;
};

}  // namespace cunbo::ui
