// Read state end to end on a real Prosody: two timd daemons (bob reports
// read, alice learns it as MsgReadReceipts events; unread counts; both
// survive a restart), slixmpp peers (their XEP-0333 markers reach timd,
// timd's reach them), a spoofed marker from a third party, and read
// positions shared with another device of the account (XEP-0490).
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/interop/json_line_peer.h"
#include "support/app_process.h"
#include "support/child_process.h"
#include "support/event_reader.h"
#include "support/message_sets.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/temp_dir.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

// Message `id` (text "text ID") to `peer`.
tim::v1::SendMessageRequest TextWithReceipt(const std::string& peer, const std::string& id, bool need_receipt) {
  auto request = TextTo(peer, "text " + id, id);
  request.set_need_read_receipt(need_receipt);
  return request;
}

grpc::Status Send(const TimdProcess& timd, const tim::v1::SendMessageRequest& request) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 20s);
  tim::v1::SendMessageResponse response;
  return timd.Stubs()->messages->SendMessage(&ctx, request, &response);
}

grpc::Status ReportRead(const TimdProcess& timd, const std::string& peer, const std::string& msg_id) {
  grpc::ClientContext ctx;
  tim::v1::ReportReadRequest request;
  request.set_conv_id(peer);
  request.set_conv_type(tim::v1::CONV_C2C);
  request.set_msg_id(msg_id);
  tim::v1::ReportReadResponse response;
  return timd.Stubs()->messages->ReportRead(&ctx, request, &response);
}

uint64_t TotalUnread(const TimdProcess& timd) {
  grpc::ClientContext ctx;
  tim::v1::GetTotalUnreadResponse response;
  EXPECT_TRUE(timd.Stubs()->conversations->GetTotalUnreadMessageCount(&ctx, {}, &response).ok());
  return response.unread_count();
}

tim::v1::Message Find(const TimdProcess& timd, const std::string& peer, const std::string& msg_id) {
  for (const auto& m : History(timd, peer)) {
    if (m.msg_id() == msg_id) return m;
  }
  ADD_FAILURE() << "no message " << msg_id;
  return {};
}

int TimCode(const grpc::Status& status) {
  tim::v1::ErrorDetail detail;
  return detail.ParseFromString(status.error_details()) ? detail.tim_code() : -1;
}

std::vector<tim::v1::MsgReadReceiptsEvent> Receipts(const EventReader& reader) {
  std::vector<tim::v1::MsgReadReceiptsEvent> out;
  for (const auto& e : reader.Events()) {
    if (e.has_msg_read_receipts()) out.push_back(e.msg_read_receipts());
  }
  return out;
}

bool HasConvUnread(const tim::v1::Event& e, const std::string& conv_id, uint64_t unread) {
  if (!e.has_conv_event() || e.conv_event().type() != tim::v1::CONV_EVENT_UPDATE) return false;
  for (const auto& c : e.conv_event().conversations()) {
    if (c.conv_id() == conv_id && c.unread_num() == unread) return true;
  }
  return false;
}

class ReadStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prosody_.Start();
    for (const char* user : {"alice", "bob", "carol"}) prosody_.AddUser(user, std::string(user) + "-pw");
    alice_.UseProsody(prosody_);
    alice_.LoginAs("alice", "alice-pw");
  }
  void TearDown() override { peer_.Kill9(); }

  void StartAliceAndBob() {
    bob_.UseProsody(prosody_);
    bob_.LoginAs("bob", "bob-pw");
    bob_.Start();
    alice_.Start();
    ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
    ASSERT_TRUE(bob_.WaitLoggedIn()) << bob_.log();
  }

  void SpawnPython(const std::string& script, std::vector<std::string> args) {
    args.insert(args.begin(), {"/usr/bin/python3", std::string(TIMD_TEST_SOURCE_DIR) + "/tests/integration/interop/" +
                                                       script, "--port", std::to_string(prosody_.c2s_port()),
                               "--ca-file", prosody_.ca_file()});
    peer_.Spawn(args, peer_dir_.File("out"), peer_dir_.File("err"));
  }
  std::string PeerLine(const std::string& key) const {
    std::istringstream lines(ReadFile(peer_dir_.File("out")));
    for (std::string line; std::getline(lines, line);) {
      if (line.find(key) != std::string::npos) return line;
    }
    return "";
  }
  bool WaitPeerLine(const std::string& key) const {
    for (auto deadline = std::chrono::steady_clock::now() + 20s; std::chrono::steady_clock::now() < deadline;
         std::this_thread::sleep_for(50ms)) {
      if (!PeerLine(key).empty()) return true;
    }
    return false;
  }
  std::string PeerOutput() const { return ReadFile(peer_dir_.File("out")) + FileTail(peer_dir_.File("err")); }

  ProsodyServer prosody_;
  TimdProcess alice_;
  TimdProcess bob_;
  TempDir peer_dir_{"timd-read-peer"};
  ChildProcess peer_;
};

TEST_F(ReadStateTest, BobReadingReachesAliceAsReceiptsAndSurvivesRestarts) {
  StartAliceAndBob();
  EventReader alice_events(alice_.Channel(), FromStart());
  EventReader bob_events(bob_.Channel(), FromStart());
  for (auto [id, need] : {std::pair{"r-1", true}, {"r-2", false}, {"r-3", true}}) {
    auto status = Send(alice_, TextWithReceipt("bob", id, need));
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  ASSERT_TRUE(bob_events.WaitFor(HasTextMessage("text r-3"))) << bob_.log();
  EXPECT_EQ(TotalUnread(bob_), 3u);

  // Unknown messages are refused with the reference's code; nothing moves.
  auto unknown = ReportRead(bob_, "alice", "no-such-message");
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(TimCode(unknown), 6017);

  // Bob reads up to r-2: one unread left, and a ConvEvent says so.
  auto read = ReportRead(bob_, "alice", "r-2");
  ASSERT_TRUE(read.ok()) << read.error_message();
  EXPECT_EQ(TotalUnread(bob_), 1u);
  EXPECT_TRUE(bob_events.WaitFor([](const tim::v1::Event& e) { return HasConvUnread(e, "alice", 1); }));
  EXPECT_TRUE(Find(bob_, "alice", "r-2").is_read());
  EXPECT_FALSE(Find(bob_, "alice", "r-3").is_read());

  // Alice: one conversation item at r-2's time plus r-1 (it asked for a receipt).
  ASSERT_TRUE(alice_events.WaitFor(HasPayload(tim::v1::Event::kMsgReadReceipts))) << alice_.log();
  auto receipts = Receipts(alice_events);
  ASSERT_EQ(receipts.size(), 1u);
  ASSERT_EQ(receipts[0].receipts_size(), 2) << receipts[0].DebugString();
  const auto& conv = receipts[0].receipts(0);
  EXPECT_EQ(conv.conv_id(), "bob");
  EXPECT_EQ(conv.conv_type(), tim::v1::CONV_C2C);
  EXPECT_EQ(conv.msg_id(), "");
  EXPECT_TRUE(conv.is_peer_read());
  EXPECT_EQ(conv.time_stamp(), Find(alice_, "bob", "r-2").server_time());
  EXPECT_EQ(receipts[0].receipts(1).msg_id(), "r-1");
  EXPECT_TRUE(receipts[0].receipts(1).is_peer_read());
  EXPECT_GT(receipts[0].receipts(1).time_stamp(), 0u);
  EXPECT_TRUE(Find(alice_, "bob", "r-1").is_peer_read());
  EXPECT_TRUE(Find(alice_, "bob", "r-2").is_peer_read());
  EXPECT_FALSE(Find(alice_, "bob", "r-3").is_peer_read());

  // GetMessageReadReceipts answers from the store.
  {
    grpc::ClientContext ctx;
    tim::v1::GetMessageReadReceiptsRequest request;
    request.add_msg_ids("r-1");
    request.add_msg_ids("r-3");
    tim::v1::GetMessageReadReceiptsResponse response;
    ASSERT_TRUE(alice_.Stubs()->messages->GetMessageReadReceipts(&ctx, request, &response).ok());
    ASSERT_EQ(response.receipts_size(), 2);
    EXPECT_TRUE(response.receipts(0).is_peer_read());
    EXPECT_FALSE(response.receipts(1).is_peer_read());
  }

  // Persisted: both sides keep their read state across a restart.
  alice_events.Cancel();
  bob_events.Cancel();
  bob_.Restart();
  alice_.Restart();
  ASSERT_TRUE(bob_.WaitLoggedIn()) << bob_.log();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  EXPECT_EQ(TotalUnread(bob_), 1u);
  EXPECT_TRUE(Find(bob_, "alice", "r-1").is_read());
  EXPECT_TRUE(Find(alice_, "bob", "r-2").is_peer_read());
  EXPECT_FALSE(Find(alice_, "bob", "r-3").is_peer_read());

  // Reading the rest (the newest) receipts r-3; an older report moves nothing.
  EventReader alice_again(alice_.Channel(), FromStart());
  ASSERT_TRUE(ReportRead(bob_, "alice", "").ok());
  EXPECT_EQ(TotalUnread(bob_), 0u);
  ASSERT_TRUE(ReportRead(bob_, "alice", "r-1").ok());
  ASSERT_TRUE(alice_again.WaitFor([](const tim::v1::Event& e) {
    return e.has_msg_read_receipts() && e.msg_read_receipts().receipts_size() == 2 &&
           e.msg_read_receipts().receipts(1).msg_id() == "r-3";
  })) << alice_.log();
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(Receipts(alice_again).size(), 2u);  // the first one from the journal, the new one; no third
  EXPECT_TRUE(Find(alice_, "bob", "r-3").is_peer_read());
}

TEST_F(ReadStateTest, CleanUnreadCountsAndTotal) {
  StartAliceAndBob();
  EventReader bob_events(bob_.Channel(), FromStart());
  for (const char* id : {"c-1", "c-2", "c-3"}) ASSERT_TRUE(Send(alice_, TextWithReceipt("bob", id, false)).ok());
  ASSERT_TRUE(bob_events.WaitFor(HasTextMessage("text c-3"))) << bob_.log();
  EXPECT_EQ(TotalUnread(bob_), 3u);
  grpc::ClientContext group_ctx;
  tim::v1::CleanUnreadRequest group;
  group.set_conversation_id("group_team");
  tim::v1::CleanUnreadResponse response;
  EXPECT_EQ(TimCode(bob_.Stubs()->conversations->CleanConversationUnreadMessageCount(&group_ctx, group, &response)),
            7013);
  grpc::ClientContext ctx;
  tim::v1::CleanUnreadRequest request;
  request.set_conversation_id("c2c_alice");
  request.set_clean_sequence(Find(bob_, "alice", "c-1").seq());
  ASSERT_TRUE(bob_.Stubs()->conversations->CleanConversationUnreadMessageCount(&ctx, request, &response).ok());
  EXPECT_EQ(TotalUnread(bob_), 2u);
  // SendMessageReadReceipts: read up to the newest given message.
  {
    grpc::ClientContext receipts_ctx;
    tim::v1::SendMessageReadReceiptsRequest receipts;
    receipts.add_msg_ids("c-2");
    tim::v1::SendMessageReadReceiptsResponse receipts_response;
    ASSERT_TRUE(bob_.Stubs()->messages->SendMessageReadReceipts(&receipts_ctx, receipts, &receipts_response).ok());
    grpc::ClientContext unknown_ctx;
    receipts.add_msg_ids("no-such-message");
    EXPECT_EQ(TimCode(bob_.Stubs()->messages->SendMessageReadReceipts(&unknown_ctx, receipts, &receipts_response)),
              6017);
  }
  EXPECT_EQ(TotalUnread(bob_), 1u);
  EXPECT_TRUE(Find(bob_, "alice", "c-2").is_read());
  grpc::ClientContext all_ctx;
  ASSERT_TRUE(bob_.Stubs()->conversations->CleanConversationUnreadMessageCount(&all_ctx, {}, &response).ok());
  EXPECT_EQ(TotalUnread(bob_), 0u);
  EXPECT_TRUE(bob_events.WaitFor([](const tim::v1::Event& e) { return HasConvUnread(e, "alice", 0); }));
}

// slixmpp as bob (payload_peer.py): its displayed marker for alice's message
// becomes a receipt event; alice's marker for its markable message reaches it.
TEST_F(ReadStateTest, MarkersInteroperateWithSlixmpp) {
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  SpawnPython("payload_peer.py", {"--jid", "bob@" + std::string(ProsodyServer::kDomain), "--password", "bob-pw",
                                  "--original-id", "peer-original"});
  ASSERT_TRUE(WaitPeerLine("\"ready\"")) << PeerOutput();
  EventReader alice_events(alice_.Channel(), FromStart());
  ASSERT_TRUE(Send(alice_, TextWithReceipt("bob", "to-slix", true)).ok());
  ASSERT_TRUE(alice_events.WaitFor(HasPayload(tim::v1::Event::kMsgReadReceipts))) << alice_.log() << PeerOutput();
  auto receipts = Receipts(alice_events);
  ASSERT_EQ(receipts[0].receipts_size(), 2) << receipts[0].DebugString();
  EXPECT_EQ(receipts[0].receipts(0).conv_id(), "bob");
  EXPECT_EQ(receipts[0].receipts(1).msg_id(), "to-slix");
  EXPECT_TRUE(Find(alice_, "bob", "to-slix").is_peer_read());

  ASSERT_TRUE(alice_events.WaitFor(HasTextMessage("original"))) << alice_.log();
  ASSERT_TRUE(ReportRead(alice_, "bob", "").ok());
  ASSERT_TRUE(WaitPeerLine("\"marker\"")) << PeerOutput() << alice_.log();
  EXPECT_NE(PeerLine("\"marker\"").find("\"marker\": \"displayed\", \"id\": \"peer-original\""), std::string::npos)
      << PeerLine("\"marker\"");
}

// alice's other device (slixmpp) marks bob's message: alice's timd learns it
// from the sent carbon and moves its read pointer (no receipt event), while
// bob gets the receipt.
TEST_F(ReadStateTest, OwnMarkerFromAnotherDeviceMovesTheReadPointer) {
  StartAliceAndBob();
  EventReader alice_events(alice_.Channel(), FromStart());
  EventReader bob_events(bob_.Channel(), FromStart());
  ASSERT_TRUE(Send(bob_, TextWithReceipt("alice", "from-bob", true)).ok());
  ASSERT_TRUE(alice_events.WaitFor(HasTextMessage("text from-bob"))) << alice_.log();
  EXPECT_EQ(TotalUnread(alice_), 1u);
  SpawnPython("marker_peer.py", {"--jid", "alice@" + std::string(ProsodyServer::kDomain), "--password", "alice-pw",
                                 "--to", "bob@" + std::string(ProsodyServer::kDomain), "--marked-id", "from-bob",
                                 "--then-text", "sent after my marker"});
  ASSERT_TRUE(alice_events.WaitFor(HasTextMessage("sent after my marker"))) << alice_.log() << PeerOutput();
  EXPECT_TRUE(alice_events.WaitFor([](const tim::v1::Event& e) { return HasConvUnread(e, "bob", 0); }));
  EXPECT_EQ(TotalUnread(alice_), 0u);
  EXPECT_TRUE(Find(alice_, "bob", "from-bob").is_read());
  EXPECT_TRUE(Receipts(alice_events).empty());
  ASSERT_TRUE(bob_events.WaitFor(HasPayload(tim::v1::Event::kMsgReadReceipts))) << bob_.log();
  EXPECT_EQ(Receipts(bob_events)[0].receipts(1).msg_id(), "from-bob");
}

// carol marks alice's message to bob: not her conversation, so nothing happens.
TEST_F(ReadStateTest, SpoofedMarkerIsIgnored) {
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  EventReader alice_events(alice_.Channel(), FromStart());
  ASSERT_TRUE(Send(alice_, TextWithReceipt("bob", "for-bob", true)).ok());
  SpawnPython("marker_peer.py", {"--jid", "carol@" + std::string(ProsodyServer::kDomain), "--password", "carol-pw",
                                 "--to", "alice@" + std::string(ProsodyServer::kDomain), "--marked-id", "for-bob",
                                 "--then-text", "after the marker"});
  // The message carol sent after the marker arrives after it.
  ASSERT_TRUE(alice_events.WaitFor(HasTextMessage("after the marker"))) << alice_.log() << PeerOutput();
  EXPECT_TRUE(Receipts(alice_events).empty());
  EXPECT_FALSE(Find(alice_, "bob", "for-bob").is_peer_read());
  EXPECT_NE(alice_.log().find("marker from carol@localhost for no own message"), std::string::npos) << alice_.log();
}

// XEP-0490: alice's other device (slixmpp) and her timd share each chat's
// read position through the account's PEP node. The device's reading moves
// timd's pointer live and, for what it read while timd was down, at timd's
// next login; timd's reading reaches the device.
TEST_F(ReadStateTest, ReadPositionsSyncWithAnotherDeviceThroughDisplayedSync) {
  StartAliceAndBob();
  SpawnPython("mds_peer.py", {"--jid", "alice@" + std::string(ProsodyServer::kDomain), "--password", "alice-pw",
                              "--read-bodies", "text m2,text m5"});
  ASSERT_TRUE(WaitPeerLine("\"ready\"")) << PeerOutput();
  EventReader alice_events(alice_.Channel(), FromStart());
  for (const char* id : {"m1", "m2", "m3"}) ASSERT_TRUE(Send(bob_, TextWithReceipt("alice", id, false)).ok());
  ASSERT_TRUE(alice_events.WaitFor(HasTextMessage("text m3"))) << alice_.log();

  // The device read up to m2: timd's pointer follows, m3 stays unread.
  ASSERT_TRUE(WaitPeerLine("\"published\"")) << PeerOutput();
  EXPECT_TRUE(Eventually([&] { return TotalUnread(alice_) == 1; })) << alice_.log() << PeerOutput();
  EXPECT_TRUE(Find(alice_, "bob", "m2").is_read());
  EXPECT_FALSE(Find(alice_, "bob", "m3").is_read());

  // timd reads the rest: the device hears the position of m3.
  ASSERT_TRUE(WaitPeerLine("\"text m3\"")) << PeerOutput();
  const std::string m3_stanza_id = JsonString(PeerLine("\"text m3\""), "stanza_id");
  ASSERT_FALSE(m3_stanza_id.empty()) << PeerOutput();
  ASSERT_TRUE(ReportRead(alice_, "bob", "").ok());
  EXPECT_TRUE(WaitPeerLine("{\"position\": \"bob@" + std::string(ProsodyServer::kDomain) + "\", \"stanza_id\": \"" +
                           m3_stanza_id + "\"}"))
      << PeerOutput() << alice_.log();

  // While timd is down the device reads up to m5.
  alice_.Stop();
  for (const char* id : {"m4", "m5"}) ASSERT_TRUE(Send(bob_, TextWithReceipt("alice", id, false)).ok());
  ASSERT_TRUE(WaitPeerLine("\"text m5\"")) << PeerOutput();
  ASSERT_TRUE(WaitPeerLine("{\"published\": \"" + JsonString(PeerLine("\"text m5\""), "stanza_id") + "\"}"))
      << PeerOutput();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  EventReader restarted_events(alice_.Channel(), FromStart());
  ASSERT_TRUE(restarted_events.WaitFor(HasTextMessage("text m5"))) << alice_.log();
  // m4 and m5 came in unread from the archive; the fetched position reads them.
  EXPECT_TRUE(Eventually([&] { return TotalUnread(alice_) == 0; })) << alice_.log();
  EXPECT_TRUE(Find(alice_, "bob", "m4").is_read());
  EXPECT_TRUE(Find(alice_, "bob", "m5").is_read());
}

}  // namespace
}  // namespace timd::test
