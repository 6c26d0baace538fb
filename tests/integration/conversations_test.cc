// Conversation calls end to end on a real Prosody with two timd daemons:
// delete (a deleted conversation stays deleted through an archive catch-up
// and comes back only with a newer message), lookups, drafts, pins, marks,
// custom data and the filtered list, their ConvEvents as a Subscribe client
// sees them, and the error codes for unknown and malformed IDs.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support/event_reader.h"
#include "support/message_sets.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/timd_process.h"
#include "tim/v1/conversation_edits.pb.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;
using Stub = tim::v1::Conversations::Stub;

template <typename Request, typename Response>
grpc::Status Call(const TimdProcess& timd, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                  const Request& request, Response* response) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 20s);
  auto stubs = timd.Stubs();
  return ((*stubs->conversations).*method)(&ctx, request, response);
}

int TimCode(const grpc::Status& status) {
  tim::v1::ErrorDetail detail;
  return detail.ParseFromString(status.error_details()) ? detail.tim_code() : -1;
}

std::vector<std::string> ListedIds(const TimdProcess& timd) {
  tim::v1::ListConversationsResponse response;
  EXPECT_TRUE(Call(timd, &Stub::ListConversations, {}, &response).ok());
  std::vector<std::string> ids;
  for (const auto& c : response.conversations()) ids.push_back(c.conv_id());
  return ids;
}

bool WaitListed(const TimdProcess& timd, const std::vector<std::string>& ids) {
  for (auto deadline = std::chrono::steady_clock::now() + 20s; std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(50ms)) {
    if (ListedIds(timd) == ids) return true;
  }
  return false;
}

grpc::Status Delete(const TimdProcess& timd, const std::string& peer, tim::v1::ConvType type = tim::v1::CONV_C2C) {
  tim::v1::DeleteConversationRequest request;
  request.set_conv_id(peer);
  request.set_conv_type(type);
  tim::v1::DeleteConversationResponse response;
  return Call(timd, &Stub::DeleteConversation, request, &response);
}

tim::v1::Conversation Info(const TimdProcess& timd, const std::string& peer) {
  tim::v1::GetConversationsRequest request;
  auto* key = request.add_keys();
  key->set_conv_id(peer);
  key->set_conv_type(tim::v1::CONV_C2C);
  tim::v1::GetConversationsResponse response;
  auto status = Call(timd, &Stub::GetConversations, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.conversations_size(), 1) << response.DebugString();
  return response.conversations_size() == 1 ? response.conversations(0) : tim::v1::Conversation();
}

// A ConvEvent of `type` that carries exactly `ids`, in any order.
EventReader::Predicate ConvEventWith(tim::v1::ConvEventType type, std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  return [type, ids](const tim::v1::Event& e) {
    if (!e.has_conv_event() || e.conv_event().type() != type) return false;
    std::vector<std::string> carried;
    for (const auto& c : e.conv_event().conversations()) carried.push_back(c.conv_id());
    std::sort(carried.begin(), carried.end());
    return carried == ids;
  };
}

class ConversationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prosody_.Start();
    for (const char* user : {"alice", "bob", "carol"}) prosody_.AddUser(user, std::string(user) + "-pw");
    alice_.UseProsody(prosody_);
    alice_.LoginAs("alice", "alice-pw");
    alice_.Start();
    ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  }

  void StartBob() {
    bob_.UseProsody(prosody_);
    bob_.LoginAs("bob", "bob-pw");
    bob_.Start();
    ASSERT_TRUE(bob_.WaitLoggedIn()) << bob_.log();
  }

  // Makes alice's archive cursor unknown to the server, so that her next
  // login catches up by time from before her newest stored message (here:
  // from the archive's beginning), fetching what she deleted again.
  void ExpireAliceArchiveCursor() {
    alice_.Stop();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((alice_.state_dir() + "/timd.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE settings SET value = 'expired-archive-id' WHERE key LIKE 'mam_cursor:%'",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    EXPECT_EQ(sqlite3_changes(db), 1);
    sqlite3_close(db);
  }

  ProsodyServer prosody_;
  TimdProcess alice_;
  TimdProcess bob_;
};

TEST_F(ConversationsTest, DeletedConversationStaysDeletedThroughArchiveCatchUpUntilANewerMessage) {
  StartBob();
  for (const char* text : {"old-1", "old-2"}) ASSERT_TRUE(SendKeyedText(*bob_.Stubs(), "alice", text).ok());
  for (auto deadline = std::chrono::steady_clock::now() + 20s;
       History(alice_, "bob").size() < 2 && std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(50ms)) {
  }
  ASSERT_EQ(History(alice_, "bob").size(), 2u) << alice_.log();
  ASSERT_EQ(ListedIds(alice_), std::vector<std::string>{"bob"});
  EventReader events(alice_.Channel(), FromStart());

  auto deleted = Delete(alice_, "bob");
  ASSERT_TRUE(deleted.ok()) << deleted.error_message();
  EXPECT_TRUE(events.WaitFor(ConvEventWith(tim::v1::CONV_EVENT_DEL, {"bob"})));
  EXPECT_EQ(ListedIds(alice_), std::vector<std::string>{});
  EXPECT_TRUE(History(alice_, "bob").empty());
  events.Cancel();
  tim::v1::SubscribeRequest after_delete;  // what the restart below adds to the journal
  after_delete.set_since_seq(events.Events().back().seq());

  // Unknown, malformed and group IDs: the reference's codes, nothing lost.
  auto again = Delete(alice_, "bob");
  EXPECT_EQ(again.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(TimCode(again), 6004);
  EXPECT_EQ(TimCode(Delete(alice_, "carol")), 6004);
  auto malformed = Delete(alice_, "a/b@");
  EXPECT_EQ(malformed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(TimCode(malformed), 7003);
  EXPECT_EQ(TimCode(Delete(alice_, "room", tim::v1::CONV_GROUP)), 7013);

  // The archive still holds old-1 and old-2; a catch-up from its beginning
  // fetches them again, and they must not bring the conversation back.
  ExpireAliceArchiveCursor();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  EventReader after_restart(alice_.Channel(), after_delete);
  // Start and Finish around the catch-up (mapping 6), which fetched both again.
  EXPECT_TRUE(after_restart.WaitFor(
      [](const tim::v1::Event& e) { return e.has_conv_event() && e.conv_event().type() == tim::v1::CONV_EVENT_START; }));
  EXPECT_TRUE(after_restart.WaitFor(
      [](const tim::v1::Event& e) { return e.has_conv_event() && e.conv_event().type() == tim::v1::CONV_EVENT_FINISH; }))
      << alice_.log();
  EXPECT_TRUE(after_restart.WaitFor([](const tim::v1::Event& e) {
    return e.has_network_status() && e.network_status().desc().find("caught up") != std::string::npos;
  })) << alice_.log();
  // Both fetched again (the catch-up counts them), both dropped: their deleted rows keep them out.
  const std::string log = alice_.log();
  const size_t caught_up = log.find("caught up ");
  ASSERT_NE(caught_up, std::string::npos) << log;
  EXPECT_GE(std::stoi(log.substr(caught_up + std::string("caught up ").size())), 2) << log;
  EXPECT_EQ(ListedIds(alice_), std::vector<std::string>{});
  EXPECT_TRUE(History(alice_, "bob").empty());

  // A message newer than the delete brings it back, with only itself.
  ASSERT_TRUE(SendKeyedText(*bob_.Stubs(), "alice", "new-1").ok());
  EXPECT_TRUE(after_restart.WaitFor(ConvEventWith(tim::v1::CONV_EVENT_ADD, {"bob"}))) << alice_.log();
  ASSERT_TRUE(WaitListed(alice_, {"bob"})) << alice_.log();
  auto history = History(alice_, "bob");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(TextOf(history[0]), "new-1");
  EXPECT_EQ(Info(alice_, "bob").unread_num(), 1u);
}

TEST_F(ConversationsTest, LookupsDraftPinMarksCustomDataFilterAndDeleteList) {
  // alice writes to carol, then bob: bob is the most recent.
  ASSERT_TRUE(SendKeyedText(*alice_.Stubs(), "carol", "to carol").ok());
  std::this_thread::sleep_for(1100ms);  // active times are in seconds
  ASSERT_TRUE(SendKeyedText(*alice_.Stubs(), "bob", "to bob").ok());
  ASSERT_TRUE(WaitListed(alice_, {"bob", "carol"})) << alice_.log();
  EventReader events(alice_.Channel(), FromStart());

  // GetConversations: known ones in request order, unknown ones left out.
  tim::v1::GetConversationsRequest get;
  for (const char* peer : {"carol", "nobody", "bob"}) {
    auto* key = get.add_keys();
    key->set_conv_id(peer);
    key->set_conv_type(tim::v1::CONV_C2C);
  }
  tim::v1::GetConversationsResponse got;
  ASSERT_TRUE(Call(alice_, &Stub::GetConversations, get, &got).ok());
  ASSERT_EQ(got.conversations_size(), 2);
  EXPECT_EQ(got.conversations(0).conv_id(), "carol");
  EXPECT_EQ(got.conversations(1).conv_id(), "bob");
  EXPECT_EQ(TextOf(got.conversations(1).last_msg()), "to bob");
  get.mutable_keys(1)->set_conv_id("bad/id@");
  EXPECT_EQ(TimCode(Call(alice_, &Stub::GetConversations, get, &got)), 7003);

  // Draft: set, seen in an UPDATE and the lookup, then cancelled.
  tim::v1::SetDraftRequest draft;
  draft.set_conv_id("bob");
  draft.set_conv_type(tim::v1::CONV_C2C);
  auto* elem = draft.mutable_draft()->mutable_msg()->add_elems();
  elem->set_type(tim::v1::ELEM_TEXT);
  elem->mutable_text()->set_content("half-written");
  draft.mutable_draft()->set_user_define("ud");
  tim::v1::SetDraftResponse drafted;
  ASSERT_TRUE(Call(alice_, &Stub::SetDraft, draft, &drafted).ok());
  EXPECT_TRUE(events.WaitFor([](const tim::v1::Event& e) {
    return ConvEventWith(tim::v1::CONV_EVENT_UPDATE, {"bob"})(e) && e.conv_event().conversations(0).is_has_draft();
  }));
  auto bob = Info(alice_, "bob");
  EXPECT_TRUE(bob.is_has_draft());
  EXPECT_EQ(TextOf(bob.draft().msg()), "half-written");
  EXPECT_EQ(bob.draft().user_define(), "ud");
  EXPECT_GT(bob.draft().edit_time(), 0u);
  draft.clear_draft();
  ASSERT_TRUE(Call(alice_, &Stub::SetDraft, draft, &drafted).ok());
  EXPECT_FALSE(Info(alice_, "bob").is_has_draft());
  draft.set_conv_id("nobody");
  EXPECT_EQ(TimCode(Call(alice_, &Stub::SetDraft, draft, &drafted)), 6004);

  // Pin: carol moves to the top with 2^62 added to her active time.
  tim::v1::PinConversationRequest pin;
  pin.set_conv_id("carol");
  pin.set_conv_type(tim::v1::CONV_C2C);
  pin.set_is_pinned(true);
  tim::v1::PinConversationResponse pinned;
  ASSERT_TRUE(Call(alice_, &Stub::PinConversation, pin, &pinned).ok());
  EXPECT_EQ(ListedIds(alice_), (std::vector<std::string>{"carol", "bob"}));
  auto carol = Info(alice_, "carol");
  EXPECT_TRUE(carol.is_pinned());
  EXPECT_GE(carol.active_time(), uint64_t{1} << 62);

  // Marks on two conversations at once: one UPDATE event carries both.
  tim::v1::MarkConversationRequest mark;
  for (const char* id : {"c2c_bob", "c2c_carol", "c2c_nobody", "bob"}) mark.add_conversation_ids(id);
  mark.set_mark_type(0x1 | 0x2);
  mark.set_enable_mark(true);
  tim::v1::MarkConversationResponse marked;
  ASSERT_TRUE(Call(alice_, &Stub::MarkConversation, mark, &marked).ok());
  ASSERT_EQ(marked.results_size(), 4);
  EXPECT_EQ(marked.results(0).result_code(), 0);
  EXPECT_EQ(marked.results(1).result_code(), 0);
  EXPECT_EQ(marked.results(2).result_code(), 6004);
  EXPECT_EQ(marked.results(3).result_code(), 6017);
  EXPECT_TRUE(events.WaitFor(ConvEventWith(tim::v1::CONV_EVENT_UPDATE, {"bob", "carol"})));
  mark.clear_conversation_ids();
  mark.add_conversation_ids("c2c_carol");
  mark.set_mark_type(0x2);
  mark.set_enable_mark(false);
  ASSERT_TRUE(Call(alice_, &Stub::MarkConversation, mark, &marked).ok());
  const auto bob_marks = Info(alice_, "bob").mark_array();
  EXPECT_EQ(std::vector<uint64_t>(bob_marks.begin(), bob_marks.end()), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(Info(alice_, "carol").mark_array_size(), 1);
  mark.set_mark_type(0);
  EXPECT_EQ(TimCode(Call(alice_, &Stub::MarkConversation, mark, &marked)), 6017);

  // Custom data.
  tim::v1::SetConversationCustomDataRequest custom;
  custom.add_conversation_ids("c2c_bob");
  custom.set_custom_data("blob");
  tim::v1::SetConversationCustomDataResponse customised;
  ASSERT_TRUE(Call(alice_, &Stub::SetConversationCustomData, custom, &customised).ok());
  EXPECT_EQ(Info(alice_, "bob").custom_data(), "blob");
  custom.set_custom_data(std::string(257, 'x'));
  EXPECT_EQ(TimCode(Call(alice_, &Stub::SetConversationCustomData, custom, &customised)), 6017);

  // The filtered list, one conversation a page; then by mark.
  tim::v1::GetConversationListByFilterRequest filter;
  filter.set_count(1);
  tim::v1::GetConversationListByFilterResponse page;
  ASSERT_TRUE(Call(alice_, &Stub::GetConversationListByFilter, filter, &page).ok());
  ASSERT_EQ(page.conversations_size(), 1);
  EXPECT_EQ(page.conversations(0).conv_id(), "carol");
  EXPECT_FALSE(page.is_finished());
  filter.set_next_seq(page.next_seq());
  ASSERT_TRUE(Call(alice_, &Stub::GetConversationListByFilter, filter, &page).ok());
  ASSERT_EQ(page.conversations_size(), 1);
  EXPECT_EQ(page.conversations(0).conv_id(), "bob");
  EXPECT_TRUE(page.is_finished());
  filter.Clear();
  filter.mutable_filter()->set_mark_type(0x2);
  ASSERT_TRUE(Call(alice_, &Stub::GetConversationListByFilter, filter, &page).ok());
  ASSERT_EQ(page.conversations_size(), 1);
  EXPECT_EQ(page.conversations(0).conv_id(), "bob");

  // Attributes survive a restart.
  alice_.Restart();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  EXPECT_EQ(ListedIds(alice_), (std::vector<std::string>{"carol", "bob"}));
  EXPECT_EQ(Info(alice_, "bob").custom_data(), "blob");

  // DeleteConversationList keeping the messages: one DEL, per-ID results.
  EventReader after_restart(alice_.Channel(), FromStart());
  tim::v1::DeleteConversationListRequest del;
  for (const char* id : {"c2c_bob", "c2c_nobody"}) del.add_conversation_ids(id);
  del.set_clear_messages(false);
  tim::v1::DeleteConversationListResponse dels;
  ASSERT_TRUE(Call(alice_, &Stub::DeleteConversationList, del, &dels).ok());
  ASSERT_EQ(dels.results_size(), 2);
  EXPECT_EQ(dels.results(0).conversation_id(), "c2c_bob");
  EXPECT_EQ(dels.results(0).result_code(), 0);
  EXPECT_EQ(dels.results(1).result_code(), 6004);
  EXPECT_TRUE(after_restart.WaitFor(ConvEventWith(tim::v1::CONV_EVENT_DEL, {"bob"})));
  EXPECT_EQ(ListedIds(alice_), std::vector<std::string>{"carol"});
  EXPECT_EQ(History(alice_, "bob").size(), 1u);  // kept
  del.clear_conversation_ids();
  EXPECT_EQ(TimCode(Call(alice_, &Stub::DeleteConversationList, del, &dels)), 6017);
}

}  // namespace
}  // namespace timd::test
