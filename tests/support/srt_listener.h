// A real SRT receiver for whole-program tests: Debian's srt-live-transmit (srt-tools) as the
// listener on a loopback UDP port, writing the MPEG-TS it receives to a file. stop() and
// start() again keep the port, for "the listener restarted".
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace cunbo::test {

class SrtListener {
 public:
  // `query`: listener options after '?' (e.g. "passphrase=…"), empty for none. Throws if
  // srt-live-transmit is missing or does not bind its port.
  explicit SrtListener(std::string query = {});
  ~SrtListener();
  SrtListener(const SrtListener&) = delete;
  SrtListener& operator=(const SrtListener&) = delete;

  [[nodiscard]] int port() const { return port_; }
  // "srt://127.0.0.1:PORT" plus `query` ("?passphrase=…&streamid=…") as a client gives it.
  [[nodiscard]] std::string url(const std::string& query = {}) const;
  // What arrived: one file per start(), the latest last.
  [[nodiscard]] std::filesystem::path received(int run) const;
  [[nodiscard]] int runs() const { return runs_; }

  void stop();   // SIGTERM, then waits for it to end
  void start();  // the same port again, a new file

 private:
  TempDir dir_{"cunbo-srt"};
  std::string query_;
  int port_ = 0;
  int runs_ = 0;
  std::unique_ptr<Subprocess> process_;
};

}  // namespace cunbo::test
