// Database::ReclaimWalSpace on a real SQLite file: the WAL, which grows to
// 32 MiB before SQLite checkpoints it, goes back to zero bytes with every
// committed row kept; never inside a batch.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "store/database.h"
#include "unit/store/temp_dir.h"

namespace timd::store {
namespace {

int64_t FileBytes(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

int64_t Rows(Database& db) {
  Statement count(db.handle(), "SELECT count(*) FROM filler");
  return count.Step() ? count.Int(0) : -1;
}

TEST(WalReclaimTest, TruncatesTheWalAndKeepsEveryCommittedRow) {
  testing::TempDir dir;
  const std::string path = dir.File("state.db");
  auto opened = Database::Open(path);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  Database& db = *opened.value();
  db.Exec("CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)");
  const std::string blob(4096, 'x');
  for (int batch = 0; batch < 100; ++batch) {  // ~4 MiB in 100 commits
    db.Touch();
    Statement insert(db.handle(), "INSERT INTO filler (data) VALUES (?)");
    for (int i = 0; i < 10; ++i) insert.Reset().BindBlob(1, blob).Run();
    db.Commit();
  }
  const int64_t wal_before = FileBytes(path + "-wal");
  EXPECT_GT(wal_before, int64_t{4} << 20) << "no checkpoint below 32 MiB";

  db.Touch();
  EXPECT_FALSE(db.ReclaimWalSpace()) << "not inside a batch";
  db.Commit();
  EXPECT_EQ(FileBytes(path + "-wal"), wal_before);

  EXPECT_TRUE(db.ReclaimWalSpace());
  EXPECT_EQ(FileBytes(path + "-wal"), 0);
  EXPECT_EQ(Rows(db), 1000);
  opened.value().reset();
  auto reopened = Database::Open(path);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(Rows(*reopened.value()), 1000);
}

}  // namespace
}  // namespace timd::store
