#include "client/session/uplink_memory.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <system_error>

#include <spdlog/spdlog.h>

#include "client/base/paths.h"

namespace cunbo {

namespace {

nlohmann::json read_all(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return nlohmann::json::object();
  nlohmann::json data = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!data.is_object()) {
    spdlog::warn("[uplink] {} is not readable; starting without it", file.string());
    return nlohmann::json::object();
  }
  return data;
}

}  // namespace

UplinkMemory::UplinkMemory(std::filesystem::path file) : file_(std::move(file)), data_(read_all(file_)) {}

std::filesystem::path UplinkMemory::default_file() { return state_dir() / "uplinks.json"; }

std::optional<UplinkRecord> UplinkMemory::recall(const std::string& host) const {
  if (host.empty()) return std::nullopt;
  const auto entry = data_.find(host);
  if (entry == data_.end() || !entry->is_object()) return std::nullopt;
  const auto kbps = entry->find("video_kbps");
  const auto limited = entry->find("limited");
  if (kbps == entry->end() || !kbps->is_number_integer() || kbps->get<int>() <= 0) return std::nullopt;
  return UplinkRecord{kbps->get<int>(), limited != entry->end() && limited->is_boolean() && limited->get<bool>()};
}

bool UplinkMemory::remember(const std::string& host, const UplinkRecord& record) {
  if (host.empty()) return false;
  data_[host] = {{"video_kbps", record.video_kbps}, {"limited", record.limited}};
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  const std::filesystem::path temp = file_.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << data_.dump(2) << '\n';
    if (!out) {
      spdlog::warn("[uplink] cannot write {}", temp.string());
      return false;
    }
  }
  std::filesystem::rename(temp, file_, ec);
  if (ec) {
    spdlog::warn("[uplink] cannot write {}: {}", file_.string(), ec.message());
    return false;
  }
  spdlog::info("[uplink] {}: {} kbit/s{}", host, record.video_kbps, record.limited ? " (what the link carried)" : "");
  return true;
}

int UplinkMemory::start_kbps(int preset_kbps, const std::optional<UplinkRecord>& last) {
  if (!last || !last->limited) return preset_kbps;
  return std::min(preset_kbps, last->video_kbps * kStartPercent / 100);
}

std::string destination_host(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return {};
  const size_t begin = scheme + 3;
  const size_t end = url.find_first_of(":/?", begin);
  std::string host = url.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  return host;
}

}  // namespace cunbo
