#include "client/studio/probe_runner.h"

#include <utility>

#include "client/session/uplink_memory.h"

namespace cunbo {

ProbeRunner::ProbeRunner(ProbeFn probe, std::chrono::milliseconds budget) : probe_(std::move(probe)), budget_(budget) {
  if (!probe_) probe_ = probe_encode_speed;
}

void ProbeRunner::start() {
  task_.start([this](std::function<void(float)> progress, std::stop_token stop) {
    return probe_(budget_, std::move(progress), std::move(stop));
  });
}

UplinkRunner::UplinkRunner(UplinkFn uplink) : uplink_(std::move(uplink)) {
  if (!uplink_) {
    uplink_ = [](const Destination& destination, const std::string& ca_file, std::function<void(float)> progress,
                 std::stop_token stop) {
      UplinkResult result = probe_uplink(destination, ca_file, std::move(progress), std::move(stop));
      remember_uplink(destination, result, UplinkMemory::default_file());
      return result;
    };
  }
}

void UplinkRunner::start(Destination destination, std::string ca_file) {
  task_.start([this, destination = std::move(destination), ca_file = std::move(ca_file)](
                  std::function<void(float)> progress, std::stop_token stop) {
    return uplink_(destination, ca_file, std::move(progress), std::move(stop));
  });
}

}  // namespace cunbo
