// The base of every panel in the studio window: draw() wraps ImGui's Begin/End and calls the
// panel's draw_content(). Each panel is one file; UI-only state lives in the panel.
#pragma once

#include <string>

namespace cunbo::ui {

class Panel {
 public:
  explicit Panel(std::string title) : title_(std::move(title)) {}
  virtual ~Panel() = default;
  Panel(const Panel&) = delete;
  Panel& operator=(const Panel&) = delete;

  // Draws the panel if it is open. Call once per UI frame, on the UI thread.
  void draw();

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
