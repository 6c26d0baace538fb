// Login failures against real servers: bad credentials, an untrusted
// certificate and a server that sends garbage. The daemon must report the
// right TIM code, not retry what cannot succeed, and stay healthy.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "support/event_reader.h"
#include "support/free_port.h"
#include "support/prosody_fixture.h"
#include "support/temp_dir.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

std::string Trailer(const grpc::ClientContext& ctx, const std::string& key) {
  auto it = ctx.GetServerTrailingMetadata().find(key);
  return it == ctx.GetServerTrailingMetadata().end() ? "" : std::string(it->second.data(), it->second.size());
}

grpc::Status Login(TimdProcess& timd, const std::string& user, const std::string& password,
                   std::string* tim_code) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 30s);
  tim::v1::LoginRequest request;
  request.set_user_id(user);
  request.set_user_sig(password);
  tim::v1::LoginResponse response;
  auto status = timd.Stubs()->session->Login(&ctx, request, &response);
  *tim_code = Trailer(ctx, "tim-error-code");
  return status;
}

tim::v1::LoginStatus StatusOf(TimdProcess& timd) {
  grpc::ClientContext ctx;
  tim::v1::GetLoginStatusResponse response;
  EXPECT_TRUE(timd.Stubs()->session->GetLoginStatus(&ctx, {}, &response).ok());
  return response.status();
}

std::vector<tim::v1::NetworkStatusEvent> NetworkEvents(TimdProcess& timd) {
  tim::v1::SubscribeRequest request;
  request.set_since_seq(0);
  request.add_kinds(tim::v1::EVENT_KIND_NETWORK_STATUS);
  EventReader reader(timd.Channel(), request);
  reader.WaitFor([](const tim::v1::Event&) { return false; }, 500ms);
  std::vector<tim::v1::NetworkStatusEvent> out;
  for (const auto& e : reader.Events()) out.push_back(e.network_status());
  return out;
}

TEST(LoginFailures, WrongPasswordGivesAuthFailedAndNoRetries) {
  ProsodyServer prosody;
  prosody.Start();
  prosody.AddUser("alice", "right-password");
  TimdProcess timd;
  timd.UseProsody(prosody);
  timd.Start();

  std::string code;
  auto status = Login(timd, "alice", "wrong-password-xyzzy", &code);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(code, "6207");
  EXPECT_NE(status.error_message().find("authentication failed"), std::string::npos) << status.error_message();
  EXPECT_EQ(StatusOf(timd), tim::v1::UNLOGINED);

  std::this_thread::sleep_for(3s);  // a retry loop would show up here
  auto events = NetworkEvents(timd);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].status(), tim::v1::NET_CONNECTING);
  EXPECT_EQ(events[1].status(), tim::v1::NET_CONNECT_FAILED);
  EXPECT_EQ(events[1].code(), 6207);
  EXPECT_EQ(timd.log().find("wrong-password-xyzzy"), std::string::npos) << "secret leaked into the log";

  // The right password then works.
  status = Login(timd, "alice", "right-password", &code);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(StatusOf(timd), tim::v1::LOGINED);
}

TEST(LoginFailures, UnknownCertificateAuthorityIsRefused) {
  ProsodyServer prosody;
  prosody.Start();
  prosody.AddUser("alice", "pw");
  TempDir other;
  const std::string other_ca = other.File("other-ca.crt");
  const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -keyout " + other.File("k.pem") +
                          " -out " + other_ca + " -days 2 -subj /CN=localhost" +
                          " -addext subjectAltName=DNS:localhost >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);

  TimdProcess timd;
  timd.AddArgs({"--domain", "localhost", "--host", "127.0.0.1", "--port", std::to_string(prosody.c2s_port()),
                "--ca-file", other_ca});
  timd.Start();
  std::string code;
  auto status = Login(timd, "alice", "pw", &code);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(code, "9508");
  EXPECT_NE(status.error_message().find("TLS"), std::string::npos) << status.error_message();
  EXPECT_EQ(StatusOf(timd), tim::v1::UNLOGINED);
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(NetworkEvents(timd).size(), 2u) << "an untrusted server must not be retried";
}

// Accepts connections and answers each with bytes that are not XML.
class GarbageServer {
 public:
  GarbageServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 8), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~GarbageServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  uint16_t port() const { return port_; }
  int connections() const { return connections_; }

 private:
  void Serve() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      ++connections_;
      char buf[512];
      (void)::read(c, buf, sizeof buf);  // the stream header
      static const char kGarbage[] = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                                     "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"
                                     "<stream:features><<<\x01\xff garbage ]]> </mismatch>";
      (void)::write(c, kGarbage, sizeof kGarbage - 1);
      std::this_thread::sleep_for(200ms);
      ::close(c);
    }
  }
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

TEST(LoginFailures, ServerSendingGarbageIsDisconnectedAndDaemonStaysHealthy) {
  GarbageServer server;
  TimdProcess timd;
  timd.AddArgs({"--domain", "localhost", "--host", "127.0.0.1", "--port", std::to_string(server.port())});
  timd.Start();
  std::string code;
  auto status = Login(timd, "alice", "pw", &code);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(code, "9508");
  EXPECT_NE(status.error_message().find("well-formed"), std::string::npos) << status.error_message();
  EXPECT_NE(timd.log().find("not well-formed"), std::string::npos) << timd.log();
  // Still serving, and still trying (a broken server may recover) at a calm pace.
  std::this_thread::sleep_for(2s);
  EXPECT_TRUE(timd.running());
  EXPECT_NE(StatusOf(timd), tim::v1::LOGINED);
  EXPECT_LE(server.connections(), 4);
  timd.Stop();  // exits 0
}

}  // namespace
}  // namespace timd::test
