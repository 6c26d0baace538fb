// Unread counts beyond one conversation (unread_counts.proto) on a real
// Prosody with two timd daemons: alice sends to bob; bob's
// TOTAL_UNREAD_CHANGED events follow each change of his total (new
// messages, MarkAllMessageAsRead, a delete) and never repeat a total;
// MarkAllMessageAsRead zeroes every conversation and alice sees bob's
// markers; GetUnreadMessageCountByFilter sums the matching conversations.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "integration/alice_bob_fixture.h"
#include "support/app_process.h"
#include "support/event_reader.h"
#include "support/requests.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

uint64_t TotalUnread(const TimdProcess& timd) {
  grpc::ClientContext ctx;
  tim::v1::GetTotalUnreadResponse response;
  EXPECT_TRUE(timd.Stubs()->conversations->GetTotalUnreadMessageCount(&ctx, {}, &response).ok());
  return response.unread_count();
}

grpc::Status UnreadByFilter(const TimdProcess& timd, const tim::v1::ConversationListFilter& filter,
                            uint64_t* unread) {
  grpc::ClientContext ctx;
  tim::v1::GetUnreadMessageCountByFilterRequest request;
  *request.mutable_filter() = filter;
  tim::v1::GetUnreadMessageCountByFilterResponse response;
  auto status = timd.Stubs()->conversations->GetUnreadMessageCountByFilter(&ctx, request, &response);
  *unread = response.unread_count();
  return status;
}

grpc::Status MarkAllRead(const TimdProcess& timd) {
  grpc::ClientContext ctx;
  tim::v1::MarkAllMessageAsReadResponse response;
  return timd.Stubs()->messages->MarkAllMessageAsRead(&ctx, {}, &response);
}

// The totals of every TOTAL_UNREAD_CHANGED event the reader holds, in order.
std::vector<uint64_t> Totals(const EventReader& reader) {
  std::vector<uint64_t> totals;
  for (const auto& e : reader.Events()) {
    if (e.has_total_unread_changed()) totals.push_back(e.total_unread_changed().unread_count());
  }
  return totals;
}

// Waits until the reader's latest total is `total` and returns all of them.
std::vector<uint64_t> WaitForTotal(const EventReader& reader, uint64_t total) {
  Eventually([&] {
    auto totals = Totals(reader);
    return !totals.empty() && totals.back() == total;
  });
  return Totals(reader);
}

bool HasConvUnread(const tim::v1::Event& e, const std::string& conv_id, uint64_t unread) {
  if (!e.has_conv_event() || e.conv_event().type() != tim::v1::CONV_EVENT_UPDATE) return false;
  for (const auto& c : e.conv_event().conversations()) {
    if (c.conv_id() == conv_id && c.unread_num() == unread) return true;
  }
  return false;
}

using UnreadCountsTest = AliceBobFixture;

TEST_F(UnreadCountsTest, TotalEventsFollowMessagesMarkAllReadAndDelete) {
  EventReader alice_events(alice_.Channel(), FromStart());
  EventReader bob_events(bob_.Channel(), FromStart());
  for (const char* text : {"u-1", "u-2", "u-3"}) {
    auto status = SendText(*alice_.Stubs(), "bob", text);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  ASSERT_TRUE(bob_events.WaitFor(HasTextMessage("u-3"))) << bob_.log();
  auto totals = WaitForTotal(bob_events, 3);
  ASSERT_FALSE(totals.empty()) << bob_.log();
  EXPECT_EQ(totals.back(), 3u);
  // One event per change: never the same total twice in a row, and rising
  // while messages only arrive.
  for (size_t i = 1; i < totals.size(); ++i) EXPECT_GT(totals[i], totals[i - 1]) << i;
  EXPECT_EQ(TotalUnread(bob_), 3u);

  // By filter: C2C and "has unread" match the conversation; a mark it does
  // not have and a conversation group match nothing.
  uint64_t unread = 99;
  tim::v1::ConversationListFilter c2c;
  c2c.set_conv_type(tim::v1::CONV_C2C);
  ASSERT_TRUE(UnreadByFilter(bob_, c2c, &unread).ok());
  EXPECT_EQ(unread, 3u);
  tim::v1::ConversationListFilter has_unread;
  has_unread.set_has_unread_count(true);
  ASSERT_TRUE(UnreadByFilter(bob_, has_unread, &unread).ok());
  EXPECT_EQ(unread, 3u);
  tim::v1::ConversationListFilter starred;
  starred.set_mark_type(1);
  ASSERT_TRUE(UnreadByFilter(bob_, starred, &unread).ok());
  EXPECT_EQ(unread, 0u);
  tim::v1::ConversationListFilter grouped;
  grouped.set_conversation_group("work");
  ASSERT_TRUE(UnreadByFilter(bob_, grouped, &unread).ok());
  EXPECT_EQ(unread, 0u);

  // Mark all read: the total is 0 at once, the conversation says so, one
  // event carries 0, and alice learns from bob's marker.
  auto marked = MarkAllRead(bob_);
  ASSERT_TRUE(marked.ok()) << marked.error_message();
  EXPECT_EQ(TotalUnread(bob_), 0u);
  EXPECT_TRUE(bob_events.WaitFor([](const tim::v1::Event& e) { return HasConvUnread(e, "alice", 0); }));
  totals = WaitForTotal(bob_events, 0);
  ASSERT_FALSE(totals.empty());
  EXPECT_EQ(totals.back(), 0u);
  ASSERT_TRUE(alice_events.WaitFor(HasPayload(tim::v1::Event::kMsgReadReceipts))) << alice_.log();
  ASSERT_TRUE(has_unread.has_unread_count());
  ASSERT_TRUE(UnreadByFilter(bob_, has_unread, &unread).ok());
  EXPECT_EQ(unread, 0u);

  // Nothing unread: marking again succeeds and publishes nothing; the next
  // message's total follows the 0 directly.
  ASSERT_TRUE(MarkAllRead(bob_).ok());
  ASSERT_TRUE(SendText(*alice_.Stubs(), "bob", "u-4").ok());
  auto after = WaitForTotal(bob_events, 1);
  ASSERT_EQ(after.size(), totals.size() + 1) << bob_.log();
  EXPECT_EQ(after.back(), 1u);

  // Deleting the conversation takes its unread message with it.
  {
    grpc::ClientContext ctx;
    tim::v1::DeleteConversationRequest request;
    request.set_conv_id("alice");
    request.set_conv_type(tim::v1::CONV_C2C);
    tim::v1::DeleteConversationResponse response;
    ASSERT_TRUE(bob_.Stubs()->conversations->DeleteConversation(&ctx, request, &response).ok());
  }
  auto deleted = WaitForTotal(bob_events, 0);
  ASSERT_EQ(deleted.size(), after.size() + 1);
  EXPECT_EQ(TotalUnread(bob_), 0u);

  // The events are journaled: a new reader replays the same totals.
  EventReader replay(bob_.Channel(), FromStart());
  EXPECT_EQ(WaitForTotal(replay, 0), deleted);
}

TEST_F(UnreadCountsTest, CallsNeedALogin) {
  {
    grpc::ClientContext ctx;
    tim::v1::LogoutResponse response;
    ASSERT_TRUE(bob_.Stubs()->session->Logout(&ctx, {}, &response).ok()) << bob_.log();
  }
  uint64_t unread = 0;
  auto by_filter = UnreadByFilter(bob_, {}, &unread);
  EXPECT_EQ(by_filter.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << by_filter.error_message();
  auto marked = MarkAllRead(bob_);
  EXPECT_EQ(marked.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << marked.error_message();
}

}  // namespace
}  // namespace timd::test
