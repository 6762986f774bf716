#include "ui/window/uplink_check.h"

#include <cfloat>

#include <imgui.h>

#include "client/base/strings.h"
#include "client/studio/probe.h"
#include "client/studio/uplink_probe.h"
#include "ui/window/settings_widgets.h"

namespace cunbo::ui {

namespace {

bool has_url(const DestinationRow* row) { return row && !trimmed(row->url).empty(); }

void progress_bar(float progress) {
  const std::string percent = std::to_string(static_cast<int>(progress * 100)) + "%";
  ImGui::ProgressBar(progress, ImVec2(-FLT_MIN, 0), percent.c_str());
}

}  // namespace

UplinkCheck::UplinkCheck(UplinkRunner& uplink, ProbeRunner& speed, bool speed_first)
    : uplink_(uplink), speed_(speed), speed_first_(speed_first) {}

UplinkCheck::~UplinkCheck() { stop(); }

bool UplinkCheck::take_destination(const DestinationRow& row) {
  const std::string key = trimmed(row.key);
  auto made = make_destination(trimmed(row.url), key.empty() ? std::nullopt : std::optional<std::string>(key));
  if (const auto* problem = std::get_if<DestinationError>(&made)) {
    error_ = tr(problem->id, problem->what);
    phase_ = Phase::idle;
    return false;
  }
  destination_ = std::get<Destination>(std::move(made));
  error_.reset();
  return true;
}

void UplinkCheck::ask(const DestinationRow& row) {
  if (phase_ == Phase::speed || phase_ == Phase::uplink) return;
  if (take_destination(row)) phase_ = Phase::confirming;
}

void UplinkCheck::confirm(const DestinationRow& row, const std::string& ca_file, Quality current) {
  if (phase_ == Phase::speed || phase_ == Phase::uplink) return;
  if (!take_destination(row)) return;
  ca_file_ = ca_file;
  current_ = current;
  error_.reset();
  outcome_.reset();
  chosen_.reset();
  const std::optional<ProbeResult> speed = speed_.result();
  if (speed_first_ && !speed_.running() && !(speed && speed->chosen && !speed->cancelled)) {
    speed_.start();
    phase_ = Phase::speed;
    return;
  }
  start_uplink();
}

void UplinkCheck::start_uplink() {
  uplink_.start(destination_, ca_file_);
  phase_ = Phase::uplink;
}

void UplinkCheck::stop() {
  if (phase_ == Phase::speed) speed_.cancel();
  if (phase_ == Phase::uplink) uplink_.cancel();
  if (phase_ == Phase::confirming) phase_ = Phase::idle;
}

Quality UplinkCheck::speed_bound() const {
  const std::optional<ProbeResult> speed = speed_.result();
  if (speed && speed->chosen && !speed->cancelled) return *speed->chosen;
  return current_;  // not measured (skipped, failed): no higher than the host has now
}

void UplinkCheck::poll(Quality& quality) {
  if (phase_ == Phase::speed && !speed_.running()) {
    const std::optional<ProbeResult> speed = speed_.result();
    if (speed && speed->cancelled) {  // 停止 during the first half
      outcome_ = tr("uplink.cancelled");
      phase_ = Phase::done;
      return;
    }
    start_uplink();
  }
  if (phase_ != Phase::uplink || uplink_.running()) return;
  const std::optional<UplinkResult> result = uplink_.result();
  if (!result) return;
  phase_ = Phase::done;
  if (result->cancelled) {
    outcome_ = tr("uplink.cancelled");
    return;
  }
  const Quality chosen = result->reached ? uplink_choice(*result, speed_bound()) : quality;
  outcome_ = uplink_summary(*result, chosen);
  if (result->reached) {
    chosen_ = chosen;
    quality = chosen;
  }
}

void UplinkCheck::draw(const DestinationRow* row, const std::string& ca_file, Quality& quality, bool live,
                       ImFont* bold) {
  poll(quality);
  ImGui::PushID("uplink");
  switch (phase_) {
    case Phase::confirming:
      wrapped_text(tr("uplink.confirm", destination_.display_url));
      if (primary_button(tr("uplink.start") + "##start") && row) confirm(*row, ca_file, quality);
      ImGui::SameLine();
      if (ImGui::Button((tr("uplink.cancel") + "##cancel").c_str())) stop();
      break;
    case Phase::speed:
      ImGui::TextUnformatted(tr("uplink.speed_first").c_str());
      progress_bar(speed_.progress() * 0.5f);
      if (ImGui::Button((tr("uplink.stop") + "##stop").c_str())) stop();
      break;
    case Phase::uplink:
      wrapped_text(tr("probe.uplink_running", destination_.display_url));
      progress_bar(speed_first_ ? 0.5f + uplink_.progress() * 0.5f : uplink_.progress());
      if (ImGui::Button((tr("uplink.stop") + "##stop").c_str())) stop();
      break;
    case Phase::idle:
    case Phase::done: {
      if (outcome_) {
        if (bold) ImGui::PushFont(bold);
        wrapped_text(*outcome_);
        if (bold) ImGui::PopFont();
        if (chosen_) hint_text(tr("uplink.chosen", quality_label(*chosen_)));
      }
      const bool can = has_url(row) && !live;
      ImGui::BeginDisabled(!can);
      if (ImGui::Button((tr(outcome_ ? "uplink.again" : "uplink.button") + "##ask").c_str()) && row) ask(*row);
      ImGui::EndDisabled();
      ImGui::SameLine();
      ImGui::AlignTextToFramePadding();
      hint_text(tr(live ? "uplink.live" : has_url(row) ? "uplink.hint" : "uplink.need_url"));
      break;
    }
  }
  if (error_) error_text(*error_);
  ImGui::PopID();
}

void UplinkCheck::collect_text(std::string& out) const {
  append_texts(out, {"uplink.button", "uplink.again", "uplink.hint", "uplink.need_url", "uplink.live", "uplink.start",
                     "uplink.cancel", "uplink.stop", "uplink.speed_first", "uplink.cancelled"});
  out += "0123456789%";
  if (phase_ == Phase::confirming) out += tr("uplink.confirm", destination_.display_url);
  if (phase_ == Phase::uplink) out += tr("probe.uplink_running", destination_.display_url);
  if (outcome_) out += *outcome_;
  if (chosen_) out += tr("uplink.chosen", quality_label(*chosen_));
  if (error_) out += *error_;
}

}  // namespace cunbo::ui
