// A real X display for window tests: Xvfb on the first free display number (:99 on), killed at
// the end. It can be frozen (SIGSTOP) and thawed: a display server that stops answering is what
// stalls a real window's UI thread (every SDL present waits for the server), with no hook in
// the program under test.
#pragma once

#include <memory>
#include <string>

#include "tests/support/subprocess.h"

namespace cunbo::test {

class Xvfb {
 public:
  Xvfb();  // throws when no display can be started
  ~Xvfb();  // thawed and ended with SIGTERM, so that it takes its lock and socket away
  Xvfb(const Xvfb&) = delete;
  Xvfb& operator=(const Xvfb&) = delete;
  [[nodiscard]] const std::string& display() const { return display_; }
  // The server stops answering (every client's next round trip waits) / answers again.
  void freeze();
  void thaw();

 private:
  std::string display_;
  std::unique_ptr<Subprocess> server_;
};

}  // namespace cunbo::test
