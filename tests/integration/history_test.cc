// History and lookup end to end on a real Prosody with two timd daemons:
// alice sends, bob's store receives; GetMessages pages both ways and by
// time range, FindMessages and FindMessagesByLocator look messages up,
// DeleteMessages / ClearHistory delete locally (the conversation follows,
// the deletion survives a restart and the next archive catch-up), and
// SetLocalCustomData is kept and returned with the message, and
// SearchLocalMessages finds text and follows corrections, revokes and
// deletions.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "integration/alice_bob_fixture.h"
#include "support/event_reader.h"
#include "support/message_edits.h"
#include "support/message_sets.h"
#include "support/requests.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

template <typename Request, typename Response, typename Method>
grpc::Status Call(const TimdProcess& timd, Method method, const Request& request, Response* response) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 20s);
  auto stubs = timd.Stubs();
  return (stubs->messages.get()->*method)(&ctx, request, response);
}

tim::v1::GetMessagesResponse Page(const TimdProcess& timd, tim::v1::GetMessagesRequest request) {
  request.set_conv_id(request.conv_id().empty() ? "alice" : request.conv_id());
  request.set_conv_type(tim::v1::CONV_C2C);
  tim::v1::GetMessagesResponse response;
  auto status = Call(timd, &tim::v1::Messages::Stub::GetMessages, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

std::vector<std::string> Texts(const tim::v1::GetMessagesResponse& response) {
  std::vector<std::string> out;
  for (const auto& m : response.messages()) out.push_back(TextOf(m));
  return out;
}

using Strings = std::vector<std::string>;

class HistoryTest : public AliceBobFixture {
 protected:
  // alice sends m<first>..m<last> to bob; bob has them all.
  void SendRange(int first, int last) {
    EventReader bob_events(bob_.Channel(), FromStart());
    for (int i = first; i <= last; ++i) {
      auto status = SendText(*alice_.Stubs(), "bob", "m" + std::to_string(i));
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    ASSERT_TRUE(bob_events.WaitFor(HasTextMessage("m" + std::to_string(last)))) << bob_.log();
  }

  tim::v1::Message Stored(const std::string& text) {
    for (const auto& m : History(bob_, "alice")) {
      if (TextOf(m) == text) return m;
    }
    ADD_FAILURE() << "bob has no " << text;
    return {};
  }

};

TEST_F(HistoryTest, GetMessagesPagesBothWaysAndByTimeRange) {
  SendRange(1, 2);
  // The next messages carry a time at least two seconds after m1 and m2.
  std::this_thread::sleep_for(2100ms);
  SendRange(3, 5);

  tim::v1::GetMessagesRequest back;
  back.set_count(2);
  auto page = Page(bob_, back);
  EXPECT_EQ(Texts(page), (Strings{"m5", "m4"}));
  EXPECT_FALSE(page.is_finished());
  back.set_before_seq(page.next_before_seq());
  page = Page(bob_, back);
  EXPECT_EQ(Texts(page), (Strings{"m3", "m2"}));
  back.set_before_seq(page.next_before_seq());
  page = Page(bob_, back);
  EXPECT_EQ(Texts(page), (Strings{"m1"}));
  EXPECT_TRUE(page.is_finished());

  tim::v1::GetMessagesRequest forward;
  forward.set_is_forward(true);
  forward.set_count(2);
  page = Page(bob_, forward);
  EXPECT_EQ(Texts(page), (Strings{"m1", "m2"}));
  EXPECT_FALSE(page.is_finished());
  forward.set_after_seq(page.next_after_seq());
  page = Page(bob_, forward);
  EXPECT_EQ(Texts(page), (Strings{"m3", "m4"}));
  forward.set_after_seq(page.next_after_seq());
  page = Page(bob_, forward);
  EXPECT_EQ(Texts(page), (Strings{"m5"}));
  EXPECT_TRUE(page.is_finished());

  // Anchored at m3 (by its seq), either way.
  const tim::v1::Message m3 = Stored("m3");
  tim::v1::GetMessagesRequest after_m3;
  after_m3.set_is_forward(true);
  after_m3.set_after_seq(m3.seq());
  EXPECT_EQ(Texts(Page(bob_, after_m3)), (Strings{"m4", "m5"}));
  tim::v1::GetMessagesRequest before_m3;
  before_m3.set_before_seq(m3.seq());
  EXPECT_EQ(Texts(Page(bob_, before_m3)), (Strings{"m2", "m1"}));

  // Time ranges: backwards from m2's second, forwards from m3's.
  const uint64_t early = Stored("m2").server_time();
  ASSERT_LT(early, m3.server_time());
  tim::v1::GetMessagesRequest until_early;
  until_early.set_time_begin(early);
  EXPECT_EQ(Texts(Page(bob_, until_early)), (Strings{"m2", "m1"}));
  tim::v1::GetMessagesRequest from_late;
  from_late.set_is_forward(true);
  from_late.set_time_begin(m3.server_time());
  EXPECT_EQ(Texts(Page(bob_, from_late)), (Strings{"m3", "m4", "m5"}));
  const uint64_t first = Stored("m1").server_time();
  tim::v1::GetMessagesRequest before_m3_time;
  before_m3_time.set_is_forward(true);
  before_m3_time.set_time_begin(first);
  before_m3_time.set_time_period(m3.server_time() - first - 1);  // at least 1: m3 is 2 s later
  EXPECT_EQ(Texts(Page(bob_, before_m3_time)), (Strings{"m1", "m2"}));
}

TEST_F(HistoryTest, FindByIdAndLocatorAndUnknownIds) {
  SendRange(1, 3);
  const tim::v1::Message m1 = Stored("m1"), m2 = Stored("m2"), m3 = Stored("m3");

  tim::v1::FindMessagesRequest find;
  find.add_msg_ids(m3.msg_id());
  find.add_msg_ids("no-such-message");
  find.add_msg_ids(m1.msg_id());
  tim::v1::FindMessagesResponse found;
  ASSERT_TRUE(Call(bob_, &tim::v1::Messages::Stub::FindMessages, find, &found).ok());
  ASSERT_EQ(found.messages_size(), 2);  // the unknown id is left out
  EXPECT_EQ(TextOf(found.messages(0)), "m3");
  EXPECT_EQ(TextOf(found.messages(1)), "m1");
  // The same message id on both daemons (alice sent it).
  ASSERT_TRUE(Call(alice_, &tim::v1::Messages::Stub::FindMessages, find, &found).ok());
  ASSERT_EQ(found.messages_size(), 2);
  EXPECT_TRUE(found.messages(0).is_from_self());

  grpc::Status empty = Call(bob_, &tim::v1::Messages::Stub::FindMessages, tim::v1::FindMessagesRequest(), &found);
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(TimCodeOf(empty), 6017);

  tim::v1::FindMessagesByLocatorRequest locate;
  locate.set_conv_id("alice");
  locate.set_conv_type(tim::v1::CONV_C2C);
  auto* by_seq = locate.add_locators();
  by_seq->set_seq(m2.seq());
  by_seq->set_rand(m2.rand());
  auto* by_time = locate.add_locators();  // no seq: time and rand
  by_time->set_time(m3.server_time());
  by_time->set_rand(m3.rand());
  auto* wrong_rand = locate.add_locators();
  wrong_rand->set_seq(m1.seq());
  wrong_rand->set_rand(m1.rand() + 1);
  tim::v1::FindMessagesByLocatorResponse located;
  ASSERT_TRUE(Call(bob_, &tim::v1::Messages::Stub::FindMessagesByLocator, locate, &located).ok());
  ASSERT_EQ(located.messages_size(), 2) << located.DebugString();
  EXPECT_EQ(located.messages(0).msg_id(), m2.msg_id());
  EXPECT_EQ(located.messages(1).msg_id(), m3.msg_id());

  locate.set_conv_type(tim::v1::CONV_GROUP);
  grpc::Status group = Call(bob_, &tim::v1::Messages::Stub::FindMessagesByLocator, locate, &located);
  EXPECT_EQ(group.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(TimCodeOf(group), 7013);
}

TEST_F(HistoryTest, DeleteAndClearAreLocalAndStayDeleted) {
  SendRange(1, 4);
  EventReader bob_events(bob_.Channel(), FromStart());
  const tim::v1::Message m2 = Stored("m2"), m4 = Stored("m4");

  // Unknown ids delete nothing.
  tim::v1::DeleteMessagesRequest bad;
  bad.set_conv_id("alice");
  bad.set_conv_type(tim::v1::CONV_C2C);
  bad.add_msg_ids(m2.msg_id());
  bad.add_msg_ids("no-such-message");
  tim::v1::DeleteMessagesResponse deleted;
  grpc::Status unknown = Call(bob_, &tim::v1::Messages::Stub::DeleteMessages, bad, &deleted);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(TimCodeOf(unknown), 7011);
  EXPECT_EQ(History(bob_, "alice").size(), 4u);

  // Deleting the last message (m4) and m2: the conversation's last message is now m3, unread 2.
  tim::v1::DeleteMessagesRequest two;
  two.set_conv_id("alice");
  two.set_conv_type(tim::v1::CONV_C2C);
  two.add_msg_ids(m4.msg_id());
  two.add_msg_ids(m2.msg_id());
  ASSERT_TRUE(Call(bob_, &tim::v1::Messages::Stub::DeleteMessages, two, &deleted).ok());
  EXPECT_EQ(StoredBodies(bob_, "alice", "m"), (Strings{"m3", "m1"}));
  ASSERT_TRUE(bob_events.WaitFor([](const tim::v1::Event& e) {
    if (!e.has_conv_event() || e.conv_event().type() != tim::v1::CONV_EVENT_UPDATE ||
        e.conv_event().conversations().empty()) {
      return false;
    }
    const auto& c = e.conv_event().conversations(0);
    return c.conv_id() == "alice" && TextOf(c.last_msg()) == "m3" && c.unread_num() == 2;
  })) << bob_.log();
  tim::v1::FindMessagesRequest find;
  find.add_msg_ids(m4.msg_id());
  tim::v1::FindMessagesResponse found;
  ASSERT_TRUE(Call(bob_, &tim::v1::Messages::Stub::FindMessages, find, &found).ok());
  EXPECT_EQ(found.messages_size(), 0);
  // Local only: alice still has all four.
  EXPECT_EQ(StoredBodies(alice_, "bob", "m").size(), 4u);

  // Deleted stays deleted across a restart and its archive catch-up, and
  // newer messages arrive as usual.
  bob_events.Cancel();
  bob_.Restart();
  ASSERT_TRUE(bob_.WaitLoggedIn()) << bob_.log();
  SendRange(5, 5);
  EXPECT_EQ(StoredBodies(bob_, "alice", "m"), (Strings{"m5", "m3", "m1"}));

  // Clearing: nothing left, and the store stays consistent.
  tim::v1::ClearHistoryRequest clear;
  clear.set_conv_id("alice");
  clear.set_conv_type(tim::v1::CONV_C2C);
  tim::v1::ClearHistoryResponse cleared;
  ASSERT_TRUE(Call(bob_, &tim::v1::Messages::Stub::ClearHistory, clear, &cleared).ok());
  EXPECT_TRUE(History(bob_, "alice").empty());
  bob_.Restart();
  ASSERT_TRUE(bob_.WaitLoggedIn()) << bob_.log();
  EXPECT_TRUE(History(bob_, "alice").empty());
  SendRange(6, 6);
  EXPECT_EQ(StoredBodies(bob_, "alice", "m"), (Strings{"m6"}));
}

TEST_F(HistoryTest, LocalCustomDataIsKeptAndReturned) {
  SendRange(1, 1);
  const tim::v1::Message m1 = Stored("m1");
  tim::v1::SetLocalCustomDataRequest set;
  set.set_msg_id(m1.msg_id());
  set.set_custom_int(42);
  set.set_custom_str("starred");
  tim::v1::SetLocalCustomDataResponse response;
  ASSERT_TRUE(Call(bob_, &tim::v1::Messages::Stub::SetLocalCustomData, set, &response).ok());
  EXPECT_EQ(response.message().custom_int(), 42u);
  EXPECT_EQ(response.message().custom_str(), "starred");

  bob_.Restart();
  ASSERT_TRUE(bob_.WaitLoggedIn()) << bob_.log();
  const tim::v1::Message kept = Stored("m1");
  EXPECT_EQ(kept.custom_int(), 42u);
  EXPECT_EQ(kept.custom_str(), "starred");
  // Local only: alice's copy has none.
  EXPECT_EQ(History(alice_, "bob").at(0).custom_str(), "");

  set.set_msg_id("no-such-message");
  grpc::Status unknown = Call(bob_, &tim::v1::Messages::Stub::SetLocalCustomData, set, &response);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(TimCodeOf(unknown), 7011);
}

// Bob's search of his conversation with alice for `keywords`: the texts found.
Strings Search(const TimdProcess& timd, std::vector<std::string> keywords, uint32_t match_type = 0) {
  tim::v1::SearchLocalMessagesRequest request;
  for (auto& keyword : keywords) request.add_keywords(std::move(keyword));
  request.set_match_type(match_type);
  request.set_conv_id("alice");
  request.set_conv_type(tim::v1::CONV_C2C);
  tim::v1::SearchLocalMessagesResponse response;
  auto status = Call(timd, &tim::v1::Messages::Stub::SearchLocalMessages, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  Strings texts;
  for (const auto& item : response.items()) {
    for (const auto& m : item.messages()) texts.push_back(TextOf(m));
  }
  EXPECT_EQ(response.total_count(), texts.size());
  return texts;
}

bool WaitSearch(const TimdProcess& timd, const std::string& keyword, const Strings& expected) {
  for (auto deadline = std::chrono::steady_clock::now() + 20s; std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(50ms)) {
    if (Search(timd, {keyword}) == expected) return true;
  }
  return false;
}

TEST_F(HistoryTest, SearchFollowsReceivedCorrectionsRevokesAndDeletes) {
  EventReader bob_events(bob_.Channel(), FromStart());
  for (const char* text : {"Lunch at noon?", "dinner plans", "lunch moved to the canteen", "你好世界"}) {
    ASSERT_TRUE(SendText(*alice_.Stubs(), "bob", text).ok());
  }
  ASSERT_TRUE(bob_events.WaitFor(HasTextMessage("你好世界"))) << bob_.log();

  EXPECT_EQ(Search(bob_, {"LUNCH"}), (Strings{"lunch moved to the canteen", "Lunch at noon?"}));
  EXPECT_EQ(Search(bob_, {"lunch", "noon"}, 1), (Strings{"Lunch at noon?"}));
  EXPECT_EQ(Search(bob_, {"noon", "plans"}), (Strings{"dinner plans", "Lunch at noon?"}));
  EXPECT_EQ(Search(bob_, {"世界"}), (Strings{"你好世界"}));

  // Every conversation: one conversation with two matches, counted.
  tim::v1::SearchLocalMessagesRequest everywhere;
  everywhere.add_keywords("lunch");
  tim::v1::SearchLocalMessagesResponse found;
  ASSERT_TRUE(Call(bob_, &tim::v1::Messages::Stub::SearchLocalMessages, everywhere, &found).ok());
  EXPECT_EQ(found.total_count(), 1u);
  ASSERT_EQ(found.items_size(), 1);
  EXPECT_EQ(found.items(0).conv_id(), "alice");
  EXPECT_EQ(found.items(0).total_message_count(), 2u);

  // alice corrects one lunch message and revokes the other: bob's index follows.
  const auto sent = History(alice_, "bob");
  auto id_of = [&](const std::string& text) {
    for (const auto& m : sent) {
      if (TextOf(m) == text) return m.msg_id();
    }
    return std::string();
  };
  tim::v1::ModifyMessageResponse modified;
  ASSERT_TRUE(ModifyText(alice_, "bob", id_of("Lunch at noon?"), "meeting at noon", &modified).ok());
  EXPECT_TRUE(WaitSearch(bob_, "meeting", {"meeting at noon"})) << bob_.log();
  tim::v1::RevokeMessageResponse revoked;
  ASSERT_TRUE(Revoke(alice_, "bob", id_of("lunch moved to the canteen"), &revoked).ok());
  EXPECT_TRUE(WaitSearch(bob_, "lunch", {})) << bob_.log();

  // A local deletion leaves the index too.
  tim::v1::DeleteMessagesRequest remove;
  remove.set_conv_id("alice");
  remove.set_conv_type(tim::v1::CONV_C2C);
  remove.add_msg_ids(id_of("dinner plans"));
  tim::v1::DeleteMessagesResponse deleted;
  ASSERT_TRUE(Call(bob_, &tim::v1::Messages::Stub::DeleteMessages, remove, &deleted).ok());
  EXPECT_EQ(Search(bob_, {"plans"}), Strings{});

  tim::v1::SearchLocalMessagesRequest none;
  grpc::Status empty = Call(bob_, &tim::v1::Messages::Stub::SearchLocalMessages, none, &found);
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(TimCodeOf(empty), 6017);
}

}  // namespace
}  // namespace timd::test
