// The end-of-session review, shown once when a session has ended (snapshot.last_summary):
// how long, how many orders, how much money, time and orders per product, and what the
// network and the computer lost (dropped frames, reconnects), with where the recording is.
#pragma once

#include <optional>
#include <string>

#include "ui/window/studio_panel.h"

namespace cunbo::ui {

class SummaryDialog : public StudioPanel {
 public:
  SummaryDialog();

  [[nodiscard]] bool showing() const { return showing_; }
  void close() { close_requested_ = true; }  // Enter / Esc

 protected:
  void draw_content() override;

 private:
  std::string shown_key_;  // which summary was shown (and closed) already
  bool showing_ = false;
  bool close_requested_ = false;
};

}  // namespace cunbo::ui
