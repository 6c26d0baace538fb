#include <gtest/gtest.h>
#include <sys/stat.h>

#include "store/database.h"
#include "store/message_store.h"
#include "unit/store/temp_dir.h"

namespace timd::store {
namespace {

MessageRecord Msg(const std::string& msg_id) {
  MessageRecord m;
  m.msg_id = msg_id;
  m.conv_id = m.sender = "bob@x";
  m.body = "hi";
  return m;
}

int64_t PragmaOf(Database& db, const std::string& pragma) {
  Statement s(db.handle(), "PRAGMA " + pragma);
  return s.Step() ? s.Int(0) : -1;
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

TEST(MigrationsTest, FreshDatabaseIsAtLatestVersion) {
  testing::TempDir dir;
  auto db = Database::Open(dir.File("state.db"));
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_GE(Database::LatestSchemaVersion(), 1);
  EXPECT_EQ(db.value()->schema_version(), Database::LatestSchemaVersion());
  // New files get 8 KiB pages; the WAL is checkpointed at 32 MiB.
  EXPECT_EQ(PragmaOf(*db.value(), "page_size"), 8192);
  EXPECT_EQ(PragmaOf(*db.value(), "wal_autocheckpoint"), 4096);
  // Commits survive power loss: WAL with synchronous=FULL (2).
  EXPECT_EQ(PragmaOf(*db.value(), "synchronous"), 2);
}

TEST(MigrationsTest, ReopenKeepsData) {
  testing::TempDir dir;
  const std::string path = dir.File("state.db");
  {
    auto db = Database::Open(path);
    ASSERT_TRUE(db.ok()) << db.status().message();
    MessageStore store(*db.value());
    auto m = Msg("m1");
    ASSERT_TRUE(store.Insert(m));
    db.value()->Commit();
  }
  auto db = Database::Open(path);
  ASSERT_TRUE(db.ok()) << db.status().message();
  MessageStore store(*db.value());
  auto m = store.FindByMsgId("m1");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->body, "hi");
}

// Schema v2 as released (frozen), with one received message stored the way
// timd 0.x stored it: msg_id = origin-id.
void WriteV2Database(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const char* v2 = R"sql(
CREATE TABLE messages (
  rowid INTEGER PRIMARY KEY, msg_id TEXT NOT NULL UNIQUE, conv_id TEXT NOT NULL, conv_type INTEGER NOT NULL,
  sender TEXT NOT NULL, is_from_self INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL DEFAULT '', elems BLOB,
  server_time_ms INTEGER NOT NULL DEFAULT 0, client_time_ms INTEGER NOT NULL DEFAULT 0,
  status INTEGER NOT NULL DEFAULT 0, is_read INTEGER NOT NULL DEFAULT 0, sid_own TEXT NOT NULL DEFAULT '',
  origin_id TEXT NOT NULL DEFAULT '', raw_id TEXT NOT NULL DEFAULT '', conv_seq INTEGER NOT NULL);
CREATE UNIQUE INDEX messages_sid_own ON messages(sid_own) WHERE sid_own <> '';
CREATE UNIQUE INDEX messages_origin_id ON messages(sender, origin_id) WHERE origin_id <> '';
CREATE UNIQUE INDEX messages_raw_id ON messages(sender, raw_id) WHERE raw_id <> '' AND origin_id = '' AND sid_own = '';
CREATE INDEX messages_conv_seq ON messages(conv_type, conv_id, conv_seq);
CREATE TABLE conversations (conv_id TEXT NOT NULL, conv_type INTEGER NOT NULL,
  last_msg_rowid INTEGER NOT NULL DEFAULT 0, unread INTEGER NOT NULL DEFAULT 0,
  active_time_ms INTEGER NOT NULL DEFAULT 0, next_seq INTEGER NOT NULL, PRIMARY KEY (conv_type, conv_id)) WITHOUT ROWID;
CREATE TABLE journal (seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL, time_ms INTEGER NOT NULL, payload BLOB NOT NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX messages_status ON messages(status) WHERE status = 1;
INSERT INTO messages(msg_id, conv_id, conv_type, sender, body, sid_own, origin_id, raw_id, conv_seq)
  VALUES('o1', 'bob@x', 1, 'bob@x', 'old', 'sid1', 'o1', 'r1', 4294967296);
INSERT INTO conversations(conv_id, conv_type, last_msg_rowid, next_seq) VALUES('bob@x', 1, 1, 4294967297);
PRAGMA user_version = 2;
)sql";
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, v2, nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

TEST(MigrationsTest, UpgradeFromV2KeepsMessagesAndRecognisesTheirCopies) {
  testing::TempDir dir;
  const std::string path = dir.File("state.db");
  WriteV2Database(path);
  auto db = Database::Open(path);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ(db.value()->schema_version(), Database::LatestSchemaVersion());
  // An existing file keeps its page size; the checkpoint is still at 32 MiB.
  EXPECT_EQ(PragmaOf(*db.value(), "page_size"), 4096);
  EXPECT_EQ(PragmaOf(*db.value(), "wal_autocheckpoint"), 8192);
  MessageStore store(*db.value());
  auto old = store.FindByMsgId("o1");
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->body, "old");
  // A copy from the archive, as the domain proposes it.
  MessageRecord copy = Msg("");
  copy.sid_own = "sid1";
  copy.origin_id = "o1";
  copy.raw_id = "r1";
  copy.msg_id = NaturalMsgId(copy);
  EXPECT_FALSE(store.Insert(copy));
  EXPECT_EQ(copy.rowid, old->rowid);
  // The next message continues the conversation's sequence.
  MessageRecord next = Msg("o2");
  ASSERT_TRUE(store.Insert(next));
  EXPECT_EQ(next.conv_seq, old->conv_seq + 1);
}

TEST(MigrationsTest, UncommittedBatchIsCommittedOnClose) {
  testing::TempDir dir;
  const std::string path = dir.File("state.db");
  {
    auto db = Database::Open(path);
    ASSERT_TRUE(db.ok());
    MessageStore store(*db.value());
    auto m = Msg("m1");
    ASSERT_TRUE(store.Insert(m));
    EXPECT_TRUE(db.value()->in_batch());
  }
  auto db = Database::Open(path);
  ASSERT_TRUE(db.ok());
  EXPECT_TRUE(MessageStore(*db.value()).FindByMsgId("m1").has_value());
}

TEST(MigrationsTest, FutureVersionIsRejected) {
  testing::TempDir dir;
  const std::string path = dir.File("state.db");
  {
    auto db = Database::Open(path);
    ASSERT_TRUE(db.ok());
    db.value()->Exec("PRAGMA user_version = " + std::to_string(Database::LatestSchemaVersion() + 1));
  }
  auto db = Database::Open(path);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().tim_code(), tim_err::kDatabaseFailure);
  EXPECT_NE(db.status().message().find("newer"), std::string::npos) << db.status().message();
}

TEST(MigrationsTest, FilesAreOwnerOnly) {
  testing::TempDir dir;
  const std::string path = dir.File("state.db");
  const mode_t old_umask = ::umask(0);  // the worst case: nothing masked
  auto db = Database::Open(path);
  ::umask(old_umask);
  ASSERT_TRUE(db.ok());
  MessageStore store(*db.value());
  auto m = Msg("m1");
  store.Insert(m);
  db.value()->Commit();
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(ModeOf(path + "-wal"), 0600u);
  EXPECT_EQ(ModeOf(path + "-shm"), 0600u);
}

TEST(MigrationsTest, ExistingLooseFileIsTightened) {
  testing::TempDir dir;
  const std::string path = dir.File("state.db");
  { auto db = Database::Open(path); }
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto db = Database::Open(path);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(ModeOf(path), 0600u);
}

TEST(MigrationsTest, UnopenablePathIsAnError) {
  auto db = Database::Open("/nonexistent-dir-timd/state.db");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().tim_code(), tim_err::kDatabaseFailure);
}

}  // namespace
}  // namespace timd::store
