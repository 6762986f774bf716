#include "client/session/session_summary.h"

#include <algorithm>
#include <fstream>
#include <string_view>
#include <system_error>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace cunbo {

void SessionStory::presented(const std::optional<std::string>& product_id, int64_t at_us) {
  if (!timeline_.empty() && timeline_.back().product_id == product_id) return;
  timeline_.push_back({at_us, product_id});
}

void SessionStory::fill(SessionSummary& summary, int64_t end_us, const Tally& sold,
                        const std::function<std::string(const std::string&)>& title_of) const {
  summary.orders = sold.total.orders;
  summary.items = sold.total.items;
  summary.gmv_cents = sold.total.cents;
  summary.presented.clear();
  for (size_t i = 0; i < timeline_.size(); ++i) {
    const std::optional<std::string>& id = timeline_[i].product_id;
    if (!id) continue;
    const int64_t until = std::min(end_us, i + 1 < timeline_.size() ? timeline_[i + 1].at_us : end_us);
    const double seconds = static_cast<double>(std::max<int64_t>(0, until - timeline_[i].at_us)) / 1e6;
    auto it = std::find_if(summary.presented.begin(), summary.presented.end(),
                           [&](const SessionSummary::Presented& p) { return p.product_id == *id; });
    if (it == summary.presented.end()) {
      SessionSummary::Presented p;
      p.product_id = *id;
      p.title = title_of(*id);
      if (auto found = sold.per_product.find(*id); found != sold.per_product.end()) p.orders = found->second.orders;
      summary.presented.push_back(std::move(p));
      it = summary.presented.end() - 1;
    }
    it->seconds += seconds;
  }
}

std::filesystem::path summary_path(const std::filesystem::path& recording, const std::filesystem::path& event_log) {
  if (!recording.empty()) return recording.string() + ".summary.json";
  std::string base = event_log.string();
  constexpr std::string_view kEvents = ".events.jsonl";
  if (base.ends_with(kEvents)) base.resize(base.size() - kEvents.size());
  return base + ".summary.json";
}

std::string summary_json_text(const SessionSummary& s) {
  nlohmann::json presented = nlohmann::json::array();
  for (const SessionSummary::Presented& p : s.presented)
    presented.push_back(
        {{"product_id", p.product_id}, {"title", p.title}, {"seconds", p.seconds}, {"orders", p.orders}});
  nlohmann::json destinations = nlohmann::json::array();
  for (const SessionSummary::DestinationResult& d : s.destinations)
    destinations.push_back({{"url", d.display_url},
                            {"attempts", d.attempts},
                            {"failures", d.failures},
                            {"connections", d.connections},
                            {"went_live", d.connections > 0},
                            {"live_s", d.live_s},
                            {"bytes", d.bytes},
                            {"drops", d.drops},
                            {"key_rejected", d.key_rejected},
                            {"last_failure", d.last_failure},
                            {"latency_p50_ms", d.latency_p50_ms},
                            {"latency_p95_ms", d.latency_p95_ms}});
  const nlohmann::json j = {{"recording", s.recording.string()},
                            {"practice", s.practice},
                            {"duration_s", s.duration_s},
                            {"orders", s.orders},
                            {"items", s.items},
                            {"gmv_cents", s.gmv_cents},
                            {"presented", std::move(presented)},
                            {"frames_dropped", s.frames_dropped},
                            {"network_drops", s.network_drops},
                            {"reconnects", s.reconnects},
                            {"destinations", std::move(destinations)},
                            {"recording_failed", s.recording_failed},
                            {"recording_until_s", s.recording_until_s},
                            {"camera_losses", s.camera_losses},
                            {"mic_losses", s.mic_losses},
                            {"encoder_restarts", s.encoder_restarts},
                            {"encoder_failed", s.encoder_failed},
                            {"event_lines_lost", s.event_lines_lost}};
  return j.dump(2);
}

bool save_summary(const std::filesystem::path& path, const SessionSummary& summary) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << summary_json_text(summary) << '\n';
    if (!out.flush()) {
      out.close();
      spdlog::error("[summary] cannot write {}", tmp.string());
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);  // a full disk: no empty file left beside the recording
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    spdlog::error("[summary] cannot write {}: {}", path.string(), ec.message());
    std::filesystem::remove(tmp, ec);
    return false;
  }
  return true;
}

}  // namespace cunbo
