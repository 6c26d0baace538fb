// Time-limited tokens (TIM's UserSig) against a real Prosody running
// tools/prosody/mod_auth_timd_token.lua: a valid token logs in, a forged one
// is refused, an expired one (at start, or on a reconnect after it had
// worked) gives UserSigExpired and TIM code 70001 without a retry storm, and
// a fresh token logs in again.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "support/tcp_relay.h"
#include "support/event_reader.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/timd_process.h"
#include "support/token.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

constexpr char kSecret[] = "token-test-secret-4b1d";
constexpr char kDomain[] = "localhost";

std::string ValidToken(const std::string& user, std::chrono::seconds ttl = 1h) {
  return MintTokenFor(kSecret, user, kDomain, ttl);
}

struct LoginResult {
  grpc::Status status;
  std::string tim_code;  // the "tim-error-code" trailer
};

LoginResult Login(TimdProcess& timd, const std::string& user, const std::string& token) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 30s);
  tim::v1::LoginRequest request;
  request.set_user_id(user);
  request.set_user_sig(token);
  tim::v1::LoginResponse response;
  LoginResult result{timd.Stubs()->session->Login(&ctx, request, &response), ""};
  const auto& trailers = ctx.GetServerTrailingMetadata();
  if (auto it = trailers.find("tim-error-code"); it != trailers.end()) {
    result.tim_code.assign(it->second.data(), it->second.size());
  }
  return result;
}

tim::v1::LoginStatus StatusOf(TimdProcess& timd) {
  grpc::ClientContext ctx;
  tim::v1::GetLoginStatusResponse response;
  EXPECT_TRUE(timd.Stubs()->session->GetLoginStatus(&ctx, {}, &response).ok());
  return response.status();
}

// Every journaled event so far (drained for `settle`).
std::vector<tim::v1::Event> Journal(TimdProcess& timd, std::chrono::milliseconds settle = 500ms) {
  EventReader reader(timd.Channel(), FromStart());
  reader.WaitFor([](const tim::v1::Event&) { return false; }, settle);
  return reader.Events();
}

size_t CountConnecting(const std::vector<tim::v1::Event>& events) {
  size_t n = 0;
  for (const auto& e : events) {
    if (e.has_network_status() && e.network_status().status() == tim::v1::NET_CONNECTING) ++n;
  }
  return n;
}

size_t CountUserSigExpired(const std::vector<tim::v1::Event>& events) {
  size_t n = 0;
  for (const auto& e : events) n += e.has_user_sig_expired() ? 1 : 0;
  return n;
}

// The last network event: the failure that stopped the login.
tim::v1::NetworkStatusEvent LastNetworkStatus(const std::vector<tim::v1::Event>& events) {
  tim::v1::NetworkStatusEvent last;
  for (const auto& e : events) {
    if (e.has_network_status()) last = e.network_status();
  }
  return last;
}

EventReader::Predicate IsUserSigExpired() {
  return [](const tim::v1::Event& e) { return e.has_user_sig_expired(); };
}

// Sleeps until the server (which compares whole seconds) refuses a token
// that expires at `expires_unix`.
void WaitUntilExpired(int64_t expires_unix) {
  while (static_cast<int64_t>(std::time(nullptr)) <= expires_unix) std::this_thread::sleep_for(100ms);
}

class TokenAuth : public ::testing::Test {
 protected:
  void SetUp() override {
    prosody_.UseTokenAuth(kSecret);
    prosody_.Start();
    // No AddUser: a valid token creates the account at its first login.
  }

  ProsodyServer prosody_;
};

TEST_F(TokenAuth, ValidTokenLogsInAndForgedTokenIsRefused) {
  TimdProcess timd;
  timd.UseProsody(prosody_);
  timd.Start();

  const std::string for_bob = ValidToken("bob");
  std::string forged = ValidToken("alice");
  forged.back() = forged.back() == '0' ? '1' : '0';
  for (const auto& token : {forged, for_bob, std::string("v1:9999999999:abc"), std::string("not a token")}) {
    auto result = Login(timd, "alice", token);
    EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << result.status.error_message();
    EXPECT_EQ(result.tim_code, "6207") << result.status.error_message();
    EXPECT_EQ(StatusOf(timd), tim::v1::UNLOGINED);
  }

  const std::string token = ValidToken("alice");
  auto result = Login(timd, "alice", token);
  ASSERT_TRUE(result.status.ok()) << result.status.error_message() << "\n" << timd.log();
  EXPECT_EQ(StatusOf(timd), tim::v1::LOGINED);
  EXPECT_EQ(CountUserSigExpired(Journal(timd)), 0u);
  for (const auto& secret : {token, forged, for_bob}) {
    EXPECT_EQ(timd.log().find(secret), std::string::npos) << "a token leaked into the log";
  }
}

TEST_F(TokenAuth, ExpiredTokenAtStartFailsWith70001AndIsNotRetried) {
  TimdProcess timd;
  timd.UseProsody(prosody_);
  timd.LoginAs("alice", ValidToken("alice", -60s));
  timd.Start();

  EventReader events(timd.Channel(), FromStart());
  ASSERT_TRUE(events.WaitFor(IsUserSigExpired())) << timd.log();
  EXPECT_EQ(StatusOf(timd), tim::v1::UNLOGINED);

  std::this_thread::sleep_for(3s);  // a retry loop would show up here
  auto journal = Journal(timd);
  EXPECT_EQ(CountConnecting(journal), 1u) << timd.log();
  EXPECT_EQ(CountUserSigExpired(journal), 1u);
  EXPECT_EQ(LastNetworkStatus(journal).status(), tim::v1::NET_CONNECT_FAILED);
  EXPECT_EQ(LastNetworkStatus(journal).code(), 70001);
  EXPECT_NE(timd.log().find("credentials expired"), std::string::npos) << timd.log();
  EXPECT_EQ(StatusOf(timd), tim::v1::UNLOGINED);

  // Login with the same expired token: the RPC reports it.
  auto result = Login(timd, "alice", ValidToken("alice", -60s));
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(result.tim_code, "70001") << result.status.error_message();

  // A fresh token logs in.
  result = Login(timd, "alice", ValidToken("alice"));
  ASSERT_TRUE(result.status.ok()) << result.status.error_message() << "\n" << timd.log();
  EXPECT_EQ(StatusOf(timd), tim::v1::LOGINED);
}

// The token expires while logged in and the link drops. The server still
// holds the XEP-0198 session, but SASL comes before <resume/>: the expired
// token is refused there and the session is never resumed with it.
TEST_F(TokenAuth, TokenExpiredWhileLoggedInIsRefusedOnReconnect) {
  TcpRelay relay(prosody_.c2s_port());
  TimdProcess timd;
  timd.UseProsodyVia(prosody_, relay.port());
  const int64_t expires = static_cast<int64_t>(std::time(nullptr)) + 3;
  timd.LoginAs("alice", MintToken(kSecret, "alice", kDomain, expires));
  timd.Start();
  ASSERT_TRUE(timd.WaitLoggedIn()) << timd.log();
  EventReader events(timd.Channel(), FromStart());

  WaitUntilExpired(expires);
  EXPECT_EQ(StatusOf(timd), tim::v1::LOGINED) << "the server does not end a live session at expiry";
  relay.Cut();
  ASSERT_TRUE(events.WaitFor(IsUserSigExpired(), 20s)) << timd.log();
  EXPECT_EQ(StatusOf(timd), tim::v1::UNLOGINED);
  const int connections = relay.accepted();

  std::this_thread::sleep_for(3s);  // no further attempts
  EXPECT_EQ(relay.accepted(), connections) << timd.log();
  auto journal = Journal(timd);
  EXPECT_EQ(CountUserSigExpired(journal), 1u);
  EXPECT_EQ(LastNetworkStatus(journal).code(), 70001);
  EXPECT_EQ(timd.log().find("stream resumed"), std::string::npos) << timd.log();
  EXPECT_NE(timd.log().find("SASL failure: credentials-expired"), std::string::npos) << timd.log();

  auto result = Login(timd, "alice", ValidToken("alice"));
  ASSERT_TRUE(result.status.ok()) << result.status.error_message() << "\n" << timd.log();
  EXPECT_EQ(StatusOf(timd), tim::v1::LOGINED);
}

// A server that answers an expired token with <not-authorized/> (here: the
// signing secret was rotated): credentials that worked before and are now
// refused count as expired, not as a wrong password.
TEST_F(TokenAuth, TokenRefusedOnReconnectAfterItWorkedCountsAsExpired) {
  TimdProcess timd;
  timd.UseProsody(prosody_);
  timd.LoginAs("alice", ValidToken("alice"));
  timd.Start();
  ASSERT_TRUE(timd.WaitLoggedIn()) << timd.log();
  EventReader events(timd.Channel(), FromStart());

  prosody_.UseTokenAuth("a-rotated-secret");
  prosody_.Restart();
  ASSERT_TRUE(events.WaitFor(IsUserSigExpired(), 20s)) << timd.log();
  EXPECT_EQ(StatusOf(timd), tim::v1::UNLOGINED);
  auto journal = Journal(timd);
  EXPECT_EQ(LastNetworkStatus(journal).code(), 70001);
  EXPECT_NE(timd.log().find("worked before"), std::string::npos) << timd.log();

  auto result = Login(timd, "alice", MintTokenFor("a-rotated-secret", "alice", kDomain, 1h));
  ASSERT_TRUE(result.status.ok()) << result.status.error_message() << "\n" << timd.log();
}

}  // namespace
}  // namespace timd::test
