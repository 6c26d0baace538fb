// Finding the server by DNS SRV (RFC 6120 §3.2, XEP-0368) with real parts:
// a dnsmasq started here on a loopback address of its own, a Prosody whose
// VirtualHost is srv.test, and the timd binary configured with the domain
// only (no host, no port). The certificate must match the domain, never
// the SRV target.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "support/dns_server.h"
#include "support/event_reader.h"
#include "support/free_port.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/tcp_relay.h"
#include "support/timd_process.h"
#include "timctl/timctl_runner.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

constexpr char kDomain[] = "srv.test";
constexpr char kTarget[] = "xmpp.srv.test";
constexpr char kStartTls[] = "_xmpp-client._tcp.srv.test";
constexpr char kDirectTls[] = "_xmpps-client._tcp.srv.test";

class DnsSrvTest : public ::testing::Test {
 protected:
  void StartProsody(std::vector<std::string> cert_names = {}) {
    prosody_ = std::make_unique<ProsodyServer>(kDomain, std::move(cert_names));
    prosody_->Start();
    prosody_->AddUser("alice", "secret");
  }

  // The account's domain and CA only: where the server is comes from DNS.
  void StartTimd(bool through_config = true) {
    timd_.AddArgs({"--domain", kDomain, "--ca-file", prosody_->ca_file(), "--reconnect-base-ms", "200"});
    if (through_config) timd_.AddArgs({"--dns-server", dns_.address()});
    timd_.Start();
  }

  // Logs alice in; the error message when it fails ("" on success).
  std::string Login() {
    tim::v1::LoginResponse response;
    grpc::Status status = LoginWith(*timd_.Stubs(), "alice", "secret", 25s, &response);
    return status.ok() ? "" : "failed: " + status.error_message();
  }

  tim::v1::GetLoginStatusResponse LoginStatus() {
    grpc::ClientContext ctx;
    tim::v1::GetLoginStatusResponse response;
    EXPECT_TRUE(timd_.Stubs()->session->GetLoginStatus(&ctx, {}, &response).ok());
    return response;
  }

  std::vector<std::string> NetworkDescriptions() {
    tim::v1::SubscribeRequest request;
    request.set_since_seq(0);
    request.add_kinds(tim::v1::EVENT_KIND_NETWORK_STATUS);
    EventReader reader(timd_.Channel(), request);
    reader.WaitFor([](const tim::v1::Event&) { return false; }, 300ms);
    std::vector<std::string> out;
    for (const auto& event : reader.Events()) out.push_back(event.network_status().desc());
    return out;
  }

  static bool AnyContains(const std::vector<std::string>& lines, const std::string& text) {
    for (const auto& line : lines) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  }

  DnsServer dns_;
  std::unique_ptr<ProsodyServer> prosody_;
  TimdProcess timd_;
};

TEST_F(DnsSrvTest, SrvRecordLeadsToTheStartTlsPort) {
  StartProsody();
  // Priorities mix across both services: here STARTTLS is preferred.
  dns_.AddSrv(kStartTls, kTarget, prosody_->c2s_port(), 5);
  dns_.AddSrv(kDirectTls, kTarget, prosody_->direct_tls_port(), 20);
  // Both families: Prosody listens on IPv4 only, so ::1 is refused first or skipped.
  dns_.AddAddress(kTarget, "::1");
  dns_.AddAddress(kTarget, "127.0.0.1");
  dns_.Start();
  StartTimd();

  ASSERT_EQ(Login(), "") << timd_.log();
  const auto status = LoginStatus();
  ASSERT_TRUE(status.has_endpoint()) << status.DebugString();
  EXPECT_EQ(status.endpoint().target(), kTarget);
  EXPECT_EQ(status.endpoint().address(), "127.0.0.1");
  EXPECT_EQ(status.endpoint().port(), prosody_->c2s_port());
  EXPECT_FALSE(status.endpoint().direct_tls());
  EXPECT_TRUE(status.endpoint().from_srv());
  // The certificate names only srv.test, not the target: accepted.

  TimctlRunner timctl;
  auto shown = timctl.Run({"--socket", timd_.socket_path(), "status"});
  ASSERT_EQ(shown.exit_code, 0) << shown.Describe();
  EXPECT_NE(shown.out.find("server xmpp.srv.test 127.0.0.1:" + std::to_string(prosody_->c2s_port()) +
                           " STARTTLS (from SRV)"),
            std::string::npos)
      << shown.out;
}

TEST_F(DnsSrvTest, DirectTlsRecordWinsByPriority) {
  StartProsody();
  dns_.AddSrv(kDirectTls, kTarget, prosody_->direct_tls_port(), 0);
  dns_.AddSrv(kStartTls, kTarget, prosody_->c2s_port(), 10);
  dns_.AddAddress(kTarget, "127.0.0.1");
  dns_.Start();
  StartTimd();

  ASSERT_EQ(Login(), "") << timd_.log();
  const auto status = LoginStatus();
  EXPECT_EQ(status.endpoint().port(), prosody_->direct_tls_port());
  EXPECT_TRUE(status.endpoint().direct_tls());
  EXPECT_TRUE(status.endpoint().from_srv());
}

TEST_F(DnsSrvTest, BrokenTargetsAreSkippedUntilOneConnects) {
  StartProsody();
  const uint16_t dead_port = FreePort();  // nothing listens there
  dns_.AddSrv(kStartTls, "dead.srv.test", dead_port, 0);
  dns_.AddSrv(kStartTls, "nowhere.srv.test", 5222, 1);  // no address record
  dns_.AddSrv(kStartTls, kTarget, 0, 2);                 // absurd port
  dns_.AddSrv(kStartTls, kTarget, prosody_->c2s_port(), 10);
  dns_.AddAddress("dead.srv.test", "127.0.0.1");
  dns_.AddAddress(kTarget, "127.0.0.1");
  dns_.Start();
  StartTimd();

  ASSERT_EQ(Login(), "") << timd_.log();
  EXPECT_EQ(LoginStatus().endpoint().port(), prosody_->c2s_port());
  const std::string dead = "dead.srv.test 127.0.0.1:" + std::to_string(dead_port) + " (STARTTLS, from SRV)";
  const auto network = NetworkDescriptions();
  EXPECT_TRUE(AnyContains(network, "connecting to " + dead)) << ::testing::PrintToString(network);
  EXPECT_TRUE(AnyContains(network, dead + " failed: ")) << ::testing::PrintToString(network);
  EXPECT_TRUE(AnyContains(network, "connecting to xmpp.srv.test 127.0.0.1:" +
                                       std::to_string(prosody_->c2s_port())))
      << ::testing::PrintToString(network);
  const std::string log = timd_.log();
  EXPECT_NE(log.find("cannot resolve nowhere.srv.test"), std::string::npos) << log;
  EXPECT_NE(log.find("xmpp.srv.test:0: port 0"), std::string::npos) << log;
}

TEST_F(DnsSrvTest, NoSrvRecordsFallBackToTheDomainOnPort5222) {
  StartProsody();
  // The domain's own address, with "its" port 5222 relayed to Prosody.
  const std::string address = FreeLoopbackAddress(5222);
  TcpRelay server(prosody_->c2s_port(), address.c_str(), 5222);
  dns_.AddAddress(kDomain, address);
  dns_.Start();
  StartTimd();

  ASSERT_EQ(Login(), "") << timd_.log();
  const auto status = LoginStatus();
  EXPECT_EQ(status.endpoint().target(), kDomain);
  EXPECT_EQ(status.endpoint().address(), address);
  EXPECT_EQ(status.endpoint().port(), 5222u);
  EXPECT_FALSE(status.endpoint().from_srv());
  EXPECT_EQ(server.accepted(), 1);
}

TEST_F(DnsSrvTest, DotTargetSaysTheServiceIsNotAvailable) {
  StartProsody();
  const std::string address = FreeLoopbackAddress(5222);
  TcpRelay fallback(prosody_->c2s_port(), address.c_str(), 5222);
  dns_.AddNoService(kStartTls);
  dns_.AddNoService(kDirectTls);
  dns_.AddAddress(kDomain, address);
  dns_.Start();
  StartTimd();

  const std::string error = Login();
  EXPECT_NE(error.find("srv.test has no XMPP service: its SRV records say it is decidedly not available"),
            std::string::npos)
      << error << "\n" << timd_.log();
  EXPECT_EQ(fallback.accepted(), 0);  // "." forbids the fallback to DOMAIN:5222
}

TEST_F(DnsSrvTest, CertificateValidOnlyForTheTargetIsRefused) {
  StartProsody({kTarget});
  dns_.AddSrv(kStartTls, kTarget, prosody_->c2s_port(), 0);
  dns_.AddAddress(kTarget, "127.0.0.1");
  dns_.Start();
  StartTimd();

  const std::string error = Login();
  EXPECT_NE(error.find("TLS failed: certificate verification failed: hostname mismatch"), std::string::npos)
      << error << "\n" << timd_.log();
  EXPECT_EQ(LoginStatus().status(), tim::v1::UNLOGINED);  // refused for good, not retried
}

TEST_F(DnsSrvTest, SystemResolverConfigurationIsUsedWithoutTheOption) {
  if (std::system("unshare -m true >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "cannot create a private mount namespace here (unshare -m needs CAP_SYS_ADMIN)";
  }
  StartProsody();
  dns_.AddSrv(kStartTls, kTarget, prosody_->c2s_port(), 0);
  dns_.AddAddress(kTarget, "127.0.0.1");
  dns_.Start();
  // timd sees its own /etc/resolv.conf naming the test DNS server; the
  // machine's stays as it is.
  const std::string resolv_conf = timd_.dir() + "/resolv.conf";
  WriteFile(resolv_conf, "nameserver " + dns_.address() + "\noptions timeout:1 attempts:1\n");
  timd_.WrapWith({"unshare", "-m", "sh", "-c", "mount --bind \"$0\" /etc/resolv.conf && exec \"$@\"", resolv_conf});
  StartTimd(/*through_config=*/false);

  ASSERT_EQ(Login(), "") << timd_.log();
  const auto status = LoginStatus();
  EXPECT_EQ(status.endpoint().target(), kTarget);
  EXPECT_EQ(status.endpoint().port(), prosody_->c2s_port());
  EXPECT_TRUE(status.endpoint().from_srv());
}

}  // namespace
}  // namespace timd::test
