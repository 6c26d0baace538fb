#include "store/msg_id_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "store/msg_key.h"
#include "unit/store/temp_dir.h"

namespace timd::store {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class MsgIdIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.File("state.db"));
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
  }

  // A row as MessageStore writes it, minus what the index does not read.
  int64_t InsertRow(const std::string& msg_id) {
    db_->Touch();
    Statement(db_->handle(),
              "INSERT INTO messages(msg_id, msg_key, conv_id, conv_type, sender, conv_seq) "
              "VALUES(?, ?, 'bob@example.org', 1, 'bob@example.org', 0)")
        .Bind(1, msg_id)
        .Bind(2, MsgKeyOf(msg_id))
        .Run();
    return sqlite3_last_insert_rowid(db_->handle());
  }

  int64_t Add(MsgIdIndex& index, const std::string& msg_id) {
    int64_t rowid = InsertRow(msg_id);
    index.Add(MsgKeyOf(msg_id), rowid);
    return rowid;
  }

  int64_t FlushedKeys() {
    Statement s(db_->handle(), "SELECT COUNT(*) FROM msg_keys");
    return s.Step() ? s.Int(0) : -1;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(MsgIdIndexTest, FullBufferGoesToTheTableAndReopenRebuildsTheRest) {
  std::vector<int64_t> rowids;
  {
    MsgIdIndex index(*db_, 3);
    for (const char* id : {"a", "b"}) rowids.push_back(Add(index, id));
    EXPECT_EQ(index.buffered(), 2u);
    EXPECT_EQ(FlushedKeys(), 0);
    rowids.push_back(Add(index, "c"));  // the third key flushes the buffer
    EXPECT_EQ(index.buffered(), 0u);
    EXPECT_EQ(FlushedKeys(), 3);
    for (const char* id : {"d", "e"}) rowids.push_back(Add(index, id));
    EXPECT_EQ(index.buffered(), 2u);
    EXPECT_THAT(index.Find(MsgKeyOf("b")), ElementsAre(rowids[1]));  // from the table
    EXPECT_THAT(index.Find(MsgKeyOf("e")), ElementsAre(rowids[4]));  // from the buffer
    EXPECT_THAT(index.Find(MsgKeyOf("z")), IsEmpty());
    db_->Commit();
  }
  MsgIdIndex reopened(*db_, 3);
  EXPECT_EQ(reopened.buffered(), 2u);  // d and e: above the watermark
  const char* ids[] = {"a", "b", "c", "d", "e"};
  for (size_t i = 0; i < 5; ++i) EXPECT_THAT(reopened.Find(MsgKeyOf(ids[i])), ElementsAre(rowids[i])) << ids[i];
}

TEST_F(MsgIdIndexTest, RolledBackBatchLeavesTheCommittedState) {
  MsgIdIndex index(*db_, 3);
  const int64_t a = Add(index, "a");
  const int64_t b = Add(index, "b");
  db_->Commit();
  Add(index, "c");  // flushes a, b and c into the table, inside the batch
  EXPECT_EQ(index.buffered(), 0u);
  db_->Rollback();
  EXPECT_THAT(index.Find(MsgKeyOf("c")), IsEmpty());
  EXPECT_THAT(index.Find(MsgKeyOf("a")), ElementsAre(a));
  EXPECT_THAT(index.Find(MsgKeyOf("b")), ElementsAre(b));
  EXPECT_EQ(index.buffered(), 2u);
  EXPECT_EQ(FlushedKeys(), 0);
  // The next row after the rollback joins the rebuilt buffer once.
  const int64_t d = Add(index, "d");
  EXPECT_EQ(index.buffered(), 0u);  // a, b, d: full again, flushed
  EXPECT_EQ(FlushedKeys(), 3);
  EXPECT_THAT(index.Find(MsgKeyOf("d")), ElementsAre(d));
}

TEST_F(MsgIdIndexTest, CollidingKeysReturnEveryRow) {
  MsgIdIndex index(*db_, 2);
  const int64_t a = InsertRow("a");
  const int64_t b = InsertRow("b");
  index.Add(42, a);
  index.Add(42, b);  // flushed: both in the table
  const int64_t c = InsertRow("c");
  index.Add(42, c);  // buffered
  auto found = index.Find(42);
  std::sort(found.begin(), found.end());
  EXPECT_THAT(found, ElementsAre(a, b, c));
}

// Keys flushed before the filter exists, then far more than it was sized
// for: every key must still be found (rebuilt filter, no false negatives),
// and after reopening too. Flushes of 1,000 keys take both the multi-row
// and the single-row insert.
TEST_F(MsgIdIndexTest, KeysOutgrowingTheFilterAreStillFound) {
  std::vector<std::pair<std::string, int64_t>> rows;
  {
    MsgIdIndex index(*db_, 1000);
    for (int i = 0; i < 3000; ++i) {
      const std::string id = "early-" + std::to_string(i);
      rows.emplace_back(id, Add(index, id));
    }
    EXPECT_THAT(index.Find(MsgKeyOf("early-7")), ElementsAre(rows[7].second));  // builds the filter
    for (int i = 0; i < 20000; ++i) {
      const std::string id = "late-" + std::to_string(i);
      rows.emplace_back(id, Add(index, id));
    }
    for (const auto& [id, rowid] : rows) ASSERT_THAT(index.Find(MsgKeyOf(id)), ElementsAre(rowid)) << id;
    EXPECT_THAT(index.Find(MsgKeyOf("never")), IsEmpty());
    db_->Commit();
  }
  EXPECT_EQ(FlushedKeys(), 23000);
  MsgIdIndex reopened(*db_, 1000);
  for (const auto& [id, rowid] : rows) ASSERT_THAT(reopened.Find(MsgKeyOf(id)), ElementsAre(rowid)) << id;
}

}  // namespace
}  // namespace timd::store
