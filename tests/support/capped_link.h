// A real capped uplink for whole-program tests: a network namespace joined to this one by a
// veth pair, its own end shaped by the kernel's token bucket (tc tbf) at a given rate, so that
// whatever a program run inside it sends out (its uplink) is capped as a weak rural line caps
// it. Servers stay here (they listen on the host end's address); the program under test runs in
// the namespace (inside()). netem is not in this kernel: delay comes from TcpRelay when needed.
// Needs root and iproute2 (ip, tc); throws std::runtime_error with the command's words if the
// link cannot be made. The destructor deletes the namespace, the veth pair with it.
#pragma once

#include <string>

#include "tests/support/subprocess.h"

namespace cunbo::test {

class CappedLink {
 public:
  explicit CappedLink(int kbit_per_second);
  ~CappedLink();
  CappedLink(const CappedLink&) = delete;
  CappedLink& operator=(const CappedLink&) = delete;

  void set_rate(int kbit_per_second);
  // This side's address on the link: where a server here is reached from inside.
  [[nodiscard]] const std::string& host_address() const { return host_address_; }
  // The same command, run inside the namespace.
  [[nodiscard]] SpawnOptions inside(SpawnOptions options) const;

  // Whether this machine can make one (root, ip and tc); else why not.
  [[nodiscard]] static bool available(std::string* why);

 private:
  void shape(const char* verb, int kbit_per_second) const;

  std::string namespace_;
  std::string inner_device_;
  std::string host_device_;
  std::string host_address_;
  std::string inner_address_;
};

}  // namespace cunbo::test
