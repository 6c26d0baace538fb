// UnreadTotalEvents on a real SQLite store and event bus: one
// TOTAL_UNREAD_CHANGED per commit that moved the total, none for a commit
// that did not, and a rolled-back change leaves the committed total.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/unread_total_events.h"
#include "unit/domain/messaging_fixture.h"

namespace timd::domain {
namespace {

class UnreadTotalEventsTest : public MessagingFixture {
 protected:
  void SetUp() override {
    MessagingFixture::SetUp();
    totals_ = std::make_unique<UnreadTotalEvents>(*store_, *bus_);
    auto sub = bus_->Subscribe(std::nullopt, {});
    ASSERT_TRUE(sub.ok());
    sub_ = sub.value();
  }

  void TearDown() override {
    sub_->Cancel();
    totals_.reset();
    MessagingFixture::TearDown();
  }

  // A message in the conversation with bob: from bob (counts unread) or own.
  void Store(const std::string& msg_id, bool from_bob) {
    store::MessageRecord r;
    r.msg_id = r.origin_id = r.raw_id = msg_id;
    r.conv_id = "bob@localhost";
    r.sender = from_bob ? "bob@localhost" : "alice@localhost";
    r.is_from_self = !from_bob;
    r.body = "hello";
    r.status = tim::v1::MSG_SEND_SUCC;
    ASSERT_TRUE(store_->Insert(r));
    store_->TouchConversation(r, from_bob);
  }

  // The totals the events of the next commit carry.
  std::vector<uint64_t> TotalsAfterFlush() {
    std::vector<uint64_t> totals;
    for (const auto& e : EventsAfterFlush(*sub_)) {
      if (e.has_total_unread_changed()) totals.push_back(e.total_unread_changed().unread_count());
    }
    return totals;
  }

  std::unique_ptr<UnreadTotalEvents> totals_;
  std::shared_ptr<events::Subscription> sub_;
};

TEST_F(UnreadTotalEventsTest, OneEventPerCommitThatMovedTheTotal) {
  Store("in-1", true);
  Store("in-2", true);
  EXPECT_EQ(TotalsAfterFlush(), std::vector<uint64_t>{2});  // two messages, one commit: one event
  EXPECT_EQ(TotalsAfterFlush(), std::vector<uint64_t>{});   // nothing written
  Store("out-1", false);
  EXPECT_EQ(TotalsAfterFlush(), std::vector<uint64_t>{});   // written, total unchanged
  store_->SetUnread("bob@localhost", 1, 0);
  EXPECT_EQ(TotalsAfterFlush(), std::vector<uint64_t>{0});
}

TEST_F(UnreadTotalEventsTest, ARolledBackChangeKeepsTheCommittedTotal) {
  Store("in-1", true);
  EXPECT_EQ(TotalsAfterFlush(), std::vector<uint64_t>{1});
  Store("in-2", true);
  bus_->AbortBatch("test");
  EXPECT_EQ(TotalsAfterFlush(), std::vector<uint64_t>{});
  EXPECT_EQ(store_->TotalUnread(), 1u);
  Store("in-3", true);
  EXPECT_EQ(TotalsAfterFlush(), std::vector<uint64_t>{2});
}

}  // namespace
}  // namespace timd::domain
