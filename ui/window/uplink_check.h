// 测网速 in the first-start guide and in 设置: with the host's confirmation (a test picture goes to
// their platform for about 8 s), the uplink test to the push address being edited, on the
// studio's UplinkRunner; together with the encode-speed test (run first when 设置 has no result
// of it yet) it picks the quality, set in the form, and says why in one sentence. UI thread only.
#pragma once

#include <optional>
#include <string>

#include "client/studio/probe_runner.h"
#include "media/encoder_settings.h"
#include "ui/window/settings_form.h"

struct ImFont;

namespace cunbo::ui {

class UplinkCheck {
 public:
  enum class Phase { idle, confirming, speed, uplink, done };

  // `speed_first`: measure the encode speed before the uplink when there is no result of it
  // (设置); the guide has its own step for it, and a host who skipped it is not asked again.
  UplinkCheck(UplinkRunner& uplink, ProbeRunner& speed, bool speed_first);
  ~UplinkCheck();  // stops a running test
  UplinkCheck(const UplinkCheck&) = delete;
  UplinkCheck& operator=(const UplinkCheck&) = delete;

  // The buttons' actions (tests call them directly).
  // 测网速: asks before anything is sent (naming the address, its key masked); a row that is
  // not a push address gets a plain error instead.
  void ask(const DestinationRow& row);
  // 开始测速: measures to `row`'s address (as it is now), at most at `current` when the encode
  // speed is not known.
  void confirm(const DestinationRow& row, const std::string& ca_file, Quality current);
  void stop();  // 取消 / 停止

  // Advances the test and draws it; when it has finished, sets `quality` (once per test).
  // `live`: the studio is streaming, and the test would take the stream's uplink: not offered.
  // `bold`: the outcome's font (may be null).
  void draw(const DestinationRow* row, const std::string& ca_file, Quality& quality, bool live, ImFont* bold);
  // Moves the test on without drawing (draw() calls it; tests too).
  void poll(Quality& quality);

  [[nodiscard]] Phase phase() const { return phase_; }
  // The sentence once done: 上传速度约 1.2 Mbit/s，建议流畅 480p, or why there is none.
  [[nodiscard]] const std::optional<std::string>& outcome() const { return outcome_; }
  [[nodiscard]] const std::optional<std::string>& error() const { return error_; }
  // Every text it may draw now, for the font atlas.
  void collect_text(std::string& out) const;

 private:
  bool take_destination(const DestinationRow& row);
  void start_uplink();
  [[nodiscard]] Quality speed_bound() const;

  UplinkRunner& uplink_;
  ProbeRunner& speed_;
  bool speed_first_;
  Phase phase_ = Phase::idle;
  Destination destination_;
  std::string ca_file_;
  Quality current_ = Quality::standard_720p;  // the form's quality when the host confirmed
  std::optional<std::string> outcome_;
  std::optional<Quality> chosen_;
  std::optional<std::string> error_;
};

}  // namespace cunbo::ui
