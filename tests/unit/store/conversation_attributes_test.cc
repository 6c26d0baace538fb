// MessageStore's conversation attributes and deletes (v8 columns): they
// are written at commit with the conversation and read back after a
// reopen; a delete hides the conversation and holds off older messages.
#include <gtest/gtest.h>

#include "store/history_store.h"
#include "store/message_store.h"
#include "unit/store/temp_dir.h"

namespace timd::store {
namespace {

constexpr const char* kBob = "bob@example.org";

class ConversationAttributesTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void Open() {
    store_.reset();
    db_.reset();
    auto db = Database::Open(dir_.File("state.db"));
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
    store_ = std::make_unique<MessageStore>(*db_);
  }

  // Inserts a message from bob at `time_ms` and records it in the conversation.
  MessageRecord Receive(const std::string& msg_id, int64_t time_ms) {
    MessageRecord m;
    m.msg_id = msg_id;
    m.conv_id = kBob;
    m.sender = kBob;
    m.server_time_ms = time_ms;
    EXPECT_TRUE(store_->Insert(m));
    store_->TouchConversation(m, true);
    return m;
  }

  // How many of bob's messages are stored (up to 10).
  size_t StoredFromBob() {
    HistoryPage page;
    page.conv_id = kBob;
    page.limit = 10;
    return HistoryStore(*store_).Page(page).size();
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<MessageStore> store_;
};

TEST_F(ConversationAttributesTest, AttributesAreStoredAndReadBack) {
  Receive("m1", 1000);
  ConversationAttributes attrs;
  attrs.is_pinned = true;
  attrs.draft = std::string("\x00\x01draft", 7);
  attrs.marks = 0x8000000000000001ull;
  attrs.custom_data = "custom";
  EXPECT_EQ(store_->SetAttributes(kBob, 1, attrs).attrs, attrs);
  db_->Commit();
  Open();
  auto conv = store_->FindConversation(kBob, 1);
  ASSERT_TRUE(conv);
  EXPECT_EQ(conv->attrs, attrs);
  EXPECT_EQ(conv->unread, 1);
}

TEST_F(ConversationAttributesTest, PinnedConversationsListFirst) {
  Receive("m1", 1000);
  MessageRecord carol;
  carol.msg_id = "m2";
  carol.conv_id = "carol@example.org";
  carol.sender = "carol@example.org";
  carol.server_time_ms = 2000;
  ASSERT_TRUE(store_->Insert(carol));
  store_->TouchConversation(carol, true);
  ASSERT_EQ(store_->ListConversations().front().conv_id, "carol@example.org");
  ConversationAttributes pinned;
  pinned.is_pinned = true;
  store_->SetAttributes(kBob, 1, pinned);
  EXPECT_EQ(store_->ListConversations().front().conv_id, kBob);
}

TEST_F(ConversationAttributesTest, DeleteHidesTheConversationAndHoldsOffOlderMessages) {
  MessageRecord m1;
  m1.msg_id = "m1";
  m1.conv_id = kBob;
  m1.sender = kBob;
  m1.sid_own = "archive-1";
  m1.server_time_ms = 1000;
  ASSERT_TRUE(store_->Insert(m1));
  store_->TouchConversation(m1, true);
  ConversationAttributes attrs;
  attrs.is_pinned = true;
  store_->SetAttributes(kBob, 1, attrs);
  store_->DeleteConversation(kBob, 1, true, 5500);
  db_->Commit();
  Open();
  EXPECT_TRUE(store_->ListConversations().empty());
  EXPECT_EQ(StoredFromBob(), 0u);
  auto conv = store_->FindConversation(kBob, 1);
  ASSERT_TRUE(conv);
  EXPECT_EQ(conv->last_msg_rowid, 0);
  EXPECT_EQ(conv->unread, 0);
  EXPECT_FALSE(conv->attrs.is_pinned);
  EXPECT_EQ(conv->attrs.deleted_up_to_ms, 5500);

  MessageRecord old;
  old.conv_id = kBob;
  old.server_time_ms = 5500;
  EXPECT_TRUE(store_->IsDeleted(old));
  old.server_time_ms = 4000;  // a whole-second stamp, all of whose second is before 5500
  EXPECT_TRUE(store_->IsDeleted(old));
  old.server_time_ms = 5000;  // a whole-second stamp: maybe sent at 5.9 s, after the delete
  EXPECT_FALSE(store_->IsDeleted(old));
  old.server_time_ms = 5501;
  EXPECT_FALSE(store_->IsDeleted(old));

  // The deleted message stays as a deleted row: its later copies are not stored again.
  EXPECT_FALSE(store_->Insert(m1));

  // A newer message brings it back, with a seq after the deleted ones.
  auto back = Receive("m3", 6000);
  EXPECT_GT(back.conv_seq, int64_t{1} << 32);
  ASSERT_EQ(store_->ListConversations().size(), 1u);
  EXPECT_EQ(store_->ListConversations().front().unread, 1);
}

TEST_F(ConversationAttributesTest, DeleteCanKeepTheMessages) {
  Receive("m1", 1000);
  store_->DeleteConversation(kBob, 1, false, 5000);
  EXPECT_TRUE(store_->ListConversations().empty());
  EXPECT_EQ(StoredFromBob(), 1u);
}

TEST_F(ConversationAttributesTest, CreatedConversationIsListedWithoutAMessageUntilDeleted) {
  auto [created, is_new] = store_->CreateConversation(kBob, 1, 3000);
  EXPECT_TRUE(is_new);
  EXPECT_TRUE(created.Listed());
  EXPECT_EQ(created.active_time_ms, 3000);
  EXPECT_FALSE(store_->CreateConversation(kBob, 1, 4000).second);  // exists: unchanged
  db_->Commit();
  Open();
  auto listed = store_->ListConversations();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].last_msg_rowid, 0);
  EXPECT_EQ(listed[0].attrs.created_ms, 3000);
  EXPECT_EQ(listed[0].active_time_ms, 3000);

  // Its first message does not create it again.
  MessageRecord m;
  m.msg_id = "m1";
  m.conv_id = kBob;
  m.sender = kBob;
  m.server_time_ms = 5000;
  ASSERT_TRUE(store_->Insert(m));
  EXPECT_FALSE(store_->TouchConversation(m, true).second);
  store_->DeleteConversation(kBob, 1, true, 6000);
  EXPECT_TRUE(store_->ListConversations().empty());
  EXPECT_TRUE(store_->CreateConversation(kBob, 1, 7000).second);
  EXPECT_EQ(store_->FindConversation(kBob, 1)->attrs.deleted_up_to_ms, 6000);  // still holds off older ones
}

}  // namespace
}  // namespace timd::store
