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
