// GetMessages with is_ramble on a real Prosody: bob's history is on the
// server (his XEP-0313 archive) but not in a fresh daemon's store. Without
// is_ramble the store answers alone; with it, older pages come back from
// the archive in order, exactly once, without events or unread changes,
// messages bob deleted or cleared stay gone, and the retractions and
// corrections alice archived before come back applied, as silently, even
// when timd restarts between the call that found them and the one that
// fetches their messages; edits still waiting go with a cleared history or
// a deleted conversation.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "integration/history_ramble_fixture.h"
#include "integration/interop/json_line_peer.h"
#include "support/message_edits.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

TEST_F(HistoryRambleTest, OlderPagesComeFromTheArchiveInOrderOnce) {
  EventReader events(fresh_.Channel(), FromStart());
  auto local = Page(3, false);
  EXPECT_EQ(Texts(local), (Strings{"m7"}));
  EXPECT_TRUE(local.is_finished());
  const int64_t unread = Unread();
  EXPECT_EQ(unread, 1);

  auto first = Page(3, true);
  EXPECT_EQ(Texts(first), (Strings{"m7", "m6", "m5"}));
  EXPECT_FALSE(first.is_finished());
  auto second = Page(3, true, first.next_before_seq());
  EXPECT_EQ(Texts(second), (Strings{"m4", "m3", "m2"}));
  EXPECT_FALSE(second.is_finished());
  auto third = Page(3, true, second.next_before_seq());
  EXPECT_EQ(Texts(third), (Strings{"m1"}));
  EXPECT_TRUE(third.is_finished());

  // Again, from the top and in other page sizes: the same, once each.
  const Strings all{"m7", "m6", "m5", "m4", "m3", "m2", "m1"};
  EXPECT_EQ(RambleAll(3), all);
  EXPECT_EQ(RambleAll(50), all);
  EXPECT_EQ(Texts(Page(50, false)), all);

  // History is not news: no events, no unread change.
  SendAndWait(fresh_, 8, 8);
  ASSERT_TRUE(events.WaitFor(HasTextMessage("m8")));
  EXPECT_EQ(EventBodies(events, "m"), (Strings{"m7", "m8"}));
  EXPECT_EQ(Unread(), unread + 1);
}

TEST_F(HistoryRambleTest, DeletedAndClearedMessagesStayGone) {
  EXPECT_EQ(Texts(Page(4, true)), (Strings{"m7", "m6", "m5", "m4"}));
  // m5 deleted: the archive still has it, the store keeps it deleted.
  std::string m5_id;
  const auto stored = Page(50, false);
  for (const auto& m : stored.messages()) {
    if (TextOf(m) == "m5") m5_id = m.msg_id();
  }
  ASSERT_FALSE(m5_id.empty());
  tim::v1::DeleteMessagesRequest del;
  del.set_conv_id("alice");
  del.set_conv_type(tim::v1::CONV_C2C);
  del.add_msg_ids(m5_id);
  tim::v1::DeleteMessagesResponse deleted;
  grpc::ClientContext del_ctx;
  ASSERT_TRUE(fresh_.Stubs()->messages->DeleteMessages(&del_ctx, del, &deleted).ok());
  EXPECT_EQ(RambleAll(2), (Strings{"m7", "m6", "m4", "m3", "m2", "m1"}));

  // Cleared: nothing from before the clear comes back, newer ones do.
  tim::v1::ClearHistoryRequest clear;
  clear.set_conv_id("alice");
  clear.set_conv_type(tim::v1::CONV_C2C);
  tim::v1::ClearHistoryResponse cleared;
  grpc::ClientContext clear_ctx;
  ASSERT_TRUE(fresh_.Stubs()->messages->ClearHistory(&clear_ctx, clear, &cleared).ok());
  EXPECT_EQ(RambleAll(3), Strings{});
  std::this_thread::sleep_for(1100ms);  // archive times have whole seconds
  SendAndWait(fresh_, 8, 8);
  EXPECT_EQ(RambleAll(3), (Strings{"m8"}));
}

// While bob's first daemon is online, a slixmpp client of bob's
// (payload_peer.py) retracts alice's m3, which bob may not, and says "after
// spoof"; then alice revokes m2 and modifies m4. bob's archive holds the
// three edits after their messages.
class HistoryRambleEditsTest : public HistoryRambleTest {
 protected:
  void EditArchivedHistory() override {
    EventReader events(bob_.Channel(), FromStart());
    const std::string m2 = AliceMsgId("m2");
    const std::string m3 = AliceMsgId("m3");
    const std::string m4 = AliceMsgId("m4");
    JsonLinePeer spoofer("payload_peer.py", prosody_, "bob", "bob-pw",
                         {"--spoof-to", std::string("alice@") + ProsodyServer::kDomain, "--spoof-id", m3});
    ASSERT_FALSE(spoofer.WaitForLine("\"spoofed\"").empty()) << spoofer.output();
    ASSERT_TRUE(events.WaitFor(HasTextMessage("after spoof"))) << bob_.log();
    tim::v1::RevokeMessageResponse revoked;
    auto revoke = Revoke(alice_, "bob", m2, &revoked);
    ASSERT_TRUE(revoke.ok()) << revoke.error_message();
    tim::v1::ModifyMessageResponse modified;
    auto modify = ModifyText(alice_, "bob", m4, "m4 edited", &modified);
    ASSERT_TRUE(modify.ok()) << modify.error_message();
    ASSERT_TRUE(events.WaitFor(RevokedEvent(m2))) << bob_.log();
    ASSERT_TRUE(events.WaitFor(UpdatedEvent(m4, "m4 edited"))) << bob_.log();
  }

  // The msg_id of alice's sent message reading `text`.
  std::string AliceMsgId(const std::string& text) {
    tim::v1::GetMessagesRequest request;
    request.set_conv_id("bob");
    request.set_conv_type(tim::v1::CONV_C2C);
    request.set_count(50);
    tim::v1::GetMessagesResponse response;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 20s);
    EXPECT_TRUE(alice_.Stubs()->messages->GetMessages(&ctx, request, &response).ok());
    for (const auto& m : response.messages()) {
      if (TextOf(m) == text) return m.msg_id();
    }
    ADD_FAILURE() << "alice has no message " << text;
    return "";
  }

  // A page of 2 asks the archive for 3 older messages ("after spoof", m6,
  // m5, perhaps m4: receipts fill archive pages too), not for m3 or m2:
  // the retraction of m2 and the spoofed one of m3 found on the way wait.
  void FetchLeavingEditsWaiting() {
    EXPECT_EQ(Shown(Page(2, true)), (Strings{"m7", "after spoof"}));
    const Strings stored = Shown(Page(50, false));
    EXPECT_EQ(std::count(stored.begin(), stored.end(), "m2"), 0) << ::testing::PrintToString(stored);
    EXPECT_GE(WaitingEdits(), 2);
  }

  // How many archived edits wait in the fresh daemon's store.
  int WaitingEdits() {
    sqlite3* db = nullptr;
    int count = -1;
    EXPECT_EQ(sqlite3_open_v2((fresh_.state_dir() + "/timd.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
              SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM archived_edits", -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      count = sqlite3_column_int(stmt, 0);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return count;
  }

  // "text" or "text (revoked)" for each message, newest first.
  static Strings Shown(const tim::v1::GetMessagesResponse& response) {
    Strings out;
    for (const auto& m : response.messages()) {
      out.push_back(TextOf(m) + (m.status() == tim::v1::MSG_REVOKED ? " (revoked)" : ""));
    }
    return out;
  }
};

TEST_F(HistoryRambleEditsTest, ArchivedRetractionsAndCorrectionsApplySilently) {
  EventReader events(fresh_.Channel(), FromStart());
  const int64_t unread = Unread();
  const Strings expected{"m7", "after spoof", "m6", "m5", "m4 edited", "m3", "m2 (revoked)", "m1"};
  // Pages of 2: the edits are found by earlier calls than their messages,
  // so they wait from one call to the next.
  EXPECT_EQ(RambleAll(2, &Shown), expected);
  EXPECT_EQ(Shown(Page(50, false)), expected);
  EXPECT_NE(fresh_.log().find("ignoring a retraction (archive) by bob@"), std::string::npos) << fresh_.log();

  // History is not news: no revoke, update or new-message event, the same
  // unread count.
  SendAndWait(fresh_, 8, 8);
  ASSERT_TRUE(events.WaitFor(HasTextMessage("m8")));
  for (const auto& e : events.Events()) {
    EXPECT_FALSE(e.has_msg_revoked()) << e.DebugString();
    EXPECT_FALSE(e.has_messages_updated()) << e.DebugString();
  }
  EXPECT_EQ(EventBodies(events, "m"), (Strings{"m7", "m8"}));
  EXPECT_EQ(Unread(), unread + 1);
}

// The edits wait in the store: the call that found them and the one that
// fetches their messages may have a restart between them. Once the
// archive's start is reached, none waits any more (the spoofed one never
// applies).
TEST_F(HistoryRambleEditsTest, EditsWaitingForAnOlderPageSurviveARestart) {
  FetchLeavingEditsWaiting();
  fresh_.Restart();
  ASSERT_TRUE(fresh_.WaitLoggedIn()) << fresh_.log();

  const Strings expected{"m7", "after spoof", "m6", "m5", "m4 edited", "m3", "m2 (revoked)", "m1"};
  EXPECT_EQ(RambleAll(2, &Shown), expected);
  EXPECT_EQ(Shown(Page(50, false)), expected);
  EXPECT_EQ(WaitingEdits(), 0);
}

// Edits waiting for messages that will never be fetched (older than a
// clear or a deletion) leave the store with the conversation's history.
TEST_F(HistoryRambleEditsTest, WaitingEditsGoWithAClearedHistory) {
  FetchLeavingEditsWaiting();
  tim::v1::ClearHistoryRequest clear;
  clear.set_conv_id("alice");
  clear.set_conv_type(tim::v1::CONV_C2C);
  tim::v1::ClearHistoryResponse cleared;
  grpc::ClientContext ctx;
  ASSERT_TRUE(fresh_.Stubs()->messages->ClearHistory(&ctx, clear, &cleared).ok());
  EXPECT_EQ(WaitingEdits(), 0);
}

TEST_F(HistoryRambleEditsTest, WaitingEditsGoWithADeletedConversation) {
  FetchLeavingEditsWaiting();
  tim::v1::DeleteConversationRequest del;
  del.set_conv_id("alice");
  del.set_conv_type(tim::v1::CONV_C2C);
  tim::v1::DeleteConversationResponse deleted;
  grpc::ClientContext ctx;
  ASSERT_TRUE(fresh_.Stubs()->conversations->DeleteConversation(&ctx, del, &deleted).ok());
  EXPECT_EQ(WaitingEdits(), 0);
  EXPECT_TRUE(RambleAll(50).empty());  // and the conversation stays deleted
  EXPECT_FALSE(Listed());
}

// Calls on one conversation that overlap fetch one after the other: the
// later goes on from what the earlier stored, with the edits it left, so
// no edit waits twice.
TEST_F(HistoryRambleEditsTest, OverlappingCallsFetchOneAfterTheOther) {
  tim::v1::GetMessagesResponse other_page;
  std::thread other([&] { other_page = Page(2, true); });
  const auto page = Page(2, true);
  other.join();
  EXPECT_EQ(Shown(page), (Strings{"m7", "after spoof"}));
  EXPECT_EQ(Shown(other_page), (Strings{"m7", "after spoof"}));
  EXPECT_LE(WaitingEdits(), 3);  // m4's correction, m2's retraction, the spoofed one of m3

  const Strings expected{"m7", "after spoof", "m6", "m5", "m4 edited", "m3", "m2 (revoked)", "m1"};
  EXPECT_EQ(RambleAll(3, &Shown), expected);
  EXPECT_EQ(WaitingEdits(), 0);
}

}  // namespace
}  // namespace timd::test
