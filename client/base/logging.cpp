#include "client/base/logging.h"

#include <filesystem>
#include <memory>
#include <vector>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "client/base/paths.h"

namespace cunbo {

void setup_logging(bool verbose) {
  std::vector<spdlog::sink_ptr> sinks;
  try {
    const auto path = state_dir() / "cunbo.log";
    std::filesystem::create_directories(path.parent_path());
    sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(path.string(), 2 << 20, 3));
  } catch (const std::exception&) {
    // An unwritable home must not stop a host from recording; the log is a convenience.
  }
  if (verbose) {
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_level(spdlog::level::debug);
    sinks.push_back(console);
  }
  auto logger = std::make_shared<spdlog::logger>("cunbo", sinks.begin(), sinks.end());
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %l %v");
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

}  // namespace cunbo
