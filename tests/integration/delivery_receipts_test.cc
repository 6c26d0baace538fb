// XEP-0184 delivery receipts for own messages on a real Prosody: the peer's
// receipt marks alice's message delivered (Message.delivered_time_ms and
// one MessagesDelivered event), whether the peer is bob's timd (online, or
// offline until its first login) or slixmpp's xep_0184 auto-ack; a receipt
// forged by a third party changes nothing; a receipt carbon-copied from
// another device of alice's counts.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "integration/alice_bob_fixture.h"
#include "integration/timctl/timctl_runner.h"
#include "support/app_process.h"
#include "support/child_process.h"
#include "support/event_reader.h"
#include "support/message_sets.h"
#include "support/requests.h"
#include "support/temp_dir.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

grpc::Status Send(const TimdProcess& timd, const std::string& peer, const std::string& id) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 20s);
  tim::v1::SendMessageResponse response;
  return timd.Stubs()->messages->SendMessage(&ctx, TextTo(peer, "text " + id, id), &response);
}

tim::v1::Message Find(const TimdProcess& timd, const std::string& peer, const std::string& msg_id) {
  for (const auto& m : History(timd, peer)) {
    if (m.msg_id() == msg_id) return m;
  }
  ADD_FAILURE() << "no message " << msg_id;
  return {};
}

// The msg_ids of every MessagesDelivered event, in order.
std::vector<std::string> DeliveredIds(const EventReader& reader) {
  std::vector<std::string> ids;
  for (const auto& e : reader.Events()) {
    for (const auto& m : e.messages_delivered().messages()) ids.push_back(m.msg_id());
  }
  return ids;
}

EventReader::Predicate DeliveredEventFor(const std::string& msg_id) {
  return [msg_id](const tim::v1::Event& e) {
    for (const auto& m : e.messages_delivered().messages()) {
      if (m.msg_id() == msg_id && m.delivered_time_ms() > 0) return true;
    }
    return false;
  };
}

// alice and bob each run a timd; tests that need bob offline, or as
// another client, stop his.
class DeliveryReceiptsTest : public AliceBobFixture {
 protected:
  void TearDown() override {
    for (ChildProcess* peer : {&bob_peer_, &carol_peer_}) peer->Kill9();
  }

  void SpawnPeer(ChildProcess& peer, const std::string& name, std::vector<std::string> args) {
    args.insert(args.begin(), {"/usr/bin/python3", std::string(TIMD_TEST_SOURCE_DIR) +
                                                       "/tests/integration/interop/receipt_peer.py",
                               "--port", std::to_string(prosody_.c2s_port()), "--ca-file", prosody_.ca_file(),
                               "--jid", name + "@" + std::string(ProsodyServer::kDomain), "--password",
                               name + "-pw"});
    peer.Spawn(args, peer_dir_.File(name + ".out"), peer_dir_.File(name + ".err"));
  }
  bool WaitPeerLine(const std::string& name, const std::string& key) const {
    return Eventually([&] { return ReadFile(peer_dir_.File(name + ".out")).find(key) != std::string::npos; });
  }
  std::string PeerOutput(const std::string& name) const {
    return ReadFile(peer_dir_.File(name + ".out")) + FileTail(peer_dir_.File(name + ".err"));
  }

  TempDir peer_dir_{"timd-delivery-peer"};
  ChildProcess bob_peer_;
  ChildProcess carol_peer_;
};

// Bob's timd answers alice's request; alice learns it once, durably.
TEST_F(DeliveryReceiptsTest, BobsTimdReceiptMarksAlicesMessageDelivered) {
  EventReader alice_events(alice_.Channel(), FromStart());
  ASSERT_TRUE(Send(alice_, "bob", "d-1").ok());
  ASSERT_TRUE(alice_events.WaitFor(DeliveredEventFor("d-1"))) << alice_.log() << bob_.log();
  const tim::v1::Message sent = Find(alice_, "bob", "d-1");
  EXPECT_GT(sent.delivered_time_ms(), 0);
  EXPECT_EQ(sent.status(), tim::v1::MSG_SEND_SUCC);
  // Bob's copy is not his own message: nothing to deliver there.
  EXPECT_EQ(Find(bob_, "alice", "d-1").delivered_time_ms(), 0);

  // A second message gets its own event; d-1 is not announced again.
  ASSERT_TRUE(Send(alice_, "bob", "d-2").ok());
  ASSERT_TRUE(alice_events.WaitFor(DeliveredEventFor("d-2"))) << alice_.log();
  EXPECT_EQ(DeliveredIds(alice_events), (std::vector<std::string>{"d-1", "d-2"}));

  // Stored: the time survives a restart unchanged.
  alice_events.Cancel();
  alice_.Restart();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  EXPECT_EQ(Find(alice_, "bob", "d-1").delivered_time_ms(), sent.delivered_time_ms());

  // timctl: history shows the time (proto JSON: an int64 is a string), tail the events.
  TimctlRunner timctl;
  auto history = timctl.Run({"--socket", alice_.socket_path(), "history", "bob", "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.Describe();
  std::string history_time;
  const auto history_lines = history.JsonLines();  // the loop below must not outlive it
  for (const auto& m : history_lines.at(0)["messages"]) {
    if (m["msg_id"] == "d-1") history_time = m["delivered_time_ms"];
  }
  EXPECT_EQ(history_time, std::to_string(sent.delivered_time_ms())) << history.out;
  auto tail = timctl.Run({"--socket", alice_.socket_path(), "tail", "--since", "0", "--kinds",
                          "messages_delivered", "--count", "2"});
  ASSERT_EQ(tail.exit_code, 0) << tail.Describe();
  const auto events = tail.JsonLines();
  ASSERT_EQ(events.size(), 2u) << tail.out;
  EXPECT_EQ(events[0]["messages_delivered"]["messages"][0]["msg_id"], "d-1") << tail.out;
  EXPECT_EQ(events[1]["messages_delivered"]["messages"][0]["msg_id"], "d-2") << tail.out;
}

// Bob is offline when alice sends: the message stays undelivered until a
// new timd of bob's logs in and gets it from offline storage.
TEST_F(DeliveryReceiptsTest, OfflinePeerDeliversAtItsLogin) {
  bob_.Stop();
  EventReader alice_events(alice_.Channel(), FromStart());
  ASSERT_TRUE(Send(alice_, "bob", "d-off").ok());
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(Find(alice_, "bob", "d-off").status(), tim::v1::MSG_SEND_SUCC);
  EXPECT_EQ(Find(alice_, "bob", "d-off").delivered_time_ms(), 0);
  EXPECT_TRUE(DeliveredIds(alice_events).empty());

  TimdProcess new_bob;
  new_bob.UseProsody(prosody_);
  new_bob.LoginAs("bob", "bob-pw");
  new_bob.Start();
  ASSERT_TRUE(new_bob.WaitLoggedIn()) << new_bob.log();
  ASSERT_TRUE(alice_events.WaitFor(DeliveredEventFor("d-off"))) << alice_.log() << new_bob.log();
  EXPECT_GT(Find(alice_, "bob", "d-off").delivered_time_ms(), 0);
}

// Bob's timd synced before (it has an archive cursor): the message waits
// in the server's offline storage, and bob's timd answers its receipt
// request when it gets it at its next login.
TEST_F(DeliveryReceiptsTest, SyncedPeerDeliversAtItsNextLogin) {
  bob_.Stop();
  EventReader alice_events(alice_.Channel(), FromStart());
  ASSERT_TRUE(Send(alice_, "bob", "d-caught-up").ok());
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(Find(alice_, "bob", "d-caught-up").delivered_time_ms(), 0);

  bob_.Start();
  ASSERT_TRUE(bob_.WaitLoggedIn()) << bob_.log();
  ASSERT_TRUE(alice_events.WaitFor(DeliveredEventFor("d-caught-up"))) << alice_.log() << bob_.log();
  EXPECT_GT(Find(alice_, "bob", "d-caught-up").delivered_time_ms(), 0);
}

// slixmpp's xep_0184 auto-ack is an independent implementation of the receipt.
TEST_F(DeliveryReceiptsTest, SlixmppAutoAckMarksDelivered) {
  bob_.Stop();
  SpawnPeer(bob_peer_, "bob", {});
  ASSERT_TRUE(WaitPeerLine("bob", "\"ready\"")) << PeerOutput("bob");
  EventReader alice_events(alice_.Channel(), FromStart());
  ASSERT_TRUE(Send(alice_, "bob", "to-slix").ok());
  ASSERT_TRUE(WaitPeerLine("bob", "\"got\": \"text to-slix\"")) << PeerOutput("bob");
  ASSERT_TRUE(alice_events.WaitFor(DeliveredEventFor("to-slix"))) << alice_.log() << PeerOutput("bob");
  EXPECT_GT(Find(alice_, "bob", "to-slix").delivered_time_ms(), 0);
}

// alice's other device (slixmpp) sends bob a message: alice's timd stores
// it from the sent carbon, and bob's timd's receipt, addressed to that
// device, reaches alice's timd as a received carbon and counts the same.
TEST_F(DeliveryReceiptsTest, ReceiptCarbonForAnotherDevicesMessageCounts) {
  EventReader alice_events(alice_.Channel(), FromStart());
  SpawnPeer(bob_peer_, "alice", {"--send-to", "bob@" + std::string(ProsodyServer::kDomain), "--send-id", "phone-1"});
  ASSERT_TRUE(WaitPeerLine("alice", "\"receipt\": \"phone-1\"")) << PeerOutput("alice") << bob_.log();
  ASSERT_TRUE(alice_events.WaitFor([](const tim::v1::Event& e) {
    for (const auto& m : e.messages_delivered().messages()) {
      if (m.is_from_self() && m.elems_size() == 1 && m.elems(0).text().content() == "from another device") {
        return m.delivered_time_ms() > 0;
      }
    }
    return false;
  })) << alice_.log();
}

// carol forges a receipt for alice's message to bob: not her conversation,
// so it stays undelivered until bob's own client acknowledges it.
TEST_F(DeliveryReceiptsTest, ForgedReceiptFromAThirdPartyIsIgnored) {
  bob_.Stop();
  EventReader alice_events(alice_.Channel(), FromStart());
  ASSERT_TRUE(Send(alice_, "bob", "for-bob").ok());
  SpawnPeer(carol_peer_, "carol",
            {"--forge-to", "alice@" + std::string(ProsodyServer::kDomain), "--forge-id", "for-bob"});
  // The message carol sent after the receipt arrives after it.
  ASSERT_TRUE(alice_events.WaitFor(HasTextMessage("after forged receipt"))) << alice_.log() << PeerOutput("carol");
  EXPECT_TRUE(DeliveredIds(alice_events).empty());
  EXPECT_EQ(Find(alice_, "bob", "for-bob").delivered_time_ms(), 0);
  EXPECT_NE(alice_.log().find("receipt from carol@localhost for no own message"), std::string::npos);

  // Bob's client comes online, gets it from offline storage and acks it.
  SpawnPeer(bob_peer_, "bob", {});
  ASSERT_TRUE(alice_events.WaitFor(DeliveredEventFor("for-bob"))) << alice_.log() << PeerOutput("bob");
  EXPECT_GT(Find(alice_, "bob", "for-bob").delivered_time_ms(), 0);
}

}  // namespace
}  // namespace timd::test
