// Orders as they come, newest first, under running totals (订单 / 件数 / 成交额 ¥), and the
// switch for the short sound a new order plays (the window plays it; this panel owns the
// host's choice).
#pragma once

#include <cstdint>

#include "ui/window/studio_panel.h"

namespace cunbo::ui {

class OrdersPanel : public StudioPanel {
 public:
  OrdersPanel();

  [[nodiscard]] bool muted() const { return muted_; }
  void set_muted(bool muted) { muted_ = muted; }

 protected:
  void draw_content() override;

 private:
  bool muted_ = false;
  uint64_t seen_ = 0;            // snapshot.orders_seen at the last draw
  int fresh_ = 0;                // how many rows on top are new
  double fresh_since_ = -100;    // ImGui time they came
};

}  // namespace cunbo::ui
