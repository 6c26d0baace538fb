// What revoke and modify need of the store: messages found by their id
// attribute within a conversation, content replaced in place, and
// retractions that wait for their message (tombstones) surviving a reopen.
#include <gtest/gtest.h>

#include "store/message_store.h"
#include "store/retraction_tombstones.h"
#include "unit/store/temp_dir.h"

namespace timd::store {
namespace {

class MessageEditsStoreTest : public ::testing::Test {
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

  MessageRecord Stored(const std::string& conv, const std::string& sender, const std::string& raw_id) {
    MessageRecord m;
    m.conv_id = conv;
    m.sender = sender;
    m.raw_id = raw_id;
    m.msg_id = conv + "/" + raw_id + "/" + sender;
    m.body = "v1";
    EXPECT_TRUE(store_->Insert(m));
    return m;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<MessageStore> store_;
};

TEST_F(MessageEditsStoreTest, FindByRawIdLooksInOneConversationOnly) {
  const auto bobs = Stored("bob@x", "bob@x", "r1");
  Stored("carol@x", "carol@x", "r1");
  Stored("bob@x", "bob@x", "r2");
  auto found = store_->FindByRawId("bob@x", 1, "r1");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].rowid, bobs.rowid);
  EXPECT_TRUE(store_->FindByRawId("bob@x", 1, "r9").empty());
  EXPECT_TRUE(store_->FindByRawId("bob@x", 2, "r1").empty());
}

TEST_F(MessageEditsStoreTest, UpdateContentKeepsIdSeqAndTimes) {
  const auto m = Stored("bob@x", "bob@x", "r1");
  store_->UpdateContent(m.rowid, "v2", std::string("\x0a\x00\x01", 3));
  db_->Commit();
  Open();
  const auto after = store_->FindByRowid(m.rowid);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->body, "v2");
  EXPECT_EQ(after->elems, std::string("\x0a\x00\x01", 3));
  EXPECT_EQ(after->msg_id, m.msg_id);
  EXPECT_EQ(after->conv_seq, m.conv_seq);
  EXPECT_EQ(after->server_time_ms, m.server_time_ms);
}

TEST_F(MessageEditsStoreTest, TombstonesAreKeyedBySenderAndSurviveAReopen) {
  {
    RetractionTombstones tombstones(*db_);
    tombstones.Add("bob@x", "r1", 1000);
    tombstones.Add("bob@x", "r1", 2000);  // a second copy of the same retraction
    db_->Commit();
  }
  Open();
  RetractionTombstones tombstones(*db_);
  EXPECT_FALSE(tombstones.Take("carol@x", "r1")) << "another sender's message with that id is not retracted";
  EXPECT_TRUE(tombstones.Take("bob@x", "r1"));
  EXPECT_FALSE(tombstones.Take("bob@x", "r1")) << "applied once";
}

}  // namespace
}  // namespace timd::store
