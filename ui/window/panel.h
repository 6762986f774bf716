// The base of every panel in the studio window: a title (the ImGui window's id), whether it is
// open, and draw_content(), which a subclass fills in. How a panel is framed is its family's: a
// fixed rectangle of the studio window (studio_panel.h) or a modal sheet over it
// (modal_sheet.h). Each panel is one file; UI-only state lives in the panel.
#pragma once

#include <string>

namespace cunbo::ui {

class Panel {
 public:
  explicit Panel(std::string title) : title_(std::move(title)) {}
  virtual ~Panel() = default;
  Panel(const Panel&) = delete;
  Panel& operator=(const Panel&) = delete;

  [[nodiscard]] bool is_open() const { return open_; }
  void set_open(bool open) { open_ = open; }
  [[nodiscard]] const std::string& title() const { return title_; }

 protected:
  virtual void draw_content() = 0;

 private:
  std::string title_;
  bool open_ = true;
};

}  // namespace cunbo::ui
