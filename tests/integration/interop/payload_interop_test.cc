// The message payload modules (XEP-0333 markers, XEP-0184 receipts,
// XEP-0424 retraction, XEP-0308 correction) against an independent
// implementation: python3-slixmpp (payload_peer.py) as bob, our xmpp::Client
// as alice, both on a real Prosody. Each side sends each payload; each
// side's parse is checked.
#include <gtest/gtest.h>

#include <csignal>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/prosody_fixture.h"
#include "support/run_loop.h"
#include "support/temp_dir.h"
#include "xmpp/chat.h"
#include "xmpp/chat_markers.h"
#include "xmpp/client.h"
#include "xmpp/correction.h"
#include "xmpp/presence.h"
#include "xmpp/receipts.h"
#include "xmpp/retraction.h"

namespace timd::xmpp {
namespace {

constexpr const char* kOriginalId = "peer-original";  // the id of the peer's message it retracts and corrects

// Everything alice's modules reported.
struct Seen {
  std::vector<IncomingChat> chats;
  std::vector<ChatMarker> markers;
  std::vector<DeliveryReceipt> receipts;
  std::vector<Retraction> retractions;
  std::vector<Correction> corrections;
};

class PayloadInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);
    uv_loop_init(&loop_);
    prosody_.Start();
    prosody_.AddUser("alice", "alice-pw");
    prosody_.AddUser("bob", "bob-pw");
  }
  void TearDown() override {
    peer_.Kill9();
    modules_.clear();
    client_.reset();
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }

  void StartAlice() {
    ClientOptions options;
    options.transport.host = "127.0.0.1";
    options.transport.port = prosody_.c2s_port();
    options.transport.tls_server_name = test::ProsodyServer::kDomain;
    options.transport.ca_file = prosody_.ca_file();
    options.domain = test::ProsodyServer::kDomain;
    options.username = "alice";
    options.password = "alice-pw";
    options.resource = "timd";
    Client::Callbacks callbacks;
    callbacks.on_online = [this](const Jid&) { online_ = true; };
    client_ = std::make_unique<Client>(&loop_, options, callbacks);
    Client& client = *client_;
    auto receipts = std::make_unique<DeliveryReceipts>(
        client, [this](const DeliveryReceipt& r) { seen_.receipts.push_back(r); }, /*answer_requests=*/true);
    auto markers = std::make_unique<ChatMarkers>(client, [this](const ChatMarker& m) { seen_.markers.push_back(m); });
    auto retraction =
        std::make_unique<MessageRetraction>(client, [this](const Retraction& r) { seen_.retractions.push_back(r); });
    auto correction =
        std::make_unique<MessageCorrection>(client, [this](const Correction& c) { seen_.corrections.push_back(c); });
    markers_ = markers.get();
    retraction_ = retraction.get();
    correction_ = correction.get();
    // Receipts first: it answers requests on messages the others claim.
    for (auto* module : std::initializer_list<MessagePayloadHandler*>{receipts.get(), markers.get(), retraction.get(),
                                                                       correction.get()}) {
      payloads_.Add(*module);
    }
    modules_.push_back(std::move(receipts));
    modules_.push_back(std::move(markers));
    modules_.push_back(std::move(retraction));
    modules_.push_back(std::move(correction));
    auto chat = std::make_unique<ChatManager>(client, [this](const IncomingChat& c) { seen_.chats.push_back(c); });
    chat_ = chat.get();
    chat->SetPayloadHandlers(&payloads_);
    modules_.push_back(std::move(chat));
    for (auto& module : modules_) client.AddHandler(module.get());
    client.Connect();
    ASSERT_TRUE(RunUntil([this] { return online_; })) << prosody_.LogTail();
    SendInitialPresence(client);
  }

  void StartPeer() {
    peer_.Spawn({"/usr/bin/python3", std::string(TIMD_TEST_SOURCE_DIR) + "/tests/integration/interop/payload_peer.py",
                 "--jid", std::string("bob@") + test::ProsodyServer::kDomain, "--password", "bob-pw", "--port",
                 std::to_string(prosody_.c2s_port()), "--ca-file", prosody_.ca_file(), "--original-id", kOriginalId},
                peer_dir_.File("out"), peer_dir_.File("err"));
  }

  // The peer's first stdout line containing `key`; empty when none yet.
  std::string PeerLine(const std::string& key) const {
    std::istringstream lines(test::ReadFile(peer_dir_.File("out")));
    for (std::string line; std::getline(lines, line);) {
      if (line.find(key) != std::string::npos) return line;
    }
    return "";
  }
  std::string PeerOutput() const {
    return test::ReadFile(peer_dir_.File("out")) + test::FileTail(peer_dir_.File("err"));
  }

  bool RunUntil(const std::function<bool()>& done) {
    return test::RunLoopUntil(&loop_, done, std::chrono::seconds(20));
  }

  uv_loop_t loop_;
  test::ProsodyServer prosody_;
  test::TempDir peer_dir_{"timd-payload-peer"};
  test::ChildProcess peer_;
  std::unique_ptr<Client> client_;
  MessagePayloadHandlers payloads_;
  std::vector<std::unique_ptr<StanzaHandler>> modules_;
  ChatManager* chat_ = nullptr;
  ChatMarkers* markers_ = nullptr;
  MessageRetraction* retraction_ = nullptr;
  MessageCorrection* correction_ = nullptr;
  bool online_ = false;
  Seen seen_;
};

TEST_F(PayloadInteropTest, EachSideParsesWhatTheOtherSends) {
  StartPeer();
  ASSERT_TRUE(RunUntil([&] { return !PeerLine("\"ready\"").empty(); })) << PeerOutput();
  StartAlice();
  const std::string bob = std::string("bob@") + test::ProsodyServer::kDomain;
  ASSERT_NE(chat_->Send(OutgoingChat(bob, "alice-start", "start")), 0u);

  // slixmpp -> timd: a message asking for a receipt, then a marker, a
  // receipt, a retraction and a correction.
  ASSERT_TRUE(RunUntil([&] {
    return !seen_.markers.empty() && !seen_.receipts.empty() && !seen_.retractions.empty() &&
           !seen_.corrections.empty();
  })) << PeerOutput();
  ASSERT_EQ(seen_.chats.size(), 1u) << "a correction or retraction became a chat message";
  EXPECT_EQ(seen_.chats[0].id, kOriginalId);
  EXPECT_EQ(seen_.chats[0].body, "original");

  EXPECT_EQ(seen_.markers[0].kind, MarkerKind::kDisplayed);
  EXPECT_EQ(seen_.markers[0].marked_id, "alice-start");
  EXPECT_EQ(seen_.markers[0].origin.from_bare, bob);
  EXPECT_FALSE(seen_.markers[0].origin.is_own);

  EXPECT_EQ(seen_.receipts[0].delivered_id, "alice-start");
  EXPECT_EQ(seen_.receipts[0].origin.from, bob + "/payload-peer");

  EXPECT_EQ(seen_.retractions[0].retracted_id, kOriginalId);
  EXPECT_TRUE(seen_.retractions[0].legacy);  // slixmpp 1.8.3 sends message-retract:0
  EXPECT_EQ(seen_.retractions[0].origin.from_bare, bob);

  EXPECT_EQ(seen_.corrections[0].replaced_id, kOriginalId);
  EXPECT_EQ(seen_.corrections[0].body, "corrected");
  EXPECT_EQ(seen_.corrections[0].origin.from_bare, bob);
  EXPECT_FALSE(seen_.corrections[0].origin.stanza_id.empty());  // Prosody stamps what it archives

  // timd -> slixmpp: the receipt the peer asked for went out on its own.
  ASSERT_TRUE(RunUntil([&] { return !PeerLine("\"receipt\"").empty(); })) << PeerOutput();
  EXPECT_NE(PeerLine("\"receipt\"").find(std::string("\"receipt\": \"") + kOriginalId + "\""), std::string::npos);

  EXPECT_NE(markers_->Send(bob, MarkerKind::kDisplayed, kOriginalId).seq, 0u);
  EXPECT_NE(retraction_->Send(bob, "alice-start").seq, 0u);
  SentMessage corrected = correction_->Send(OutgoingChat(bob, "", "start, fixed", "{\"v\":1}"), "alice-start");
  EXPECT_NE(corrected.seq, 0u);
  ASSERT_TRUE(RunUntil([&] {
    return !PeerLine("\"marker\"").empty() && !PeerLine("\"retract\"").empty() && !PeerLine("\"correction\"").empty();
  })) << PeerOutput();
  const std::string marker = PeerLine("\"marker\"");
  EXPECT_NE(marker.find("\"marker\": \"displayed\""), std::string::npos) << marker;
  EXPECT_NE(marker.find(std::string("\"id\": \"") + kOriginalId + "\""), std::string::npos) << marker;
  const std::string retract = PeerLine("\"retract\"");
  EXPECT_NE(retract.find("\"retract\": \"alice-start\""), std::string::npos) << retract;
  EXPECT_NE(retract.find("\"fallback_for\": \"urn:xmpp:message-retract:1\""), std::string::npos) << retract;
  EXPECT_NE(retract.find("\"store\": true"), std::string::npos) << retract;
  const std::string correction = PeerLine("\"correction\"");
  EXPECT_NE(correction.find("\"correction\": \"alice-start\""), std::string::npos) << correction;
  EXPECT_NE(correction.find("\"body\": \"start, fixed\""), std::string::npos) << correction;
  EXPECT_NE(correction.find("\"id\": \"" + corrected.id + "\""), std::string::npos) << correction;
}

}  // namespace
}  // namespace timd::xmpp
