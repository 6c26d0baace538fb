// Connection faults against a real Prosody: a server that is down when timd
// starts, and a connection cut under an established session.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "integration/alice_via_relay_fixture.h"
#include "support/event_reader.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/tcp_relay.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

size_t CountText(const std::vector<tim::v1::Event>& events, const std::string& text) {
  size_t n = 0;
  for (const auto& e : events) {
    if (!e.has_new_messages()) continue;
    for (const auto& m : e.new_messages().messages()) {
      if (!m.elems().empty() && m.elems(0).text().content() == text) ++n;
    }
  }
  return n;
}

constexpr const char* kSkipVerifyWarning = "without verifying the server's TLS certificate";

size_t CountLines(const std::string& log, const std::string& text) {
  size_t n = 0;
  for (size_t at = log.find(text); at != std::string::npos; at = log.find(text, at + 1)) ++n;
  return n;
}

TEST(Reconnect, ServerDownAtStartThenUp) {
  ProsodyServer prosody;
  prosody.Start();
  prosody.AddUser("alice", "pw");
  prosody.Kill9();  // down before timd starts (same ports and data come back later)

  TimdProcess timd;
  timd.UseProsody(prosody);
  timd.LoginAs("alice", "pw");
  timd.Start();  // serves its API without a server
  grpc::ClientContext ctx;
  tim::v1::GetLoginStatusResponse status;
  ASSERT_TRUE(timd.Stubs()->session->GetLoginStatus(&ctx, {}, &status).ok());
  EXPECT_NE(status.status(), tim::v1::LOGINED);
  EventReader events(timd.Channel(), FromStart());
  EXPECT_TRUE(events.WaitFor([](const tim::v1::Event& e) {
    return e.has_network_status() && e.network_status().status() == tim::v1::NET_CONNECT_FAILED;
  }));

  prosody.Restart();
  EXPECT_TRUE(timd.WaitLoggedIn(20s)) << timd.log();
  EXPECT_TRUE(events.WaitFor([](const tim::v1::Event& e) {
    return e.has_network_status() && e.network_status().status() == tim::v1::NET_CONNECTED;
  }));
  EXPECT_EQ(CountLines(timd.log(), kSkipVerifyWarning), 0u) << timd.log();  // the certificate was checked
}

// insecure_skip_verify: each connection attempt, the first and every
// reconnect, warns in the log and as a LOG event.
TEST(Reconnect, SkippedCertificateCheckIsWarnedOnEveryConnect) {
  ProsodyServer prosody;
  prosody.Start();
  prosody.AddUser("alice", "pw");
  TimdProcess timd;
  timd.UseProsody(prosody);
  timd.AddArgs({"--insecure-skip-verify"});
  timd.LoginAs("alice", "pw");
  timd.Start();
  ASSERT_TRUE(timd.WaitLoggedIn()) << timd.log();
  EventReader events(timd.Channel(), FromStart());
  EXPECT_TRUE(events.WaitFor([](const tim::v1::Event& e) {
    return e.has_log() && e.log().level() == tim::v1::LOG_WARN &&
           e.log().text().find(kSkipVerifyWarning) != std::string::npos;
  })) << timd.log();
  EXPECT_EQ(CountLines(timd.log(), kSkipVerifyWarning), 1u) << timd.log();

  prosody.Restart();  // drops the stream: timd connects again
  auto connected = [](const tim::v1::Event& e) {
    return e.has_network_status() && e.network_status().status() == tim::v1::NET_CONNECTED;
  };
  ASSERT_TRUE(events.WaitFor([&](const tim::v1::Event& e) {
    return e.has_network_status() && e.network_status().status() == tim::v1::NET_DISCONNECTED;
  })) << timd.log();
  ASSERT_TRUE(timd.WaitLoggedIn(20s)) << timd.log();
  const auto all = events.Events();
  EXPECT_GE(std::count_if(all.begin(), all.end(), connected), 2) << timd.log();
  EXPECT_GE(CountLines(timd.log(), kSkipVerifyWarning), 2u) << timd.log();
}

using ReconnectViaRelay = AliceViaRelayFixture;

TEST_F(ReconnectViaRelay, CutConnectionIsResumedWithoutLosingOrDoublingMessages) {
  TcpRelay& relay = *relay_;
  TimdProcess& bob = bob_;
  TimdProcess& alice = alice_;
  EventReader events(alice.Channel(), FromStart());

  auto send = [&](const std::string& text) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 20s);
    tim::v1::SendMessageResponse response;
    auto s = bob.Stubs()->messages->SendMessage(&ctx, TextTo("alice", text), &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
  };
  send("before the cut");
  ASSERT_TRUE(events.WaitFor(HasTextMessage("before the cut"))) << alice.log();

  relay.Cut();
  send("during the outage");  // held by the server for alice's session
  ASSERT_TRUE(events.WaitFor(HasTextMessage("during the outage"), 30s)) << alice.log();
  send("after the outage");
  ASSERT_TRUE(events.WaitFor(HasTextMessage("after the outage"))) << alice.log();
  std::this_thread::sleep_for(1s);

  const auto all = events.Events();
  EXPECT_EQ(CountText(all, "before the cut"), 1u);
  EXPECT_EQ(CountText(all, "during the outage"), 1u);
  EXPECT_EQ(CountText(all, "after the outage"), 1u);
  EXPECT_GE(relay.accepted(), 2);
  // Recovered by stream resumption: no archive pull was needed.
  EXPECT_NE(alice.log().find("stream resumed"), std::string::npos) << alice.log();
  EXPECT_EQ(alice.log().find("catching up from the archive"), std::string::npos) << alice.log();
}

TEST_F(ReconnectViaRelay, MessageAcceptedWhileTheLinkIsDownGoesOutWhenTheStreamResumes) {
  TcpRelay& relay = *relay_;
  TimdProcess& bob = bob_;
  TimdProcess& alice = alice_;
  EventReader bob_events(bob.Channel(), FromStart());
  EventReader alice_events(alice.Channel(), FromStart());

  // The link drops and the reconnect attempt hangs (its bytes are held):
  // alice's timd has no stream while the app sends.
  relay.BlackHole();
  relay.Cut();
  ASSERT_TRUE(alice_events.WaitFor([](const tim::v1::Event& e) {
    return e.has_network_status() && e.network_status().status() == tim::v1::NET_DISCONNECTED;
  })) << alice.log();
  grpc::Status sent;
  std::thread app([&] {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 25s);
    tim::v1::SendMessageResponse response;
    sent = alice.Stubs()->messages->SendMessage(&ctx, TextTo("bob", "sent while offline"), &response);
  });
  std::this_thread::sleep_for(1s);
  relay.Resume();  // the held attempt goes on and resumes the stream
  app.join();

  EXPECT_TRUE(sent.ok()) << sent.error_message() << "\n" << alice.log();
  ASSERT_TRUE(bob_events.WaitFor(HasTextMessage("sent while offline"))) << bob.log();
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(CountText(bob_events.Events(), "sent while offline"), 1u);
  EXPECT_NE(alice.log().find("stream resumed"), std::string::npos) << alice.log();
}

}  // namespace
}  // namespace timd::test
