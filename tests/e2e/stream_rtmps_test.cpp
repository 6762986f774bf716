// RTMPS as a host meets it (issue #13): the stream key goes only to a server whose certificate
// verifies, host name included; a certificate nobody vouches for, one for another name or one
// that expired never receives the key, is said in plain words, and is not hammered. A TLS front (nginx's
// stream module) in front of the nginx-rtmp fixture, with a CA of the test's own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "client/base/exit_codes.h"
#include "tests/e2e/stream_harness.h"
#include "tests/support/nginx_rtmp.h"
#include "tests/support/test_ca.h"

namespace cunbo::test {
namespace {

using ::testing::HasSubstr;

class StreamRtmps : public Stream {
 protected:
  // A 6 s stream to `nginx`'s TLS front trusting `ca_file` (empty: the system's store).
  void expect_key_never_sent(NginxRtmp& nginx, const std::string& ca_file) {
    std::vector<std::string> args{"--duration", "6", "--dest", nginx.rtmps_url_with_key("k-stolen")};
    if (!ca_file.empty()) args.insert(args.begin(), {"--ca-file", ca_file});
    const RunResult r = run_stream(args, 6);
    EXPECT_TRUE(r.status.exited && r.status.code == exit_code::kNeverLive) << describe(r);
    EXPECT_THAT(r.err, HasSubstr("服务器证书不可信")) << describe(r);
    EXPECT_EQ(nginx.auth().attempts("k-stolen"), 0U) << "the key reached a server nobody vouched for";
    const EventLog log = events();
    EXPECT_THAT(log.text, HasSubstr("\"reason\":\"untrusted\"")) << log.text;
    // Not hammered: after the first refusal the next try waits the longest back-off (10 s).
    EXPECT_LE(log.states(1).size(), 3U) << log.text;
  }
};

TEST_F(StreamRtmps, ToAServerWhoseCertificateVerifiesTheStreamArrives) {
  TestCa ca;
  NginxRtmp nginx;
  const ServerCertificate cert = ca.issue("127.0.0.1", "server");
  nginx.add_tls_front(cert.certificate, cert.key);
  const RunResult r = run_stream(
      {"--duration", "5", "--ca-file", ca.ca_file().string(), "--dest", nginx.rtmps_url_with_key("k-tls")}, 5);
  EXPECT_TRUE(r.status.success()) << describe(r);
  EXPECT_EQ(nginx.auth().attempts("k-tls"), 1U);
  ASSERT_TRUE(nginx.wait_until_idle(deadline_after(10s)));
  ASSERT_EQ(nginx.recordings().size(), 1U);
  Recorded served;
  ASSERT_TRUE(probe_recording(nginx.recordings()[0], served));
  EXPECT_NEAR(served.video.duration_s, 5, 0.5);
  EXPECT_NEAR(served.audio.duration_s, 5, 0.5);
}

TEST_F(StreamRtmps, NeverSendsTheKeyToACertificateNobodyVouchesFor) {
  TestCa ca;
  NginxRtmp nginx;
  const ServerCertificate cert = ca.issue("127.0.0.1", "server");
  nginx.add_tls_front(cert.certificate, cert.key);
  expect_key_never_sent(nginx, "");  // the system's store knows nothing of the test CA
}

TEST_F(StreamRtmps, NeverSendsTheKeyToACertificateForAnotherName) {
  TestCa ca;
  NginxRtmp nginx;
  const ServerCertificate cert = ca.issue("other.example", "elsewhere");
  nginx.add_tls_front(cert.certificate, cert.key);
  expect_key_never_sent(nginx, ca.ca_file().string());
}

// Expired yesterday (or the laptop's clock is wrong, which looks the same): the key stays home.
TEST_F(StreamRtmps, NeverSendsTheKeyToAnExpiredCertificate) {
  TestCa ca;
  NginxRtmp nginx;
  const ServerCertificate cert = ca.issue("127.0.0.1", "expired", -1);
  nginx.add_tls_front(cert.certificate, cert.key);
  expect_key_never_sent(nginx, ca.ca_file().string());
}

}  // namespace
}  // namespace cunbo::test
