#include "store/read_state_store.h"

#include <gtest/gtest.h>

#include "store/message_store.h"
#include "unit/store/temp_dir.h"

namespace timd::store {
namespace {

constexpr char kBob[] = "bob@example.org";
constexpr char kAlice[] = "alice@example.org";

class ReadStateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.File("state.db"));
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
    messages_ = std::make_unique<MessageStore>(*db_);
    reads_ = std::make_unique<ReadStateStore>(*db_);
  }

  // Stores a message in the conversation with bob; returns its conv_seq.
  int64_t Add(const std::string& id, bool from_self, bool markable, int64_t time_ms = 1000) {
    MessageRecord m;
    m.msg_id = id;
    m.raw_id = id;
    m.conv_id = kBob;
    m.sender = from_self ? kAlice : kBob;
    m.is_from_self = from_self;
    m.markable = markable;
    m.server_time_ms = time_ms;
    EXPECT_TRUE(messages_->Insert(m));
    return m.conv_seq;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<MessageStore> messages_;
  std::unique_ptr<ReadStateStore> reads_;
};

TEST_F(ReadStateStoreTest, ReadPointerMarksReceivedMessagesUpToItOnce) {
  const int64_t in1 = Add("in-1", false, true);
  Add("out-1", true, false);
  const int64_t in2 = Add("in-2", false, false);
  Add("in-3", false, true);
  EXPECT_EQ(reads_->MarkRead(kBob, 1, in2), 2);  // own messages are never counted
  EXPECT_EQ(reads_->MarkRead(kBob, 1, in2), 0);  // only forward
  EXPECT_EQ(reads_->MarkRead(kBob, 1, in1), 0);
  EXPECT_TRUE(messages_->FindByMsgId("in-2")->is_read);
  EXPECT_FALSE(messages_->FindByMsgId("in-3")->is_read);
  // The marker goes to the newest markable message at or before the pointer.
  EXPECT_EQ(reads_->NewestMarkable(kBob, 1, in2)->raw_id, "in-1");
  EXPECT_EQ(reads_->NewestMarkable(kBob, 1, INT64_MAX)->raw_id, "in-3");
  EXPECT_FALSE(reads_->NewestMarkable("carol@example.org", 1, INT64_MAX));
}

TEST_F(ReadStateStoreTest, PeerPointerReturnsOnlyNewlyReadOwnMessages) {
  Add("out-1", true, false);
  Add("in-1", false, true);
  const int64_t out2 = Add("out-2", true, false);
  const int64_t out3 = Add("out-3", true, false);
  auto first = reads_->MarkPeerRead(kBob, 1, out2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].msg_id, "out-1");
  EXPECT_EQ(first[1].msg_id, "out-2");
  EXPECT_TRUE(reads_->MarkPeerRead(kBob, 1, out2).empty());  // an old marker
  EXPECT_TRUE(messages_->FindByMsgId("out-2")->is_peer_read);
  EXPECT_FALSE(messages_->FindByMsgId("out-3")->is_peer_read);
  EXPECT_EQ(reads_->MarkPeerRead(kBob, 1, out3).size(), 1u);
}

TEST_F(ReadStateStoreTest, ReferencesResolveOnlyInsideTheirConversation) {
  Add("m-1", true, false, 1000);
  const int64_t m2 = Add("m-2", false, true, 5000);
  EXPECT_EQ(reads_->FindReferenced(kBob, 1, "m-2")->conv_seq, m2);
  EXPECT_FALSE(reads_->FindReferenced("mallory@example.org", 1, "m-2"));
  EXPECT_FALSE(reads_->FindReferenced(kBob, 1, "unknown"));
  EXPECT_EQ(reads_->SeqAtOrBefore(kBob, 1, 4999), m2 - 1);
  EXPECT_EQ(reads_->SeqAtOrBefore(kBob, 1, 5000), m2);
  EXPECT_EQ(reads_->SeqAtOrBefore(kBob, 1, 10), 0);
}

}  // namespace
}  // namespace timd::store
