// DeliveryReceiptTracker on a real SQLite store and event bus: the peer's
// receipt marks an own message delivered once (one event per commit); a
// receipt from a third party, from our own account, for the peer's own
// message or for an unknown id changes nothing; a rolled-back batch
// publishes nothing.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/delivery_receipts.h"
#include "unit/domain/messaging_fixture.h"

namespace timd::domain {
namespace {

xmpp::DeliveryReceipt ReceiptFrom(const std::string& bare, const std::string& id, bool is_own = false,
                                  int64_t delay_ms = 0) {
  xmpp::DeliveryReceipt receipt;
  receipt.origin.from = bare + "/phone";
  receipt.origin.from_bare = bare;
  receipt.origin.is_own = is_own;
  receipt.origin.delay_ms = delay_ms;
  receipt.delivered_id = id;
  return receipt;
}

class DeliveryReceiptsTest : public MessagingFixture {
 protected:
  void SetUp() override {
    MessagingFixture::SetUp();
    tracker_ = std::make_unique<DeliveryReceiptTracker>(*store_, *bus_, ids_);
    auto sub = bus_->Subscribe(std::nullopt, {});
    ASSERT_TRUE(sub.ok());
    sub_ = sub.value();
  }

  void TearDown() override {
    sub_->Cancel();
    tracker_.reset();
    MessagingFixture::TearDown();
  }

  // The msg_ids of each MessagesDelivered event the next commit carries.
  std::vector<std::vector<std::string>> DeliveredAfterFlush() {
    std::vector<std::vector<std::string>> events;
    for (const auto& e : EventsAfterFlush(*sub_)) {
      if (!e.has_messages_delivered()) continue;
      auto& ids = events.emplace_back();
      for (const auto& m : e.messages_delivered().messages()) ids.push_back(m.msg_id());
    }
    return events;
  }

  int64_t DeliveredMs(const std::string& msg_id) { return store_->FindByMsgId(msg_id)->delivered_ms; }

  std::unique_ptr<DeliveryReceiptTracker> tracker_;
  std::shared_ptr<events::Subscription> sub_;
};

using Batches = std::vector<std::vector<std::string>>;

TEST_F(DeliveryReceiptsTest, ThePeersFirstReceiptMarksDeliveredOnce) {
  StoreSentMessage("m-1");
  StoreSentMessage("m-2");
  tracker_->OnReceipt(ReceiptFrom("bob@localhost", "m-1", false, 1700000000000));
  tracker_->OnReceipt(ReceiptFrom("bob@localhost", "m-2"));
  EXPECT_EQ(DeliveredAfterFlush(), (Batches{{"m-1", "m-2"}}));  // one commit, one event
  EXPECT_EQ(DeliveredMs("m-1"), 1700000000000);                  // the stored receipt's stamp
  EXPECT_GT(DeliveredMs("m-2"), 0);
  tracker_->OnReceipt(ReceiptFrom("bob@localhost", "m-1", false, 1800000000000));
  EXPECT_EQ(DeliveredAfterFlush(), Batches{});  // a later copy changes nothing
  EXPECT_EQ(DeliveredMs("m-1"), 1700000000000);
}

TEST_F(DeliveryReceiptsTest, ReceiptsFromAnyoneButThePeerAreIgnored) {
  StoreSentMessage("m-1");
  tracker_->OnReceipt(ReceiptFrom("carol@localhost", "m-1"));       // not her conversation
  tracker_->OnReceipt(ReceiptFrom("alice@localhost", "m-1", true));  // our own account
  tracker_->OnReceipt(ReceiptFrom("bob@localhost", "no-such-id"));
  store::MessageRecord from_bob;
  from_bob.msg_id = from_bob.raw_id = "in-1";
  from_bob.conv_id = from_bob.sender = "bob@localhost";
  ASSERT_TRUE(store_->Insert(from_bob));
  tracker_->OnReceipt(ReceiptFrom("bob@localhost", "in-1"));  // bob's own message, not ours
  EXPECT_EQ(DeliveredAfterFlush(), Batches{});
  EXPECT_EQ(DeliveredMs("m-1"), 0);
  EXPECT_EQ(DeliveredMs("in-1"), 0);
}

TEST_F(DeliveryReceiptsTest, ARolledBackBatchPublishesNothing) {
  StoreSentMessage("m-1");
  tracker_->OnReceipt(ReceiptFrom("bob@localhost", "m-1"));
  bus_->AbortBatch("test");
  EXPECT_EQ(DeliveredAfterFlush(), Batches{});
  EXPECT_EQ(DeliveredMs("m-1"), 0);
  tracker_->OnReceipt(ReceiptFrom("bob@localhost", "m-1"));  // the next copy counts
  EXPECT_EQ(DeliveredAfterFlush(), (Batches{{"m-1"}}));
}

}  // namespace
}  // namespace timd::domain
