#include "store/message_store.h"

#include <gtest/gtest.h>

#include "store/history_store.h"
#include "store/msg_key.h"
#include "unit/store/store_fixture.h"

namespace timd::store {
namespace {

constexpr int64_t kFirstSeq = int64_t{1} << 32;

class MessageStoreTest : public StoreFixture {
 protected:

  static MessageRecord Msg(std::string msg_id, std::string sender, int64_t server_time_ms = 1000) {
    MessageRecord m;
    m.msg_id = std::move(msg_id);
    m.conv_id = "bob@example.org";
    m.sender = std::move(sender);
    m.body = "hello";
    m.server_time_ms = server_time_ms;
    return m;
  }

  // A received copy: proposed under its natural msg_id, as the domain does.
  static MessageRecord Copy(std::string sender, std::string sid, std::string origin, std::string raw = "") {
    MessageRecord m = Msg("", std::move(sender));
    m.sid_own = std::move(sid);
    m.origin_id = std::move(origin);
    m.raw_id = std::move(raw);
    m.msg_id = NaturalMsgId(m);
    return m;
  }

  size_t Count() {
    HistoryPage all;
    all.conv_id = "bob@example.org";
    all.limit = 1000;
    return HistoryStore(*store_).Page(all).size();
  }

};

TEST_F(MessageStoreTest, InsertAssignsRowidAndConvSeq) {
  auto a = Msg("a", "bob@example.org");
  auto b = Msg("b", "bob@example.org");
  ASSERT_TRUE(store_->Insert(a));
  ASSERT_TRUE(store_->Insert(b));
  EXPECT_GT(a.rowid, 0);
  EXPECT_EQ(a.conv_seq, kFirstSeq);
  EXPECT_EQ(b.conv_seq, kFirstSeq + 1);
  // Another conversation starts its own sequence.
  auto c = Msg("c", "carol@example.org");
  c.conv_id = "carol@example.org";
  ASSERT_TRUE(store_->Insert(c));
  EXPECT_EQ(c.conv_seq, kFirstSeq);
}

TEST_F(MessageStoreTest, NaturalMsgIdPrefersOriginThenRawThenArchiveId) {
  EXPECT_EQ(Copy("bob@example.org", "sid1", "o1", "r1").msg_id, "o1");
  EXPECT_EQ(Copy("bob@example.org", "sid1", "", "r1").msg_id, "r1");
  EXPECT_EQ(Copy("bob@example.org", "sid1", "").msg_id, "s:sid1");
  EXPECT_EQ(Copy("bob@example.org", "", "").msg_id, "");
}

TEST_F(MessageStoreTest, DuplicateBySid) {
  auto a = Copy("bob@example.org", "sid1", "");
  ASSERT_TRUE(store_->Insert(a));
  auto copy = Copy("bob@example.org", "sid1", "");
  EXPECT_FALSE(store_->Insert(copy));
  EXPECT_EQ(copy.rowid, a.rowid);
  EXPECT_EQ(copy.msg_id, "s:sid1");
  EXPECT_EQ(Count(), 1u);
}

TEST_F(MessageStoreTest, DuplicateByOriginId) {
  auto a = Copy("bob@example.org", "", "o1");
  ASSERT_TRUE(store_->Insert(a));
  auto copy = Copy("bob@example.org", "", "o1");
  EXPECT_FALSE(store_->Insert(copy));
  // The same origin-id from another sender is another message.
  auto other = Copy("carol@example.org", "", "o1");
  EXPECT_TRUE(store_->Insert(other));
  EXPECT_NE(other.msg_id, "o1");
  EXPECT_EQ(Count(), 2u);
  // ... whose copies find it at its derived id.
  auto other_again = Copy("carol@example.org", "", "o1");
  EXPECT_FALSE(store_->Insert(other_again));
  EXPECT_EQ(other_again.rowid, other.rowid);
  EXPECT_EQ(Count(), 2u);
}

TEST_F(MessageStoreTest, DuplicateByRawId) {
  auto a = Copy("bob@example.org", "", "", "r1");
  ASSERT_TRUE(store_->Insert(a));
  auto copy = Copy("bob@example.org", "", "", "r1");
  EXPECT_FALSE(store_->Insert(copy));
  auto other = Copy("carol@example.org", "", "", "r1");
  EXPECT_TRUE(store_->Insert(other));
  EXPECT_EQ(Count(), 2u);
}

TEST_F(MessageStoreTest, ReusedRawIdWithDifferentArchiveIdsIsAnotherMessage) {
  // Clients that number their stanzas per session reuse ids; the archive
  // ids tell the messages apart.
  auto first = Copy("bob@example.org", "sid1", "", "1");
  ASSERT_TRUE(store_->Insert(first));
  auto second = Copy("bob@example.org", "sid2", "", "1");
  EXPECT_TRUE(store_->Insert(second));
  auto second_again = Copy("bob@example.org", "sid2", "", "1");
  EXPECT_FALSE(store_->Insert(second_again));
  EXPECT_EQ(second_again.rowid, second.rowid);
  EXPECT_EQ(Count(), 2u);
}

TEST_F(MessageStoreTest, CopyWithoutArchiveIdMatchesByOriginId) {
  auto archived = Copy("bob@example.org", "sid1", "o1");
  ASSERT_TRUE(store_->Insert(archived));
  // A copy without our archive's stanza-id (e.g. a live delivery).
  auto live = Copy("bob@example.org", "", "o1", "r1");
  EXPECT_FALSE(store_->Insert(live));
  EXPECT_EQ(live.rowid, archived.rowid);
  EXPECT_EQ(Count(), 1u);
}

TEST_F(MessageStoreTest, OwnMessageEchoedWithSidFillsSid) {
  auto own = Msg("client-1", "alice@example.org");
  own.is_from_self = true;
  own.origin_id = "client-1";
  own.raw_id = "client-1";
  ASSERT_TRUE(store_->Insert(own));
  auto echo = Copy("alice@example.org", "sid9", "client-1", "client-1");
  EXPECT_FALSE(store_->Insert(echo));
  EXPECT_EQ(echo.rowid, own.rowid);
  auto stored = store_->FindByRowid(own.rowid);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->sid_own, "sid9");
  EXPECT_EQ(Count(), 1u);
}

TEST_F(MessageStoreTest, MsgIdCollisionOfDifferentMessageGetsDerivedId) {
  auto a = Msg("same", "bob@example.org");
  a.sid_own = "sid1";
  ASSERT_TRUE(store_->Insert(a));
  auto b = Msg("same", "bob@example.org");
  b.sid_own = "sid2";
  EXPECT_TRUE(store_->Insert(b));
  EXPECT_NE(b.msg_id, "same");
  EXPECT_EQ(b.msg_id.rfind("x-", 0), 0u);
  EXPECT_EQ(b.msg_id.size(), 34u);
  EXPECT_EQ(Count(), 2u);
  // The derived id is stable: the same message again is a duplicate.
  auto again = Msg("same", "bob@example.org");
  again.sid_own = "sid2";
  EXPECT_FALSE(store_->Insert(again));
  EXPECT_EQ(again.msg_id, b.msg_id);
}

TEST_F(MessageStoreTest, UpdateStatus) {
  auto m = Msg("a", "alice@example.org", 0);
  m.status = 1;
  ASSERT_TRUE(store_->Insert(m));
  store_->UpdateStatus(m.rowid, 2, 5000);
  auto stored = store_->FindByMsgId("a");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->status, 2);
  EXPECT_EQ(stored->server_time_ms, 5000);
  store_->UpdateStatus(m.rowid, 3, 0);  // keeps the time
  EXPECT_EQ(store_->FindByMsgId("a")->server_time_ms, 5000);
}

TEST_F(MessageStoreTest, ConversationUnreadAndLastMessage) {
  auto m1 = Msg("a", "bob@example.org", 2000);
  ASSERT_TRUE(store_->Insert(m1));
  auto [c1, created1] = store_->TouchConversation(m1, true);
  EXPECT_TRUE(created1);
  EXPECT_EQ(c1.unread, 1);
  EXPECT_EQ(c1.last_msg_rowid, m1.rowid);
  EXPECT_EQ(c1.active_time_ms, 2000);

  // An older message (e.g. from the archive) does not replace the last one.
  auto old = Msg("b", "bob@example.org", 1000);
  ASSERT_TRUE(store_->Insert(old));
  auto [c2, created2] = store_->TouchConversation(old, true);
  EXPECT_FALSE(created2);
  EXPECT_EQ(c2.unread, 2);
  EXPECT_EQ(c2.last_msg_rowid, m1.rowid);
  EXPECT_EQ(c2.active_time_ms, 2000);

  // Our own newer message replaces it without counting as unread.
  auto own = Msg("c", "alice@example.org", 3000);
  own.is_from_self = true;
  ASSERT_TRUE(store_->Insert(own));
  auto [c3, created3] = store_->TouchConversation(own, false);
  EXPECT_FALSE(created3);
  EXPECT_EQ(c3.unread, 2);
  EXPECT_EQ(c3.last_msg_rowid, own.rowid);

  auto stored = store_->FindConversation("bob@example.org", 1);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->unread, 2);
  EXPECT_EQ(stored->last_msg_rowid, own.rowid);
  EXPECT_EQ(stored->next_seq, kFirstSeq + 3);
}

TEST_F(MessageStoreTest, ListConversationsMostRecentFirst) {
  for (auto [peer, time] : {std::pair{"a@x", 3000}, {"b@x", 5000}, {"c@x", 1000}}) {
    auto m = Msg(std::string("m-") + peer, peer, time);
    m.conv_id = peer;
    ASSERT_TRUE(store_->Insert(m));
    store_->TouchConversation(m, true);
  }
  auto list = store_->ListConversations();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].conv_id, "b@x");
  EXPECT_EQ(list[1].conv_id, "a@x");
  EXPECT_EQ(list[2].conv_id, "c@x");
}

TEST_F(MessageStoreTest, WritesJoinTheBatch) {
  EXPECT_FALSE(db_->in_batch());
  auto m = Msg("a", "bob@example.org");
  ASSERT_TRUE(store_->Insert(m));
  EXPECT_TRUE(db_->in_batch());
  db_->Commit();
  EXPECT_FALSE(db_->in_batch());
  // A rolled back batch leaves nothing behind.
  auto n = Msg("b", "bob@example.org");
  ASSERT_TRUE(store_->Insert(n));
  db_->Rollback();
  EXPECT_FALSE(store_->FindByMsgId("b").has_value());
  EXPECT_TRUE(store_->FindByMsgId("a").has_value());
}

TEST_F(MessageStoreTest, MessagesWhoseIdKeysCollideAreKeptApart) {
  auto a = Msg("a", "bob@example.org");
  ASSERT_TRUE(store_->Insert(a));
  // Give "a" the key of "b", as a hash collision would.
  Statement forge(db_->handle(), "UPDATE messages SET msg_key = ? WHERE rowid = ?");
  forge.Bind(1, MsgKeyOf("b")).Bind(2, a.rowid).Run();
  store_.reset();  // a new store indexes the rows by their stored keys
  store_ = std::make_unique<MessageStore>(*db_);
  auto b = Msg("b", "bob@example.org");
  EXPECT_TRUE(store_->Insert(b));
  EXPECT_NE(b.rowid, a.rowid);
  EXPECT_EQ(b.msg_id, "b");
  auto found = store_->FindByMsgId("b");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->rowid, b.rowid);
  EXPECT_EQ(Count(), 2u);
}

TEST_F(MessageStoreTest, ConversationIsWrittenAtCommitAndRolledBackWithTheBatch) {
  auto m1 = Msg("a", "bob@example.org", 2000);
  ASSERT_TRUE(store_->Insert(m1));
  store_->TouchConversation(m1, true);
  db_->Commit();
  // Another connection sees the committed conversation.
  {
    auto other = Database::Open(dir_.File("state.db"));
    ASSERT_TRUE(other.ok()) << other.status().message();
    MessageStore reader(*other.value());
    auto c = reader.FindConversation("bob@example.org", 1);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->unread, 1);
    EXPECT_EQ(c->last_msg_rowid, m1.rowid);
    EXPECT_EQ(c->next_seq, kFirstSeq + 1);
  }
  // A rolled back message leaves the conversation as committed: the next
  // message gets the rolled back one's seq and counts from the stored unread.
  auto lost = Msg("b", "bob@example.org", 3000);
  ASSERT_TRUE(store_->Insert(lost));
  store_->TouchConversation(lost, true);
  db_->Rollback();
  auto m2 = Msg("c", "bob@example.org", 4000);
  ASSERT_TRUE(store_->Insert(m2));
  EXPECT_EQ(m2.conv_seq, kFirstSeq + 1);
  auto [c2, created] = store_->TouchConversation(m2, true);
  EXPECT_FALSE(created);
  EXPECT_EQ(c2.unread, 2);
  EXPECT_EQ(c2.last_msg_rowid, m2.rowid);
}

}  // namespace
}  // namespace timd::store
