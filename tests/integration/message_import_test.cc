// Saving, importing and batch sending end to end on a real Prosody with two
// timd daemons: ImportMessages stores without sending (all or nothing,
// with TIM's codes for bad input) and the conversation follows; BatchSend
// sends one message to several users, each its own message, with a result
// per user. Both keep SendMessage's options: an excluded message counts as
// unread nowhere, an online-only one reaches only a peer online at the
// time (the server stores none for an offline one).
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

tim::v1::ImportedMessage Imported(const std::string& text, const std::string& msg_id, bool from_self,
                                  uint64_t server_time) {
  tim::v1::ImportedMessage m;
  auto* elem = m.add_elems();
  elem->set_type(tim::v1::ELEM_TEXT);
  elem->mutable_text()->set_content(text);
  m.set_msg_id(msg_id);
  m.set_is_from_self(from_self);
  m.set_server_time(server_time);
  return m;
}

class MessageImportTest : public AliceBobFixture {
 protected:
  grpc::Status Import(const tim::v1::ImportMessagesRequest& request, tim::v1::ImportMessagesResponse* response) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 20s);
    return alice_.Stubs()->messages->ImportMessages(&ctx, request, response);
  }
};

TEST_F(MessageImportTest, ImportStoresWithoutSendingAllOrNothing) {
  EventReader alice_events(alice_.Channel(), FromStart());
  const uint64_t an_hour_ago =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count()) - 3600;
  tim::v1::ImportMessagesRequest request;
  request.set_conv_id("bob");
  request.set_conv_type(tim::v1::CONV_C2C);
  *request.add_messages() = Imported("old question", "imp-1", false, an_hour_ago);
  *request.add_messages() = Imported("old answer", "", true, an_hour_ago + 60);
  tim::v1::ImportMessagesResponse imported;
  auto status = Import(request, &imported);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(imported.messages_size(), 2);
  EXPECT_EQ(imported.messages(0).msg_id(), "imp-1");
  EXPECT_EQ(imported.messages(0).sender(), "bob");
  EXPECT_EQ(imported.messages(0).server_time(), an_hour_ago);
  EXPECT_FALSE(imported.messages(1).msg_id().empty());
  EXPECT_EQ(imported.messages(1).sender(), "alice");
  EXPECT_EQ(imported.messages(1).status(), tim::v1::MSG_LOCAL_IMPORTED);

  const auto history = History(alice_, "bob");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(TextOf(history[0]), "old answer");
  EXPECT_EQ(history[1].status(), tim::v1::MSG_LOCAL_IMPORTED);
  EXPECT_TRUE(alice_events.WaitFor([](const tim::v1::Event& e) {
    return e.has_conv_event() && e.conv_event().type() == tim::v1::CONV_EVENT_ADD &&
           !e.conv_event().conversations().empty() &&
           TextOf(e.conv_event().conversations(0).last_msg()) == "old answer";
  })) << alice_.log();
  // Nothing was sent: bob's store has no conversation with alice.
  EXPECT_TRUE(History(bob_, "alice").empty());

  // A msg_id already stored, or a bad element: nothing of the request is stored.
  tim::v1::ImportMessagesRequest again = request;
  again.mutable_messages(1)->set_msg_id("imp-new");
  auto duplicate = Import(again, &imported);
  EXPECT_EQ(duplicate.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(TimCodeOf(duplicate), 6017);
  tim::v1::ImportMessagesRequest empty_elems = request;
  empty_elems.mutable_messages(0)->clear_elems();
  empty_elems.mutable_messages(0)->set_msg_id("imp-2");
  auto bad = Import(empty_elems, &imported);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(TimCodeOf(bad), 6017);
  EXPECT_EQ(History(alice_, "bob").size(), 2u);
}

TEST_F(MessageImportTest, BatchSendSendsEachUserItsOwnMessage) {
  EventReader bob_events(bob_.Channel(), FromStart());
  tim::v1::BatchSendRequest request;
  for (const char* user : {"bob", "carol", "not a user"}) request.add_user_ids(user);
  auto* elem = request.add_elems();
  elem->set_type(tim::v1::ELEM_TEXT);
  elem->mutable_text()->set_content("to everyone");
  tim::v1::BatchSendResponse response;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 30s);
  auto status = alice_.Stubs()->messages->BatchSend(&ctx, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.results_size(), 3);
  EXPECT_EQ(response.results(0).user_id(), "bob");
  EXPECT_EQ(response.results(0).code(), 0) << response.results(0).desc();
  EXPECT_EQ(response.results(0).message().status(), tim::v1::MSG_SEND_SUCC);
  EXPECT_EQ(response.results(1).code(), 0) << response.results(1).desc();
  EXPECT_NE(response.results(0).message().msg_id(), response.results(1).message().msg_id());
  EXPECT_EQ(response.results(2).code(), 7003) << response.results(2).desc();
  EXPECT_FALSE(response.results(2).has_message());

  ASSERT_TRUE(bob_events.WaitFor(HasTextMessage("to everyone"))) << bob_.log();
  EXPECT_EQ(History(bob_, "alice").at(0).msg_id(), response.results(0).message().msg_id());
  EXPECT_EQ(StoredBodies(alice_, "carol", "to everyone").size(), 1u);

  grpc::ClientContext none_ctx;
  auto none = alice_.Stubs()->messages->BatchSend(&none_ctx, tim::v1::BatchSendRequest(), &response);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(TimCodeOf(none), 6017);
}

tim::v1::BatchSendResponse BatchSendText(const TimdProcess& timd, std::vector<std::string> users,
                                         const std::string& text, bool excluded, bool online_only) {
  tim::v1::BatchSendRequest request;
  for (const auto& user : users) request.add_user_ids(user);
  auto* elem = request.add_elems();
  elem->set_type(tim::v1::ELEM_TEXT);
  elem->mutable_text()->set_content(text);
  request.set_is_excluded_from_unread_count(excluded);
  request.set_is_online_msg(online_only);
  tim::v1::BatchSendResponse response;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 30s);
  const grpc::Status status = timd.Stubs()->messages->BatchSend(&ctx, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  for (const auto& result : response.results()) EXPECT_EQ(result.code(), 0) << result.user_id() << " " << result.desc();
  return response;
}

TEST_F(MessageImportTest, BatchSendKeepsTheUnreadExclusionAndOnlineOnly) {
  EventReader bob_events(bob_.Channel(), FromStart());
  // carol has no daemon yet: offline.
  auto excluded = BatchSendText(alice_, {"bob", "carol"}, "batch excluded", true, false);
  EXPECT_TRUE(excluded.results(0).message().is_excluded_from_unread_count());
  auto online = BatchSendText(alice_, {"bob", "carol"}, "batch online", false, true);
  EXPECT_TRUE(online.results(0).message().is_online_msg());
  BatchSendText(alice_, {"bob", "carol"}, "batch counted", false, false);
  ASSERT_TRUE(bob_events.WaitFor(HasTextMessage("batch counted"))) << bob_.log();
  for (const auto& m : History(bob_, "alice")) {
    EXPECT_EQ(m.is_excluded_from_unread_count(), TextOf(m) == "batch excluded") << TextOf(m);
    EXPECT_EQ(m.is_online_msg(), TextOf(m) == "batch online") << TextOf(m);
  }
  EXPECT_EQ(UnreadWith(bob_, "alice"), 1u) << "only the counted message raises bob's unread";

  TimdProcess carol;
  carol.UseProsody(prosody_);
  carol.LoginAs("carol", "carol-pw");
  carol.Start();
  ASSERT_TRUE(carol.WaitLoggedIn()) << carol.log();
  EventReader carol_events(carol.Channel(), FromStart());
  ASSERT_TRUE(carol_events.WaitFor(HasTextMessage("batch counted"), 30s)) << carol.log();
  std::this_thread::sleep_for(1s);  // anything else the server kept has come by now
  EXPECT_EQ(StoredBodies(carol, "alice", "batch"), (std::vector<std::string>{"batch counted", "batch excluded"}))
      << "the server keeps no online-only message for an offline peer";
  EXPECT_EQ(UnreadWith(carol, "alice"), 1u);
}

TEST_F(MessageImportTest, ImportKeepsTheUnreadExclusionAndReceiptRequest) {
  tim::v1::ImportMessagesRequest request;
  request.set_conv_id("bob");
  request.set_conv_type(tim::v1::CONV_C2C);
  auto& excluded = *request.add_messages() = Imported("imported excluded", "imp-ex", false, 0);
  excluded.set_is_excluded_from_unread_count(true);
  excluded.set_need_read_receipt(true);
  *request.add_messages() = Imported("imported plain", "imp-plain", false, 0);
  tim::v1::ImportMessagesResponse imported;
  ASSERT_TRUE(Import(request, &imported).ok());
  EXPECT_TRUE(imported.messages(0).is_excluded_from_unread_count());
  EXPECT_TRUE(imported.messages(0).need_read_receipt());
  for (const auto& m : History(alice_, "bob")) {
    EXPECT_EQ(m.is_excluded_from_unread_count(), m.msg_id() == "imp-ex") << m.msg_id();
    EXPECT_EQ(m.need_read_receipt(), m.msg_id() == "imp-ex") << m.msg_id();
  }
  EXPECT_EQ(UnreadWith(alice_, "bob"), 0u) << "imported messages are read";

  tim::v1::ImportMessagesRequest bad;
  bad.set_conv_id("bob");
  bad.set_conv_type(tim::v1::CONV_C2C);
  (*bad.add_messages() = Imported("bad priority", "imp-bad", false, 0)).set_priority(4);
  const grpc::Status refused = Import(bad, &imported);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(TimCodeOf(refused), 6017) << refused.error_message();
}

}  // namespace
}  // namespace timd::test
