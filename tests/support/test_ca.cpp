#include "tests/support/test_ca.h"

#include <arpa/inet.h>

#include <stdexcept>
#include <vector>

#include "tests/support/subprocess.h"

namespace cunbo::test {

namespace {

using namespace std::chrono_literals;

void openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{require_program("openssl", "openssl").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  const RunResult r = run(SpawnOptions(argv), 30s);
  if (!r.status.success()) throw std::runtime_error("openssl failed: " + r.describe());
}

bool is_ip_address(const std::string& name) {
  in_addr address{};
  return ::inet_pton(AF_INET, name.c_str(), &address) == 1;
}

}  // namespace

TestCa::TestCa() : ca_file_(dir_ / "ca.pem"), ca_key_(dir_ / "ca.key") {
  openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
           ca_key_.string(), "-out", ca_file_.string(), "-days", "2", "-subj", "/CN=Cunbo Test CA"});
}

ServerCertificate TestCa::issue(const std::string& name, const std::string& label, int days) {
  const std::filesystem::path key = dir_ / (label + ".key");
  const std::filesystem::path request = dir_ / (label + ".csr");
  const std::filesystem::path certificate = dir_ / (label + ".pem");
  const std::filesystem::path extensions = dir_ / (label + ".ext");
  write_text_file(extensions, std::string("subjectAltName=") + (is_ip_address(name) ? "IP:" : "DNS:") + name + "\n");
  openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.string(), "-out",
           request.string(), "-subj", "/CN=" + name});
  openssl({"x509", "-req", "-in", request.string(), "-CA", ca_file_.string(), "-CAkey", ca_key_.string(),
           "-CAcreateserial", "-out", certificate.string(), "-days", std::to_string(days), "-extfile",
           extensions.string()});
  return {certificate, key};
}

}  // namespace cunbo::test
