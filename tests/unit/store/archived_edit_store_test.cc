// Archived edits waiting for their message: kept per login and
// conversation in the order added, every field surviving a reopen of the
// SQLite file, removed one by one or a whole conversation at once, and
// gone with a rolled-back batch.
#include "store/archived_edit_store.h"

#include <gtest/gtest.h>

#include "unit/store/temp_dir.h"

namespace timd::store {
namespace {

constexpr char kOwner[] = "bob@example.org";
constexpr char kAlice[] = "alice@example.org";
constexpr char kCarol[] = "carol@example.org";

class ArchivedEditStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void Open() {
    edits_.reset();
    db_.reset();
    auto db = Database::Open(dir_.File("state.db"));
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
    edits_ = std::make_unique<ArchivedEditStore>(*db_);
  }

  static ArchivedEdit Retraction(const std::string& target) {
    ArchivedEdit e;
    e.target_id = target;
    e.sender = kAlice;
    e.sender_full = std::string(kAlice) + "/phone";
    e.to = kOwner;
    e.edit_id = "r-" + target;
    e.stanza_id = "archive-" + target;
    e.delay_ms = 1700000000000;
    e.legacy = true;
    return e;
  }

  std::vector<std::string> Targets(const std::string& owner, const std::string& conv) {
    std::vector<std::string> out;
    for (const auto& e : edits_->List(owner, conv, 1)) out.push_back(e.target_id);
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<ArchivedEditStore> edits_;
};

TEST_F(ArchivedEditStoreTest, EveryFieldSurvivesAReopen) {
  ArchivedEdit correction;
  correction.is_correction = true;
  correction.target_id = "m4";
  correction.sender = kOwner;
  correction.sender_full = std::string(kOwner) + "/laptop";
  correction.to = kAlice;
  correction.edit_id = "c-m4";
  correction.stanza_id = "archive-c";
  correction.delay_ms = 1700000001000;
  correction.is_own = true;
  correction.origin_id = "origin-c";
  correction.body = "m4 edited";
  correction.payload = std::string("bin\0ary", 7);
  const int64_t first = edits_->Add(kOwner, kAlice, 1, Retraction("m2"));
  const int64_t second = edits_->Add(kOwner, kAlice, 1, correction);
  EXPECT_LT(first, second);
  db_->Commit();
  Open();

  auto listed = edits_->List(kOwner, kAlice, 1);
  ASSERT_EQ(listed.size(), 2u);
  const ArchivedEdit& r = listed[0];
  EXPECT_EQ(r.id, first);
  EXPECT_FALSE(r.is_correction);
  EXPECT_EQ(r.target_id, "m2");
  EXPECT_EQ(r.sender, kAlice);
  EXPECT_EQ(r.sender_full, std::string(kAlice) + "/phone");
  EXPECT_EQ(r.to, kOwner);
  EXPECT_EQ(r.edit_id, "r-m2");
  EXPECT_EQ(r.stanza_id, "archive-m2");
  EXPECT_EQ(r.delay_ms, 1700000000000);
  EXPECT_TRUE(r.legacy);
  EXPECT_FALSE(r.is_own);
  const ArchivedEdit& c = listed[1];
  EXPECT_EQ(c.id, second);
  EXPECT_TRUE(c.is_correction);
  EXPECT_TRUE(c.is_own);
  EXPECT_FALSE(c.legacy);
  EXPECT_EQ(c.sender_full, std::string(kOwner) + "/laptop");
  EXPECT_EQ(c.origin_id, "origin-c");
  EXPECT_EQ(c.body, "m4 edited");
  EXPECT_EQ(c.payload, std::string("bin\0ary", 7));
}

TEST_F(ArchivedEditStoreTest, KeptPerOwnerAndConversationRemovedOneByOneOrAllAtOnce) {
  const int64_t m1 = edits_->Add(kOwner, kAlice, 1, Retraction("m1"));
  edits_->Add(kOwner, kAlice, 1, Retraction("m2"));
  edits_->Add(kOwner, kAlice, 1, Retraction("m3"));
  edits_->Add(kOwner, kCarol, 1, Retraction("c1"));
  edits_->Add("dave@example.org", kAlice, 1, Retraction("d1"));
  edits_->Add(kOwner, kAlice, 2, Retraction("g1"));  // another conversation type
  EXPECT_EQ(Targets(kOwner, kAlice), (std::vector<std::string>{"m1", "m2", "m3"}));
  EXPECT_EQ(Targets(kOwner, kCarol), (std::vector<std::string>{"c1"}));
  EXPECT_EQ(Targets("dave@example.org", kAlice), (std::vector<std::string>{"d1"}));

  edits_->Remove(m1);
  EXPECT_EQ(Targets(kOwner, kAlice), (std::vector<std::string>{"m2", "m3"}));
  edits_->Forget(kAlice, 1);  // every owner's, this conversation only
  EXPECT_TRUE(Targets(kOwner, kAlice).empty());
  EXPECT_TRUE(Targets("dave@example.org", kAlice).empty());
  EXPECT_EQ(Targets(kOwner, kCarol), (std::vector<std::string>{"c1"}));
  EXPECT_EQ(edits_->List(kOwner, kAlice, 2).size(), 1u);
}

TEST_F(ArchivedEditStoreTest, ARolledBackBatchKeepsNothing) {
  edits_->Add(kOwner, kAlice, 1, Retraction("m1"));
  db_->Commit();
  edits_->Add(kOwner, kAlice, 1, Retraction("m2"));
  edits_->Forget(kCarol, 1);
  db_->Rollback();
  Open();
  EXPECT_EQ(Targets(kOwner, kAlice), (std::vector<std::string>{"m1"}));
}

}  // namespace
}  // namespace timd::store
