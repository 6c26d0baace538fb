// HistoryEdits on a real SQLite store: which of the archived edits a
// history fetch found change a row it stored (the newest correction, then
// the retraction, only the sender's), and which keep waiting, in the store
// from one fetch (and one process) to the next.
#include "domain/history_edits.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tim/v1/common.pb.h"
#include "unit/store/temp_dir.h"

namespace timd::domain {
namespace {

constexpr const char* kOwn = "bob@localhost";
constexpr const char* kAlice = "alice@localhost";

xmpp::MessageOrigin OriginFrom(const std::string& from_bare, const std::string& to) {
  xmpp::MessageOrigin origin;
  origin.from = from_bare + "/phone";
  origin.from_bare = from_bare;
  origin.to = to;
  origin.source = xmpp::MessageSource::kArchive;
  origin.is_own = from_bare == kOwn;
  return origin;
}

xmpp::Correction AliceCorrects(const std::string& raw_id, const std::string& body) {
  xmpp::Correction correction;
  correction.origin = OriginFrom(kAlice, kOwn);
  correction.replaced_id = raw_id;
  correction.body = body;
  return correction;
}

xmpp::Retraction Retracts(const std::string& from_bare, const std::string& to, const std::string& raw_id) {
  return xmpp::Retraction{OriginFrom(from_bare, to), raw_id, false};
}

class HistoryEditsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::Open(dir_.File("state.db"));
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
    store_ = std::make_unique<store::MessageStore>(*db_);
  }

  // alice's message `raw_id` to us, as a history fetch stores it.
  store::MessageRecord StoreFromAlice(const std::string& raw_id) {
    store::MessageRecord r;
    r.msg_id = r.origin_id = r.raw_id = raw_id;
    r.conv_id = r.sender = kAlice;
    r.conv_type = tim::v1::CONV_C2C;
    r.body = raw_id;
    r.status = tim::v1::MSG_SEND_SUCC;
    r.is_read = true;
    EXPECT_TRUE(store_->InsertOlder(r));
    return r;
  }

  store::MessageRecord Stored(const store::MessageRecord& r) { return store_->FindByRowid(r.rowid).value(); }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::MessageStore> store_;
  HistoryEdits edits_;
};

TEST_F(HistoryEditsTest, NewestCorrectionWinsAcrossAndWithinPages) {
  edits_.BeginPage();  // newest page, oldest first
  edits_.Add(AliceCorrects("m1", "second"));
  edits_.Add(AliceCorrects("m1", "third"));
  edits_.BeginPage();  // an older page
  edits_.Add(AliceCorrects("m1", "first"));
  EXPECT_EQ(edits_.waiting(), 1u);
  store::MessageRecord m1 = StoreFromAlice("m1");
  EXPECT_EQ(edits_.ApplyTo(*store_, kOwn, m1), 1);
  EXPECT_EQ(Stored(m1).body, "third");
  EXPECT_EQ(m1.body, "third");
  EXPECT_EQ(edits_.waiting(), 0u);
}

TEST_F(HistoryEditsTest, CorrectionThenRetractionOfTheSameMessage) {
  edits_.BeginPage();
  edits_.Add(AliceCorrects("m1", "fixed"));
  edits_.Add(Retracts(kAlice, kOwn, "m1"));
  store::MessageRecord m1 = StoreFromAlice("m1");
  EXPECT_EQ(edits_.ApplyTo(*store_, kOwn, m1), 2);
  EXPECT_EQ(Stored(m1).status, tim::v1::MSG_REVOKED);
  EXPECT_EQ(Stored(m1).body, "fixed");
}

TEST_F(HistoryEditsTest, OthersEditsAndEditsOfOtherMessagesKeepWaiting) {
  edits_.BeginPage();
  edits_.Add(Retracts(kOwn, kAlice, "m1"));  // we may not retract alice's message
  edits_.Add(Retracts(kAlice, kOwn, "m9"));  // not fetched yet
  store::MessageRecord m1 = StoreFromAlice("m1");
  EXPECT_EQ(edits_.ApplyTo(*store_, kOwn, m1), 0);
  EXPECT_EQ(Stored(m1).status, tim::v1::MSG_SEND_SUCC);
  EXPECT_EQ(edits_.waiting(), 2u);
  store::MessageRecord m9 = StoreFromAlice("m9");
  EXPECT_EQ(edits_.ApplyTo(*store_, kOwn, m9), 1);
  EXPECT_EQ(Stored(m9).status, tim::v1::MSG_REVOKED);
  EXPECT_EQ(edits_.waiting(), 1u);
}

// What one fetch saved, the next one (here after a reopen of the file)
// loads: it applies as if found on an earlier page (newer than the new
// fetch's own), and is removed from the store once applied.
TEST_F(HistoryEditsTest, WaitingEditsSurviveInTheStoreUntilApplied) {
  edits_.BeginPage();
  xmpp::Correction newest = AliceCorrects("m1", "newest");
  newest.origin_id = "origin-c";
  edits_.Add(newest);
  edits_.Add(Retracts(kAlice, kOwn, "m2"));
  edits_.Add(Retracts(kOwn, kAlice, "m3"));  // never applies: not ours to retract
  {
    store::ArchivedEditStore stored(*db_);
    edits_.Save(stored, kOwn, kAlice, tim::v1::CONV_C2C);
    EXPECT_EQ(stored.List(kOwn, kAlice, tim::v1::CONV_C2C).size(), 3u);
  }
  db_->Commit();
  store_.reset();
  db_.reset();
  SetUp();

  store::ArchivedEditStore stored(*db_);
  HistoryEdits next;
  next.Load(stored.List(kOwn, kAlice, tim::v1::CONV_C2C));
  EXPECT_EQ(next.waiting(), 3u);
  next.BeginPage();
  next.Add(AliceCorrects("m1", "older"));  // an older page than the saved one
  store::MessageRecord m1 = StoreFromAlice("m1");
  EXPECT_EQ(next.ApplyTo(*store_, kOwn, m1), 1);
  EXPECT_EQ(Stored(m1).body, "newest");
  store::MessageRecord m2 = StoreFromAlice("m2");
  EXPECT_EQ(next.ApplyTo(*store_, kOwn, m2), 1);
  EXPECT_EQ(Stored(m2).status, tim::v1::MSG_REVOKED);
  store::MessageRecord m3 = StoreFromAlice("m3");
  EXPECT_EQ(next.ApplyTo(*store_, kOwn, m3), 0);
  next.Save(stored, kOwn, kAlice, tim::v1::CONV_C2C);
  const auto left = stored.List(kOwn, kAlice, tim::v1::CONV_C2C);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].target_id, "m3");
  EXPECT_EQ(left[0].sender, kOwn);

  next.Forget(stored, kAlice, tim::v1::CONV_C2C);
  EXPECT_EQ(next.waiting(), 0u);
  EXPECT_TRUE(stored.List(kOwn, kAlice, tim::v1::CONV_C2C).empty());
}

// The bound counts the loaded edits too; one found later is dropped.
TEST_F(HistoryEditsTest, AtMostKMaxWaitingPerConversation) {
  edits_.BeginPage();
  for (size_t i = 0; i < HistoryEdits::kMaxWaiting; ++i) edits_.Add(Retracts(kAlice, kOwn, "r" + std::to_string(i)));
  store::ArchivedEditStore stored(*db_);
  edits_.Save(stored, kOwn, kAlice, tim::v1::CONV_C2C);
  HistoryEdits next;
  next.Load(stored.List(kOwn, kAlice, tim::v1::CONV_C2C));
  next.BeginPage();
  next.Add(Retracts(kAlice, kOwn, "one-too-many"));
  next.Save(stored, kOwn, kAlice, tim::v1::CONV_C2C);
  EXPECT_EQ(next.waiting(), HistoryEdits::kMaxWaiting);
  EXPECT_EQ(stored.List(kOwn, kAlice, tim::v1::CONV_C2C).size(), HistoryEdits::kMaxWaiting);
}

}  // namespace
}  // namespace timd::domain
