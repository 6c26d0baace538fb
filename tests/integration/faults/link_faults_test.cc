// Link faults against a real Prosody: a connection that silently stops
// forwarding (black hole), an app retrying a send whose ack is held up, and
// a second login that takes the same resource.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/event_reader.h"
#include "support/peer_process.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/tcp_relay.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

constexpr int kPingIntervalS = 1;
constexpr int kPingTimeoutS = 1;
// Timer and scheduling slack on top of interval + timeout.
constexpr int64_t kLivenessSlackMs = 1500;

int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

grpc::Status SendText(const TimdProcess& timd, const std::string& peer, const std::string& body) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 20s);
  tim::v1::SendMessageResponse response;
  return timd.Stubs()->messages->SendMessage(&ctx, TextTo(peer, body, body), &response);
}

// How often each text appears in NewMessages events.
std::map<std::string, int> TextCounts(const std::vector<tim::v1::Event>& events) {
  std::map<std::string, int> counts;
  for (const auto& e : events) {
    if (!e.has_new_messages()) continue;
    for (const auto& m : e.new_messages().messages()) {
      if (!m.elems().empty()) ++counts[m.elems(0).text().content()];
    }
  }
  return counts;
}

EventReader::Predicate NetworkIs(tim::v1::NetworkStatus status, uint64_t after_seq = 0) {
  return [status, after_seq](const tim::v1::Event& e) {
    return e.seq() > after_seq && e.has_network_status() && e.network_status().status() == status;
  };
}

const tim::v1::Event* FirstMatch(const std::vector<tim::v1::Event>& events, const EventReader::Predicate& pred) {
  for (const auto& e : events) {
    if (pred(e)) return &e;
  }
  return nullptr;
}

uint64_t LastSeq(const EventReader& reader) {
  uint64_t seq = 0;
  for (const auto& e : reader.Events()) seq = std::max(seq, e.seq());
  return seq;
}

size_t CountMatches(const EventReader& reader, const EventReader::Predicate& pred) {
  const auto events = reader.Events();
  return static_cast<size_t>(std::count_if(events.begin(), events.end(), pred));
}

size_t Occurrences(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

bool WaitStatus(const TimdProcess& timd, tim::v1::LoginStatus status, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (timd.LoginStatus() == status) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

TEST(LinkFaults, BlackHoledLinkIsNoticedWithinTheLivenessTimeAndResumed) {
  ProsodyServer prosody;
  prosody.Start();
  prosody.AddUser("alice", "alice-pw");
  prosody.AddUser("bob", "bob-pw");
  TcpRelay relay(prosody.c2s_port());

  TimdProcess bob;
  bob.UseProsody(prosody);
  bob.LoginAs("bob", "bob-pw");
  bob.Start();
  ASSERT_TRUE(bob.WaitLoggedIn()) << bob.log();

  TimdProcess alice;
  alice.UseProsodyVia(prosody, relay.port());
  alice.AddArgs({"--ping-interval", std::to_string(kPingIntervalS), "--ping-timeout", std::to_string(kPingTimeoutS)});
  alice.LoginAs("alice", "alice-pw");
  alice.Start();
  ASSERT_TRUE(alice.WaitLoggedIn()) << alice.log();
  EventReader events(alice.Channel(), FromStart());

  ASSERT_TRUE(SendText(bob, "alice", "before").ok());
  ASSERT_TRUE(events.WaitFor(HasTextMessage("before"))) << alice.log();
  // A few idle probe rounds first: the link is quiet but alive.
  std::this_thread::sleep_for(std::chrono::seconds(2 * (kPingIntervalS + kPingTimeoutS)));
  EXPECT_EQ(CountMatches(events, NetworkIs(tim::v1::NET_DISCONNECTED)), 0u) << alice.log();

  const uint64_t seq_before = LastSeq(events);
  const int64_t black_holed_at = NowUnixMs();
  relay.BlackHole();
  std::set<std::string> outage;
  for (int i = 0; i < 20; ++i) {
    outage.insert("outage-" + std::to_string(i));
    ASSERT_TRUE(SendText(bob, "alice", "outage-" + std::to_string(i)).ok());  // the server holds them
  }
  const auto disconnected = NetworkIs(tim::v1::NET_DISCONNECTED, seq_before);
  ASSERT_TRUE(events.WaitFor(disconnected, 15s)) << alice.log();
  const auto all = events.Events();
  const int64_t noticed_ms = FirstMatch(all, disconnected)->time_ms() - black_holed_at;
  std::cout << "[   INFO   ] dead link noticed after " << noticed_ms << " ms\n";
  EXPECT_LE(noticed_ms, (kPingIntervalS + kPingTimeoutS) * 1000 + kLivenessSlackMs) << alice.log();
  EXPECT_EQ(alice.LoginStatus(), tim::v1::LOGINING);  // still trying, not logged out

  // The network comes back (the dead connection is released too, so the
  // server sees it close); timd resumes its session and gets what the
  // server held.
  std::this_thread::sleep_for(1s);
  relay.Resume();
  ASSERT_TRUE(events.WaitFor(NetworkIs(tim::v1::NET_CONNECTED, seq_before), 20s)) << alice.log();
  for (const auto& text : outage) ASSERT_TRUE(events.WaitFor(HasTextMessage(text), 15s)) << text << alice.log();
  ASSERT_TRUE(SendText(bob, "alice", "after").ok());
  ASSERT_TRUE(events.WaitFor(HasTextMessage("after"))) << alice.log();
  std::this_thread::sleep_for(1s);  // any late duplicate lands here

  auto counts = TextCounts(events.Events());
  std::set<std::string> expected = outage;
  expected.insert({"before", "after"});
  std::map<std::string, int> want;
  for (const auto& text : expected) want[text] = 1;
  EXPECT_EQ(counts, want);
  EXPECT_GE(relay.accepted(), 2);
  const std::string log = alice.log();
  EXPECT_NE(log.find("stream resumed"), std::string::npos) << log;
  EXPECT_EQ(log.find("catching up from the archive"), std::string::npos) << log;
}

// The server's ack is held up, the app's SendMessage times out and the app
// retries with the same key, as it should: the retry joins the send still
// waiting for its ack. One copy reaches the peer, one NewMessages event
// announces it, and the retry learns that it was sent.
TEST(LinkFaults, RetryOfASendStillWaitingForItsAckSendsNoSecondCopy) {
  ProsodyServer prosody;
  prosody.Start();
  prosody.AddUser("alice", "alice-pw");
  prosody.AddUser("bob", "bob-pw");
  PeerProcess bob(prosody, "bob", "bob-pw");
  bob.Start();
  TcpRelay relay(prosody.c2s_port());
  TimdProcess alice;
  alice.UseProsodyVia(prosody, relay.port());
  alice.LoginAs("alice", "alice-pw");
  alice.Start();
  ASSERT_TRUE(alice.WaitLoggedIn()) << alice.log();
  EventReader events(alice.Channel(), FromStart());

  relay.BlackHole();
  auto send = [&](std::chrono::milliseconds timeout) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + timeout);
    tim::v1::SendMessageResponse response;
    return alice.Stubs()->messages->SendMessage(&ctx, TextTo("bob", "retried", "retry-key"), &response);
  };
  EXPECT_EQ(send(1s).error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  grpc::Status retried;
  std::thread retry([&] { retried = send(20s); });
  std::this_thread::sleep_for(1s);  // the retry reached timd while the first copy waits for its ack
  relay.Resume();
  retry.join();
  EXPECT_TRUE(retried.ok()) << retried.error_message() << alice.log();

  ASSERT_TRUE(bob.WaitReceived(1)) << bob.output();
  ASSERT_TRUE(events.WaitFor(HasTextMessage("echo: retried"))) << alice.log();  // after any second copy
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(bob.ReceivedLines(), std::vector<std::string>{"retry-key\tretried"});
  EXPECT_EQ(TextCounts(events.Events())["retried"], 1) << alice.log();
}

TEST(LinkFaults, SecondLoginWithTheSameResourceKicksTheFirstWithoutAFight) {
  ProsodyServer prosody;
  prosody.Start();
  prosody.AddUser("alice", "alice-pw");
  TimdProcess first, second;
  for (auto* timd : {&first, &second}) {
    timd->UseProsody(prosody);
    timd->LoginAs("alice", "alice-pw");
    timd->AddArgs({"--resource", "desk"});
  }
  first.Start();
  ASSERT_TRUE(first.WaitLoggedIn()) << first.log();
  EventReader first_events(first.Channel(), FromStart());

  second.Start();
  ASSERT_TRUE(second.WaitLoggedIn()) << second.log();
  EventReader second_events(second.Channel(), FromStart());
  const auto kicked = HasPayload(tim::v1::Event::kKickedOffline);
  ASSERT_TRUE(first_events.WaitFor(kicked, 10s)) << first.log();
  EXPECT_TRUE(WaitStatus(first, tim::v1::UNLOGINED, 5s)) << first.log();

  // No fight: for a few seconds the kicked daemon stays out and the new
  // one stays in.
  const size_t first_connecting = CountMatches(first_events, NetworkIs(tim::v1::NET_CONNECTING));
  std::this_thread::sleep_for(4s);
  EXPECT_EQ(CountMatches(first_events, NetworkIs(tim::v1::NET_CONNECTING)), first_connecting) << first.log();
  EXPECT_EQ(Occurrences(first.log(), "reconnecting in"), 0u) << first.log();
  EXPECT_EQ(first.LoginStatus(), tim::v1::UNLOGINED);
  EXPECT_EQ(second.LoginStatus(), tim::v1::LOGINED) << second.log();
  EXPECT_EQ(CountMatches(second_events, kicked), 0u) << second.log();
  EXPECT_EQ(CountMatches(first_events, kicked), 1u);

  // Login on the first takes over again; now the second is kicked, once.
  {
    tim::v1::LoginResponse response;
    auto status = LoginWith(*first.Stubs(), "alice", "alice-pw", 20s, &response);
    ASSERT_TRUE(status.ok()) << status.error_message() << first.log();
    EXPECT_EQ(response.user_id(), "alice");
  }
  EXPECT_EQ(first.LoginStatus(), tim::v1::LOGINED);
  ASSERT_TRUE(second_events.WaitFor(kicked, 10s)) << second.log();
  EXPECT_TRUE(WaitStatus(second, tim::v1::UNLOGINED, 5s)) << second.log();
  const size_t second_connecting = CountMatches(second_events, NetworkIs(tim::v1::NET_CONNECTING));
  std::this_thread::sleep_for(4s);
  EXPECT_EQ(CountMatches(second_events, NetworkIs(tim::v1::NET_CONNECTING)), second_connecting) << second.log();
  EXPECT_EQ(Occurrences(second.log(), "reconnecting in"), 0u) << second.log();
  EXPECT_EQ(first.LoginStatus(), tim::v1::LOGINED) << first.log();
  EXPECT_EQ(second.LoginStatus(), tim::v1::UNLOGINED);
  EXPECT_EQ(CountMatches(first_events, kicked), 1u) << first.log();
  EXPECT_EQ(CountMatches(second_events, kicked), 1u) << second.log();
}

}  // namespace
}  // namespace timd::test
