#include "store/search_store.h"

#include <gtest/gtest.h>

#include "store/history_store.h"
#include "unit/store/store_fixture.h"

namespace timd::store {
namespace {

using Ids = std::vector<std::string>;

class SearchStoreTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    search_ = std::make_unique<SearchStore>(*db_);
  }

  MessageRecord Add(const std::string& id, const std::string& conv, const std::string& body, int64_t time_ms) {
    MessageRecord m;
    m.msg_id = id;
    m.conv_id = conv;
    m.sender = conv;
    m.body = body;
    m.server_time_ms = time_ms;
    m.status = 2;
    EXPECT_TRUE(store_->Insert(m));
    return m;
  }

  Ids Find(std::vector<std::string> keywords, bool all = false, const std::string& conv = "bob@x") {
    SearchQuery query;
    query.keywords = std::move(keywords);
    query.match_all = all;
    query.conv_id = conv;
    query.conv_type = 1;
    int64_t total = 0;
    Ids ids;
    for (const auto& m : search_->SearchConversation(query, &total).messages) ids.push_back(m.msg_id);
    EXPECT_EQ(total, static_cast<int64_t>(ids.size()));
    return ids;
  }

  std::unique_ptr<SearchStore> search_;
};

TEST_F(SearchStoreTest, KeywordsMatchSubstringsAnyOrAllNewestFirst) {
  Add("a", "bob@x", "Lunch at noon?", 1000);
  Add("b", "bob@x", "lunch moved to the canteen", 2000);
  Add("c", "bob@x", "你好世界", 3000);
  Add("d", "carol@x", "lunch too", 4000);
  EXPECT_EQ(Find({"LUNCH"}), (Ids{"b", "a"}));          // case-insensitive, one conversation
  EXPECT_EQ(Find({"unc", "noon"}, true), (Ids{"a"}));   // AND
  EXPECT_EQ(Find({"canteen", "noon"}), (Ids{"b", "a"}));  // OR
  EXPECT_EQ(Find({"世界"}), (Ids{"c"}));                  // shorter than a trigram: scanned
  EXPECT_EQ(Find({"好世界"}), (Ids{"c"}));
  EXPECT_EQ(Find({"dinner"}), Ids{});
}

TEST_F(SearchStoreTest, IndexFollowsCorrectionsDeletionsAndRevokes) {
  auto a = Add("a", "bob@x", "first draft", 1000);
  auto b = Add("b", "bob@x", "keep this draft", 2000);
  auto c = Add("c", "bob@x", "revoked draft", 3000);
  store_->UpdateContent(a.rowid, "final version", "");
  HistoryStore(*store_).MarkDeleted(b.rowid);
  store_->UpdateStatus(c.rowid, 6, 0);
  db_->Commit();
  EXPECT_EQ(Find({"draft"}), Ids{});
  EXPECT_EQ(Find({"final"}), (Ids{"a"}));
}

TEST_F(SearchStoreTest, EveryConversationGroupsAndPages) {
  Add("a1", "alice@x", "report one", 1000);
  Add("a2", "alice@x", "report two", 5000);
  Add("b1", "bob@x", "report three", 3000);
  SearchQuery query;
  query.keywords = {"report"};
  int64_t total = 0;
  auto all = search_->SearchAll(query, &total);
  EXPECT_EQ(total, 2);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].conv_id, "alice@x");  // most recent match first
  EXPECT_EQ(all[0].count, 2);
  EXPECT_TRUE(all[0].messages.empty());  // more than one match: counted only
  EXPECT_EQ(all[1].count, 1);
  ASSERT_EQ(all[1].messages.size(), 1u);
  EXPECT_EQ(all[1].messages[0].msg_id, "b1");
  query.limit = 1;
  query.offset = 1;
  auto second = search_->SearchAll(query, &total);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].conv_id, "bob@x");
  query.from_ms = 4000;  // time range
  EXPECT_EQ(search_->SearchAll(query, &total).size(), 0u);  // page 2 of one conversation
  EXPECT_EQ(total, 1);
}

}  // namespace
}  // namespace timd::store
