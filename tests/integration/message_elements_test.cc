// Elements beyond text, cloud_custom_str and need_read_receipt, between two
// timd daemons over a real Prosody (timd's own payload), and what a client
// that knows nothing of it reads (the fallback body).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support/event_reader.h"
#include "support/message_sets.h"
#include "support/peer_process.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

// Text, custom (with bytes no XML text can hold), face and location, and
// both fields XMPP has no place for.
tim::v1::SendMessageRequest RichMessageTo(const std::string& peer, const std::string& key) {
  tim::v1::SendMessageRequest request = TextTo(peer, "look: <here> & now", key);
  auto* custom = request.add_elems();
  custom->set_type(tim::v1::ELEM_CUSTOM);
  custom->mutable_custom()->set_data(std::string("\x00\x01\xfe\xff card", 9));
  custom->mutable_custom()->set_desc("a business card");
  custom->mutable_custom()->set_ext("{\"v\":2}");
  auto* face = request.add_elems();
  face->set_type(tim::v1::ELEM_FACE);
  face->mutable_face()->set_index(12);
  face->mutable_face()->set_data("smile");
  auto* location = request.add_elems();
  location->set_type(tim::v1::ELEM_LOCATION);
  location->mutable_location()->set_desc("Pier 3");
  location->mutable_location()->set_latitude(52.5);
  location->mutable_location()->set_longitude(13.25);
  request.set_cloud_custom_str("{\"thread\":\"t-9\"}");
  request.set_need_read_receipt(true);
  return request;
}

grpc::Status Send(const TimdProcess& timd, const tim::v1::SendMessageRequest& request,
                  tim::v1::SendMessageResponse* response) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 20s);
  return timd.Stubs()->messages->SendMessage(&ctx, request, response);
}

// What an app set and a peer's app must see unchanged.
void ExpectSameContent(const tim::v1::Message& got, const tim::v1::SendMessageRequest& sent) {
  ASSERT_EQ(got.elems_size(), sent.elems_size());
  for (int i = 0; i < sent.elems_size(); ++i) {
    EXPECT_EQ(got.elems(i).SerializeAsString(), sent.elems(i).SerializeAsString()) << "element " << i;
  }
  EXPECT_EQ(got.cloud_custom_str(), sent.cloud_custom_str());
  EXPECT_EQ(got.need_read_receipt(), sent.need_read_receipt());
}

class MessageElementsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prosody_.Start();
    prosody_.AddUser("alice", "alice-secret");
    prosody_.AddUser("bob", "bob-secret");
    prosody_.AddUser("carol", "carol-secret");
    alice_.UseProsody(prosody_);
    alice_.LoginAs("alice", "alice-secret");
  }

  ProsodyServer prosody_;
  TimdProcess alice_;
};

TEST_F(MessageElementsTest, EveryElementAndFieldReachesATimdPeerUnchanged) {
  TimdProcess bob;
  bob.UseProsody(prosody_);
  bob.LoginAs("bob", "bob-secret");
  bob.Start();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  ASSERT_TRUE(bob.WaitLoggedIn()) << bob.log();
  EventReader bob_events(bob.Channel(), FromStart());

  const auto request = RichMessageTo("bob", "rich-1");
  tim::v1::SendMessageResponse sent;
  auto status = Send(alice_, request, &sent);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ExpectSameContent(sent.message(), request);

  ASSERT_TRUE(bob_events.WaitFor(HasNewMessage(WithMsgId("rich-1")))) << bob.log();
  for (const auto& m : NewMessagesMatching(bob_events.Events(), WithMsgId("rich-1"))) ExpectSameContent(m, request);
  // And in bob's store, after a restart.
  bob.Stop();
  bob.Start();
  ASSERT_TRUE(bob.WaitLoggedIn()) << bob.log();
  const auto stored = History(bob, "alice");
  ASSERT_EQ(stored.size(), 1u);
  ExpectSameContent(stored[0], request);
}

TEST_F(MessageElementsTest, OtherClientsReadTheFallbackBody) {
  PeerProcess carol(prosody_, "carol", "carol-secret");
  carol.Start();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();

  tim::v1::SendMessageResponse sent;
  auto status = Send(alice_, RichMessageTo("carol", "rich-2"), &sent);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<std::string> lines;
  for (int i = 0; i < 50 && lines.empty(); ++i, std::this_thread::sleep_for(100ms)) lines = carol.ReceivedLines();
  ASSERT_EQ(lines.size(), 1u);
  // Escaped by the peer's record: one line per message.
  EXPECT_EQ(lines[0], "rich-2\tlook: <here> & now\\na business card\\n[face]\\ngeo:52.500000,13.250000");
}

TEST_F(MessageElementsTest, ElementsTimdCannotSendYetAreRefusedBeforeTheOutbox) {
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  tim::v1::SendMessageRequest request = TextTo("bob", "with a group tip", "tip-1");
  auto* tip = request.add_elems();
  tip->set_type(tim::v1::ELEM_GROUP_TIPS);
  tip->mutable_group_tips()->set_group_id("team");
  tim::v1::SendMessageResponse sent;
  auto status = Send(alice_, request, &sent);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_NE(status.error_message().find("element 1 has type 5"), std::string::npos) << status.error_message();
  EXPECT_TRUE(History(alice_, "bob").empty());
}

}  // namespace
}  // namespace timd::test
