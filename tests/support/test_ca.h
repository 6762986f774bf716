// A certificate authority of the test's own, made with Debian's openssl command: its CA file
// for `--ca-file`, and server certificates it signs for a name (an IP address or a DNS name).
// Nothing of it is known to the system's CA store.
#pragma once

#include <filesystem>
#include <string>

#include "tests/support/temp_dir.h"

namespace cunbo::test {

struct ServerCertificate {
  std::filesystem::path certificate;  // PEM
  std::filesystem::path key;          // PEM
};

class TestCa {
 public:
  TestCa();  // throws std::runtime_error with openssl's words when it cannot make the CA
  [[nodiscard]] const std::filesystem::path& ca_file() const { return ca_file_; }
  // A certificate for `name` ("127.0.0.1" or "other.example"), valid from now for `days` (2);
  // a negative `days` makes one that expired that long ago.
  [[nodiscard]] ServerCertificate issue(const std::string& name, const std::string& label, int days = 2);

 private:
  TempDir dir_{"cunbo-test-ca"};
  std::filesystem::path ca_file_;
  std::filesystem::path ca_key_;
};

}  // namespace cunbo::test
