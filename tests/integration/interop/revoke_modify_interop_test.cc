// Revoke (XEP-0424) and modify (XEP-0308) between timd and an independent
// implementation, python3-slixmpp (payload_peer.py), on a real Prosody:
// timd applies slixmpp's retraction and correction (and a retraction that
// arrives before its message), slixmpp parses timd's, and a third user's
// retraction of someone else's message changes nothing.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "integration/interop/json_line_peer.h"
#include "support/event_reader.h"
#include "support/message_edits.h"
#include "support/message_sets.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

// The message of the conversation with `peer` whose first element reads `text`.
std::optional<tim::v1::Message> WithText(const TimdProcess& timd, const std::string& peer, const std::string& text) {
  for (auto& m : History(timd, peer)) {
    if (TextOf(m) == text) return m;
  }
  return std::nullopt;
}

class RevokeModifyInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prosody_.Start();
    prosody_.AddUser("alice", "alice-pw");
    prosody_.AddUser("bob", "bob-pw");
    prosody_.AddUser("carol", "carol-pw");
    alice_.UseProsody(prosody_);
    alice_.LoginAs("alice", "alice-pw");
  }

  grpc::Status Send(const std::string& text, const std::string& key) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    tim::v1::SendMessageResponse response;
    return alice_.Stubs()->messages->SendMessage(&ctx, TextTo("bob", text, key), &response);
  }

  ProsodyServer prosody_;
  TimdProcess alice_;
};

TEST_F(RevokeModifyInteropTest, TimdAndSlixmppApplyEachOthersRetractionsAndCorrections) {
  JsonLinePeer bob("payload_peer.py", prosody_, "bob", "bob-pw",
                   {"--original-id", "peer-original", "--second-id", "peer-second", "--early-id", "peer-early"});
  ASSERT_FALSE(bob.WaitForLine("\"ready\"").empty()) << bob.output();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  EventReader alice_events(alice_.Channel(), FromStart());
  ASSERT_TRUE(Send("start", "alice-start").ok()) << alice_.log();
  ASSERT_FALSE(bob.WaitForLine("\"answered\"").empty()) << bob.output();
  ASSERT_TRUE(Send("another", "alice-2").ok()) << alice_.log();

  // slixmpp -> timd.
  ASSERT_TRUE(alice_events.WaitFor([](const tim::v1::Event& e) {
    return e.has_messages_updated() && TextOf(e.messages_updated().messages(0)) == "corrected";
  })) << alice_.log() << bob.output();
  const auto original = WithText(alice_, "bob", "original");
  const auto early = WithText(alice_, "bob", "retracted early");
  const auto second = WithText(alice_, "bob", "corrected");
  ASSERT_TRUE(original && early && second) << alice_.log();
  ASSERT_TRUE(alice_events.WaitFor(RevokedEvent(original->msg_id()))) << alice_.log();
  ASSERT_TRUE(alice_events.WaitFor(RevokedEvent(early->msg_id()))) << alice_.log();
  EXPECT_EQ(original->status(), tim::v1::MSG_REVOKED);
  EXPECT_EQ(early->status(), tim::v1::MSG_REVOKED) << "the retraction that came first was kept and applied";
  EXPECT_NE(alice_.log().find("retraction by bob@" + std::string(ProsodyServer::kDomain) +
                              " of message peer-early arrived first"),
            std::string::npos)
      << alice_.log();
  EXPECT_EQ(second->status(), tim::v1::MSG_SEND_SUCC);
  EXPECT_FALSE(WithText(alice_, "bob", "second")) << "corrected in place";
  for (const auto& e : alice_events.Events()) {
    if (RevokedEvent(original->msg_id())(e)) {
      EXPECT_EQ(e.msg_revoked().locators(0).revoker_user_id(), "bob");
      EXPECT_EQ(e.msg_revoked().locators(0).seq(), original->seq());
      EXPECT_FALSE(e.msg_revoked().locators(0).is_self());
    }
  }
  // Five messages: alice's two, bob's three; no retraction or correction became one.
  EXPECT_EQ(History(alice_, "bob").size(), 5u);

  // timd -> slixmpp.
  tim::v1::RevokeMessageResponse revoked;
  auto status = Revoke(alice_, "bob", "alice-start", &revoked);
  ASSERT_TRUE(status.ok()) << status.error_message() << alice_.log();
  tim::v1::ModifyMessageResponse modified;
  status = ModifyText(alice_, "bob", "alice-2", "another, fixed", &modified);
  ASSERT_TRUE(status.ok()) << status.error_message() << alice_.log();
  const std::string retract = bob.WaitForLine("\"retract\"");
  EXPECT_NE(retract.find("\"retract\": \"alice-start\""), std::string::npos) << bob.output();
  const std::string correction = bob.WaitForLine("\"correction\"");
  EXPECT_NE(correction.find("\"correction\": \"alice-2\""), std::string::npos) << bob.output();
  EXPECT_NE(correction.find("\"body\": \"another, fixed\""), std::string::npos) << correction;

  // carol retracts bob's message: nothing changes. Her next message, sent
  // after the retraction, shows timd has handled it.
  JsonLinePeer carol("payload_peer.py", prosody_, "carol", "carol-pw",
                     {"--spoof-to", std::string("alice@") + ProsodyServer::kDomain, "--spoof-id", "peer-second"});
  ASSERT_FALSE(carol.WaitForLine("\"spoofed\"").empty()) << carol.output();
  ASSERT_TRUE(alice_events.WaitFor(HasTextMessage("after spoof"))) << alice_.log();
  EXPECT_EQ(WithText(alice_, "bob", "corrected")->status(), tim::v1::MSG_SEND_SUCC);
  EXPECT_FALSE(alice_events.WaitFor(RevokedEvent(second->msg_id()), std::chrono::milliseconds(300)));
  EXPECT_NE(alice_.log().find("ignoring a retraction (live) by carol@"), std::string::npos) << alice_.log();
}

}  // namespace
}  // namespace timd::test
