// Messaging's handling of an error reply to a message the server had already
// acknowledged (the usual order when the peer's server refuses it), on a
// real SQLite store and event bus.
#include "unit/domain/messaging_fixture.h"

namespace timd::domain {
namespace {

using MessagingBounceTest = MessagingFixture;

TEST_F(MessagingBounceTest, RefusalAfterTheAckFailsTheMessageAndTellsApps) {
  StoreSentMessage("m-1");
  auto sub = bus_->Subscribe(std::nullopt, {});
  ASSERT_TRUE(sub.ok());
  messaging_->OnBounced({"bob@localhost", "m-1", "service-unavailable", "no such user"});
  const auto events = EventsAfterFlush(*sub.value());

  EXPECT_EQ(store_->FindByMsgId("m-1")->status, tim::v1::MSG_SEND_FAIL);
  ASSERT_EQ(events.size(), 2u);
  ASSERT_TRUE(events[0].has_messages_updated());
  ASSERT_EQ(events[0].messages_updated().messages_size(), 1);
  EXPECT_EQ(events[0].messages_updated().messages(0).msg_id(), "m-1");
  EXPECT_EQ(events[0].messages_updated().messages(0).status(), tim::v1::MSG_SEND_FAIL);
  ASSERT_TRUE(events[1].has_conv_event());
  EXPECT_EQ(events[1].conv_event().type(), tim::v1::CONV_EVENT_UPDATE);
  EXPECT_EQ(events[1].conv_event().conversations(0).conv_id(), "bob");
  EXPECT_EQ(events[1].conv_event().conversations(0).last_msg().status(), tim::v1::MSG_SEND_FAIL);

  // A second copy of the refusal changes nothing more.
  messaging_->OnBounced({"bob@localhost", "m-1", "service-unavailable", "no such user"});
  EXPECT_TRUE(EventsAfterFlush(*sub.value()).empty());
}

TEST_F(MessagingBounceTest, RefusalFromAnyoneButTheRecipientIsIgnored) {
  StoreSentMessage("m-2");
  auto sub = bus_->Subscribe(std::nullopt, {});
  ASSERT_TRUE(sub.ok());
  messaging_->OnBounced({"mallory@localhost", "m-2", "forbidden", ""});
  messaging_->OnBounced({"bob@localhost", "unknown-id", "forbidden", ""});
  EXPECT_TRUE(EventsAfterFlush(*sub.value()).empty());
  EXPECT_EQ(store_->FindByMsgId("m-2")->status, tim::v1::MSG_SEND_SUCC);

  messaging_->OnBounced({"localhost", "m-2", "remote-server-timeout", ""});  // the recipient's server
  EXPECT_EQ(EventsAfterFlush(*sub.value()).size(), 2u);
  EXPECT_EQ(store_->FindByMsgId("m-2")->status, tim::v1::MSG_SEND_FAIL);
}

}  // namespace
}  // namespace timd::domain
