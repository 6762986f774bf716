#include "tests/support/capped_link.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <vector>

namespace cunbo::test {

namespace {

void must(const std::vector<std::string>& argv) {
  const RunResult r = run(SpawnOptions(argv), std::chrono::seconds(20));
  if (!r.status.success()) {
    std::string command;
    for (const std::string& a : argv) command += (command.empty() ? "" : " ") + a;
    throw std::runtime_error("`" + command + "` failed: " + r.err + r.out);
  }
}

}  // namespace

bool CappedLink::available(std::string* why) {
  if (::geteuid() != 0) {
    if (why) *why = "network namespaces need root";
    return false;
  }
  for (const char* tool : {"/usr/sbin/ip", "/usr/sbin/tc"}) {
    if (::access(tool, X_OK) != 0) {
      if (why) *why = std::string(tool) + " is missing: install the Debian package 'iproute2'";
      return false;
    }
  }
  return true;
}

CappedLink::CappedLink(int kbit_per_second) {
  static std::atomic<int> made{0};
  const int n = made.fetch_add(1) % 60;
  const int pid = static_cast<int>(::getpid());
  const std::string id = std::to_string(pid % 100000) + "n" + std::to_string(n);
  namespace_ = "cunbo-up-" + id;
  host_device_ = "cuh" + id;   // interface names: 15 characters at most
  inner_device_ = "cui" + id;
  const std::string subnet = "10.234." + std::to_string(pid % 250) + ".";
  host_address_ = subnet + std::to_string(4 * n + 1);
  inner_address_ = subnet + std::to_string(4 * n + 2);
  must({"ip", "netns", "add", namespace_});
  try {
    must({"ip", "link", "add", host_device_, "type", "veth", "peer", "name", inner_device_});
    must({"ip", "link", "set", inner_device_, "netns", namespace_});
    must({"ip", "addr", "add", host_address_ + "/30", "dev", host_device_});
    must({"ip", "link", "set", host_device_, "up"});
    must({"ip", "-n", namespace_, "addr", "add", inner_address_ + "/30", "dev", inner_device_});
    must({"ip", "-n", namespace_, "link", "set", inner_device_, "up"});
    must({"ip", "-n", namespace_, "link", "set", "lo", "up"});
    shape("add", kbit_per_second);
  } catch (...) {
    (void)run(SpawnOptions({"ip", "link", "del", host_device_}), std::chrono::seconds(10));
    (void)run(SpawnOptions({"ip", "netns", "del", namespace_}), std::chrono::seconds(10));
    throw;
  }
}

CappedLink::~CappedLink() {
  (void)run(SpawnOptions({"ip", "link", "del", host_device_}), std::chrono::seconds(10));
  (void)run(SpawnOptions({"ip", "netns", "del", namespace_}), std::chrono::seconds(10));
}

// The sender's side (inside) is shaped: what leaves the namespace is the uplink. The bucket
// holds a few packets (a burst a DSL modem would pass), and a queue of at most 100 ms.
void CappedLink::shape(const char* verb, int kbit_per_second) const {
  must({"ip", "netns", "exec", namespace_, "tc", "qdisc", verb, "dev", inner_device_, "root", "tbf", "rate",
        std::to_string(kbit_per_second) + "kbit", "burst", "32kb", "latency", "100ms"});
}

void CappedLink::set_rate(int kbit_per_second) { shape("change", kbit_per_second); }

SpawnOptions CappedLink::inside(SpawnOptions options) const {
  options.argv.insert(options.argv.begin(), {"ip", "netns", "exec", namespace_});
  return options;
}

}  // namespace cunbo::test
