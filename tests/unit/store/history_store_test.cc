#include "store/history_store.h"

#include <gtest/gtest.h>

#include "store/elem_type_filter.h"
#include "unit/store/store_fixture.h"

namespace timd::store {
namespace {

constexpr const char* kBob = "bob@example.org";

class HistoryStoreTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    history_ = std::make_unique<HistoryStore>(*store_);
  }

  // m0..m<count-1> from bob, one second apart from `first_ms`, each a copy of an archive id.
  void InsertMessages(int count, int64_t first_ms = 1000) {
    for (int i = 0; i < count; ++i) {
      MessageRecord m = Received("m" + std::to_string(i), first_ms + 1000 * i);
      ASSERT_TRUE(store_->Insert(m));
    }
  }
  static MessageRecord Received(const std::string& id, int64_t time_ms) {
    MessageRecord m;
    m.msg_id = id;
    m.sid_own = "sid-" + id;
    m.conv_id = kBob;
    m.sender = kBob;
    m.body = "text " + id;
    m.server_time_ms = time_ms;
    m.status = 2;
    return m;
  }
  std::vector<std::string> Ids(const HistoryPage& page) {
    std::vector<std::string> ids;
    for (const auto& m : history_->Page(page)) ids.push_back(m.msg_id);
    return ids;
  }
  static HistoryPage Bob(bool forward, int64_t anchor = 0, int limit = 20) {
    HistoryPage page;
    page.conv_id = kBob;
    page.forward = forward;
    page.anchor_seq = anchor;
    page.limit = limit;
    return page;
  }

  std::unique_ptr<HistoryStore> history_;
};

using IdList = std::vector<std::string>;

TEST_F(HistoryStoreTest, PagesBothWaysFromAnAnchorWithinATimeRange) {
  InsertMessages(5);
  EXPECT_EQ(Ids(Bob(false, 0, 2)), (IdList{"m4", "m3"}));
  EXPECT_EQ(Ids(Bob(true, 0, 2)), (IdList{"m0", "m1"}));
  const int64_t m2_seq = store_->FindByMsgId("m2")->conv_seq;
  EXPECT_EQ(Ids(Bob(true, m2_seq)), (IdList{"m3", "m4"}));
  EXPECT_EQ(Ids(Bob(false, m2_seq)), (IdList{"m1", "m0"}));
  HistoryPage range = Bob(true);
  range.from_ms = 2000;  // m1
  range.to_ms = 3000;    // m2
  EXPECT_EQ(Ids(range), (IdList{"m1", "m2"}));
}

TEST_F(HistoryStoreTest, DeletedMessagesStayDeletedWhenCopiesArrive) {
  InsertMessages(3);
  auto m1 = store_->FindByMsgId("m1");
  history_->MarkDeleted(m1->rowid);
  db_->Commit();
  EXPECT_EQ(Ids(Bob(false)), (IdList{"m2", "m0"}));
  EXPECT_FALSE(history_->FindBySeq(kBob, 1, m1->conv_seq).has_value());

  // The archive delivers the same message again: it matches the tombstone.
  MessageRecord copy = Received("m1", 2000);
  EXPECT_FALSE(store_->Insert(copy));
  auto stored = store_->FindByMsgId("m1");
  EXPECT_EQ(stored->status, kDeletedStatus);
  EXPECT_EQ(stored->body, "");
  EXPECT_EQ(Ids(Bob(false)), (IdList{"m2", "m0"}));
  EXPECT_EQ(history_->Newest(kBob, 1)->msg_id, "m2");
  EXPECT_EQ(history_->CountUnread(kBob, 1), 2);
}

TEST_F(HistoryStoreTest, ClearRemembersWhenAndLeavesNothing) {
  InsertMessages(3);
  EXPECT_EQ(history_->ClearedAtMs(kBob, 1), 0);
  history_->Clear(kBob, 1, 50000);
  db_->Commit();
  EXPECT_TRUE(Ids(Bob(false)).empty());
  EXPECT_FALSE(history_->Newest(kBob, 1).has_value());
  EXPECT_EQ(history_->ClearedAtMs(kBob, 1), 50000);
  history_->Clear(kBob, 1, 40000);  // never moves back
  EXPECT_EQ(history_->ClearedAtMs(kBob, 1), 50000);
}

TEST_F(HistoryStoreTest, LocalCustomDataIsStored) {
  InsertMessages(1);
  auto m0 = store_->FindByMsgId("m0");
  history_->SetLocalCustomData(m0->rowid, 9, "note");
  db_->Commit();
  auto stored = store_->FindByMsgId("m0");
  EXPECT_EQ(stored->custom_int, 9);
  EXPECT_EQ(stored->custom_str, "note");
}

TEST_F(HistoryStoreTest, InsertOlderCountsSeqsDownAndKeepsCopiesAndTombstones) {
  InsertMessages(2, 10000);
  const int64_t m0_seq = store_->FindByMsgId("m0")->conv_seq;
  MessageRecord o1 = Received("o1", 5000);
  ASSERT_TRUE(store_->InsertOlder(o1));
  EXPECT_EQ(o1.conv_seq, m0_seq - 1);
  MessageRecord o0 = Received("o0", 4000);
  ASSERT_TRUE(store_->InsertOlder(o0));
  EXPECT_EQ(o0.conv_seq, m0_seq - 2);
  EXPECT_EQ(store_->Oldest(kBob, 1)->msg_id, "o0");
  db_->Commit();
  EXPECT_EQ(Ids(Bob(false)), (IdList{"m1", "m0", "o1", "o0"}));

  MessageRecord m0_copy = Received("m0", 11000);
  EXPECT_FALSE(store_->InsertOlder(m0_copy));
  EXPECT_EQ(m0_copy.conv_seq, m0_seq);
  history_->MarkDeleted(o1.rowid);
  MessageRecord o1_copy = Received("o1", 5000);
  EXPECT_FALSE(store_->InsertOlder(o1_copy));
  EXPECT_EQ(store_->FindByMsgId("o1")->status, kDeletedStatus);

  // History leaves the conversation alone: newer messages follow m1.
  MessageRecord m2 = Received("m2", 12000);
  ASSERT_TRUE(store_->Insert(m2));
  EXPECT_EQ(m2.conv_seq, store_->FindByMsgId("m1")->conv_seq + 1);
  db_->Commit();
  EXPECT_EQ(Ids(Bob(false)), (IdList{"m2", "m1", "m0", "o0"}));
}

TEST_F(HistoryStoreTest, ElemTypeMaskKeepsMatchingMessagesOnly) {
  // The classifier stands in for the domain's: "img" content is an image (bit 1).
  ElemTypeFunction types(*db_, [](std::string_view elems) -> uint64_t { return elems == "img" ? 2 : 1; });
  InsertMessages(3);
  MessageRecord image = Received("i0", 9000);
  image.elems = "img";
  ASSERT_TRUE(store_->Insert(image));
  db_->Commit();
  HistoryPage images = Bob(false);
  images.elem_type_mask = 2;
  EXPECT_EQ(Ids(images), (IdList{"i0"}));
  HistoryPage texts = Bob(true, 0, 2);
  texts.elem_type_mask = 1;
  EXPECT_EQ(Ids(texts), (IdList{"m0", "m1"}));
  texts.elem_type_mask = 1 | 2;
  texts.limit = 20;
  EXPECT_EQ(Ids(texts), (IdList{"m0", "m1", "m2", "i0"}));
}

}  // namespace
}  // namespace timd::store
