#include "store/journal.h"

#include <gtest/gtest.h>

#include "unit/store/temp_dir.h"

namespace timd::store {
namespace {

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.File("state.db"));
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
    journal_ = std::make_unique<Journal>(*db_);
  }

  void AppendRange(uint64_t first, uint64_t last) {
    for (uint64_t seq = first; seq <= last; ++seq) {
      journal_->Append({seq, static_cast<int>(seq % 3) + 1, 1000 + static_cast<int64_t>(seq), "p" + std::to_string(seq)});
    }
    db_->Commit();
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Journal> journal_;
};

TEST_F(JournalTest, EmptyJournal) {
  EXPECT_EQ(journal_->LastSeq(), 0u);
  EXPECT_EQ(journal_->OldestSeq(), 0u);
  EXPECT_TRUE(journal_->ReadAfter(0, 10).empty());
}

TEST_F(JournalTest, AppendAndReadAfter) {
  AppendRange(1, 10);
  EXPECT_EQ(journal_->LastSeq(), 10u);
  EXPECT_EQ(journal_->OldestSeq(), 1u);
  auto rows = journal_->ReadAfter(3, 4);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].seq, 4u);
  EXPECT_EQ(rows[3].seq, 7u);
  EXPECT_EQ(rows[0].payload, "p4");
  EXPECT_EQ(rows[0].time_ms, 1004);
  EXPECT_EQ(rows[0].kind, 2);
  EXPECT_EQ(journal_->ReadAfter(9, 100).size(), 1u);
  EXPECT_TRUE(journal_->ReadAfter(10, 100).empty());
}

TEST_F(JournalTest, KindsFilter) {
  AppendRange(1, 9);  // kinds cycle 2, 3, 1
  auto ones = journal_->ReadAfter(0, 100, {1});
  ASSERT_EQ(ones.size(), 3u);
  for (const auto& row : ones) EXPECT_EQ(row.kind, 1);
  EXPECT_EQ(ones[0].seq, 3u);
  auto two_kinds = journal_->ReadAfter(0, 100, {1, 2});
  EXPECT_EQ(two_kinds.size(), 6u);
  auto limited = journal_->ReadAfter(0, 2, {3});
  ASSERT_EQ(limited.size(), 2u);
  EXPECT_EQ(limited[1].seq, 5u);
}

TEST_F(JournalTest, TrimKeepsNewest) {
  AppendRange(1, 100);
  EXPECT_EQ(journal_->Trim(30), 70u);
  db_->Commit();
  EXPECT_EQ(journal_->OldestSeq(), 71u);
  EXPECT_EQ(journal_->LastSeq(), 100u);
  EXPECT_EQ(journal_->ReadAfter(0, 1000).size(), 30u);
  EXPECT_EQ(journal_->Trim(30), 0u);
}

TEST_F(JournalTest, DuplicateSeqThrows) {
  AppendRange(1, 2);
  EXPECT_THROW(journal_->Append({2, 1, 0, "x"}), StoreError);
}

}  // namespace
}  // namespace timd::store
