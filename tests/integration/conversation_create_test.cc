// CreateConversation (TIMConvCreate) end to end on a real Prosody: a
// conversation without a message is listed and looked up, fires ConvEvent
// Add once (creating it again fires nothing), survives a restart, gets
// Update (not a second Add) with its first message, and is deleted with
// ConvEvent Del like any other; the error codes of the other conversation
// calls for groups and malformed IDs.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support/app_process.h"
#include "support/event_reader.h"
#include "support/message_edits.h"
#include "support/message_sets.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/timd_process.h"
#include "tim/v1/conversation_edits.pb.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

grpc::Status Create(const TimdProcess& timd, const std::string& peer, tim::v1::CreateConversationResponse* response,
                    tim::v1::ConvType type = tim::v1::CONV_C2C) {
  tim::v1::CreateConversationRequest request;
  request.set_conv_id(peer);
  request.set_conv_type(type);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 20s);
  return timd.Stubs()->conversations->CreateConversation(&ctx, request, response);
}

std::vector<std::string> ListedIds(const TimdProcess& timd) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 20s);
  tim::v1::ListConversationsResponse response;
  EXPECT_TRUE(timd.Stubs()->conversations->ListConversations(&ctx, {}, &response).ok());
  std::vector<std::string> ids;
  for (const auto& c : response.conversations()) ids.push_back(c.conv_id());
  return ids;
}

int InfoCount(const TimdProcess& timd, const std::string& peer) {
  tim::v1::GetConversationsRequest request;
  auto* key = request.add_keys();
  key->set_conv_id(peer);
  key->set_conv_type(tim::v1::CONV_C2C);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 20s);
  tim::v1::GetConversationsResponse response;
  EXPECT_TRUE(timd.Stubs()->conversations->GetConversations(&ctx, request, &response).ok());
  return response.conversations_size();
}

bool IsConvEvent(const tim::v1::Event& e, tim::v1::ConvEventType type, const std::string& id) {
  if (!e.has_conv_event() || e.conv_event().type() != type) return false;
  const auto& convs = e.conv_event().conversations();
  return std::any_of(convs.begin(), convs.end(), [&](const auto& c) { return c.conv_id() == id; });
}

size_t CountConvEvents(const EventReader& events, tim::v1::ConvEventType type, const std::string& id) {
  const auto all = events.Events();
  return static_cast<size_t>(
      std::count_if(all.begin(), all.end(), [&](const auto& e) { return IsConvEvent(e, type, id); }));
}

class ConversationCreateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prosody_.Start();
    for (const char* user : {"alice", "bob"}) prosody_.AddUser(user, std::string(user) + "-pw");
    alice_.UseProsody(prosody_);
    alice_.LoginAs("alice", "alice-pw");
    alice_.Start();
    ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  }

  ProsodyServer prosody_;
  TimdProcess alice_;
};

TEST_F(ConversationCreateTest, CreatedConversationIsListedPersistsAndDeletesLikeAnyOther) {
  EventReader events(alice_.Channel(), FromStart());
  const auto before_s = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
  tim::v1::CreateConversationResponse created;
  auto status = Create(alice_, "bob", &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.conversation().conv_id(), "bob");
  EXPECT_EQ(created.conversation().conv_type(), tim::v1::CONV_C2C);
  EXPECT_FALSE(created.conversation().is_has_last_msg());
  EXPECT_GE(static_cast<int64_t>(created.conversation().active_time()), before_s);
  ASSERT_TRUE(events.WaitFor([](const auto& e) { return IsConvEvent(e, tim::v1::CONV_EVENT_ADD, "bob"); }));
  EXPECT_EQ(ListedIds(alice_), std::vector<std::string>{"bob"});
  EXPECT_EQ(InfoCount(alice_, "bob"), 1);

  // Again: the same conversation, no second Add.
  tim::v1::CreateConversationResponse again;
  ASSERT_TRUE(Create(alice_, "bob", &again).ok());
  EXPECT_EQ(again.conversation().active_time(), created.conversation().active_time());
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(CountConvEvents(events, tim::v1::CONV_EVENT_ADD, "bob"), 1u);

  // Errors, as the other conversation calls answer them.
  tim::v1::CreateConversationResponse refused;
  auto group = Create(alice_, "room", &refused, tim::v1::CONV_GROUP);
  EXPECT_EQ(group.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(TimCodeOf(group), 7013);
  auto malformed = Create(alice_, "a/b@", &refused);
  EXPECT_EQ(malformed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(TimCodeOf(malformed), 7003);
  EXPECT_EQ(TimCodeOf(Create(alice_, "bob", &refused, tim::v1::CONV_INVALID)), 6017);
  EXPECT_EQ(ListedIds(alice_), std::vector<std::string>{"bob"});

  // A restart keeps it (a conversation row without messages).
  events.Cancel();
  alice_.Restart();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  EXPECT_EQ(ListedIds(alice_), std::vector<std::string>{"bob"});
  EventReader after_restart(alice_.Channel(), FromStart());

  // Its first message updates it: Update, not a second Add.
  ASSERT_TRUE(SendKeyedText(*alice_.Stubs(), "bob", "first").ok()) << alice_.log();
  ASSERT_TRUE(after_restart.WaitFor([](const tim::v1::Event& e) {
    return IsConvEvent(e, tim::v1::CONV_EVENT_UPDATE, "bob") && e.conv_event().conversations(0).is_has_last_msg();
  })) << alice_.log();
  EXPECT_EQ(CountConvEvents(after_restart, tim::v1::CONV_EVENT_ADD, "bob"), 1u);  // the one before the restart

  // Deleted like any other, then created anew.
  tim::v1::DeleteConversationRequest del;
  del.set_conv_id("bob");
  del.set_conv_type(tim::v1::CONV_C2C);
  tim::v1::DeleteConversationResponse deleted;
  grpc::ClientContext ctx;
  ASSERT_TRUE(alice_.Stubs()->conversations->DeleteConversation(&ctx, del, &deleted).ok());
  EXPECT_TRUE(after_restart.WaitFor([](const auto& e) { return IsConvEvent(e, tim::v1::CONV_EVENT_DEL, "bob"); }));
  EXPECT_EQ(ListedIds(alice_), std::vector<std::string>{});
  EXPECT_EQ(InfoCount(alice_, "bob"), 0);
  ASSERT_TRUE(Create(alice_, "bob", &created).ok());
  EXPECT_FALSE(created.conversation().is_has_last_msg());  // the deleted message stays deleted
  // The reader holds the Add from before the restart too: wait for the second.
  EXPECT_TRUE(Eventually([&] { return CountConvEvents(after_restart, tim::v1::CONV_EVENT_ADD, "bob") >= 2u; }))
      << alice_.log();
  EXPECT_EQ(CountConvEvents(after_restart, tim::v1::CONV_EVENT_ADD, "bob"), 2u);
  EXPECT_EQ(ListedIds(alice_), std::vector<std::string>{"bob"});
}

}  // namespace
}  // namespace timd::test
