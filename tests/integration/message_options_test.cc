// What an app sets on a message besides its content, between two timd
// daemons on a real Prosody: message_is_excluded_from_unread_count reaches
// the peer, whose conversation and total unread counts skip the message
// (and a read report still marks it read); message_priority is accepted
// (0 to 3, reported as Normal) and a bad one is refused.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "integration/alice_bob_fixture.h"
#include "support/event_reader.h"
#include "support/message_sets.h"
#include "support/requests.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

grpc::Status Send(const TimdProcess& timd, const tim::v1::SendMessageRequest& request,
                  tim::v1::SendMessageResponse* response) {
  return SendWithin(*timd.Stubs(), request, response);
}

tim::v1::SendMessageRequest Excluded(const std::string& text) {
  auto request = TextTo("bob", text, text);
  request.set_is_excluded_from_unread_count(true);
  return request;
}

tim::v1::Conversation ConversationWith(const TimdProcess& timd, const std::string& peer) {
  grpc::ClientContext ctx;
  tim::v1::ListConversationsResponse response;
  EXPECT_TRUE(timd.Stubs()->conversations->ListConversations(&ctx, {}, &response).ok());
  for (const auto& c : response.conversations()) {
    if (c.conv_id() == peer) return c;
  }
  ADD_FAILURE() << "no conversation with " << peer;
  return {};
}

uint64_t TotalUnread(const TimdProcess& timd) {
  grpc::ClientContext ctx;
  tim::v1::GetTotalUnreadResponse response;
  EXPECT_TRUE(timd.Stubs()->conversations->GetTotalUnreadMessageCount(&ctx, {}, &response).ok());
  return response.unread_count();
}

int TimCode(const grpc::Status& status) {
  tim::v1::ErrorDetail detail;
  return detail.ParseFromString(status.error_details()) ? detail.tim_code() : -1;
}

class MessageOptionsTest : public AliceBobFixture {};

TEST_F(MessageOptionsTest, ExcludedMessagesDoNotCountAsUnreadAtThePeer) {
  EventReader bob_events(bob_.Channel(), FromStart());
  tim::v1::SendMessageResponse sent;
  ASSERT_TRUE(Send(alice_, TextTo("bob", "counted 1", "counted-1"), &sent).ok()) << alice_.log();
  // One text element and the flag: timd's payload carries the flag.
  ASSERT_TRUE(Send(alice_, Excluded("not counted"), &sent).ok()) << alice_.log();
  EXPECT_TRUE(sent.message().is_excluded_from_unread_count());
  auto rich = Excluded("not counted either");
  auto* location = rich.add_elems();
  location->set_type(tim::v1::ELEM_LOCATION);
  location->mutable_location()->set_latitude(1.5);
  location->mutable_location()->set_longitude(2.5);
  ASSERT_TRUE(Send(alice_, rich, &sent).ok()) << alice_.log();
  ASSERT_TRUE(Send(alice_, TextTo("bob", "counted 2", "counted-2"), &sent).ok()) << alice_.log();
  ASSERT_TRUE(bob_events.WaitFor(HasTextMessage("counted 2"))) << bob_.log();

  for (const auto& m : History(bob_, "alice")) {
    EXPECT_EQ(m.is_excluded_from_unread_count(), TextOf(m).starts_with("not counted")) << TextOf(m);
    EXPECT_FALSE(m.is_read()) << TextOf(m);
  }
  EXPECT_EQ(ConversationWith(bob_, "alice").unread_num(), 2u);
  EXPECT_EQ(TotalUnread(bob_), 2u);
  EXPECT_EQ(ConversationWith(alice_, "bob").unread_num(), 0u) << "own messages never count";

  grpc::ClientContext ctx;
  tim::v1::ReportReadRequest read;
  read.set_conv_id("alice");
  read.set_conv_type(tim::v1::CONV_C2C);
  tim::v1::ReportReadResponse read_response;
  ASSERT_TRUE(bob_.Stubs()->messages->ReportRead(&ctx, read, &read_response).ok());
  EXPECT_EQ(ConversationWith(bob_, "alice").unread_num(), 0u);
  EXPECT_EQ(TotalUnread(bob_), 0u);
  for (const auto& m : History(bob_, "alice")) EXPECT_TRUE(m.is_read()) << TextOf(m);
}

TEST_F(MessageOptionsTest, PriorityIsAcceptedAndReportedAsNormal) {
  EventReader bob_events(bob_.Channel(), FromStart());
  tim::v1::SendMessageResponse sent;
  auto high = TextTo("bob", "urgent", "urgent");
  high.set_priority(0);  // kTIMMsgPriority_High
  ASSERT_TRUE(Send(alice_, high, &sent).ok()) << alice_.log();
  EXPECT_EQ(sent.message().priority(), 1u) << "XMPP carries no priority: Normal";
  ASSERT_TRUE(bob_events.WaitFor(HasTextMessage("urgent"))) << bob_.log();
  EXPECT_EQ(History(bob_, "alice").at(0).priority(), 1u);

  auto bad = TextTo("bob", "bad priority", "bad-priority");
  bad.set_priority(4);
  const grpc::Status refused = Send(alice_, bad, &sent);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(TimCode(refused), 6017) << refused.error_message();
  EXPECT_NE(refused.error_message().find("priority 4"), std::string::npos) << refused.error_message();
  EXPECT_EQ(History(alice_, "bob").size(), 1u) << "nothing of the refused message is stored";
}

}  // namespace
}  // namespace timd::test
