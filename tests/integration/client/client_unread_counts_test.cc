// The unread-count calls and change callbacks through libtimclient
// (unread_counts_app) against alice's timd on a real Prosody, bob's timd
// sending: TIMConvGetUnreadMessageCountByFilter's TIM key, the total and
// by-filter callbacks following a new message and
// TIMMsgMarkAllMessageAsRead, the codes of bad filters, and bob's timd
// learning of alice's reading.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "integration/client/alice_fixture.h"
#include "support/app_process.h"
#include "support/event_reader.h"
#include "support/message_sets.h"

namespace timd::test {
namespace {

using json = nlohmann::json;
using ClientUnreadCountsTest = AliceFixture;

constexpr const char* kTotalKey = "conv_get_total_unread_message_count_result_unread_count";

uint64_t TotalUnread(const TimdProcess& timd) {
  grpc::ClientContext ctx;
  tim::v1::GetTotalUnreadResponse response;
  EXPECT_TRUE(timd.Stubs()->conversations->GetTotalUnreadMessageCount(&ctx, {}, &response).ok());
  return response.unread_count();
}

// The position of the app's first line equal to `line`; npos when none.
size_t LineAt(const AppProcess& app, const std::string& line) {
  const auto lines = Lines(app.output());
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == line) return i;
  }
  return std::string::npos;
}

TEST_F(ClientUnreadCountsTest, CallbacksFollowNewMessagesAndMarkAllRead) {
  TimdProcess bob;
  ASSERT_NO_FATAL_FAILURE(StartWithBob(bob));
  EventReader bob_events(bob.Channel(), FromStart());
  for (const char* text : {"m-1", "m-2"}) ASSERT_TRUE(SendText(*bob.Stubs(), "alice", text).ok()) << bob.log();
  ASSERT_TRUE(Eventually([&] { return TotalUnread(alice_) == 2; })) << alice_.log();

  ASSERT_NO_FATAL_FAILURE(StoreAppCursor("unread-counts-app"));
  AppProcess app("tests/integration/client/unread_counts_app", AliceArgs("unread-counts-app"));
  app.Start();
  ASSERT_TRUE(app.WaitOutput("ready", std::chrono::seconds(60))) << app.output() << alice_.log();
  EXPECT_EQ(CodeOf(app, "subscribe"), 0) << app.output();
  EXPECT_EQ(CodeOf(app, "subscribe-malformed"), -3) << app.output();  // TIM_ERR_JSON
  EXPECT_EQ(CodeOf(app, "unsubscribe-unknown"), -4) << app.output();  // TIM_ERR_PARAM
  const json by_filter = LineJson(app, "by-filter 0");
  ASSERT_TRUE(by_filter.is_object()) << app.output();
  EXPECT_EQ(by_filter[kTotalKey], 2) << app.output();
  // The events of m-1 and m-2 replayed before the app asked for the total
  // did not reach its total callback.
  EXPECT_EQ(LineJson(app, "total-count 0")[kTotalKey], 2) << app.output();
  for (const char* early : {"total 1", "total 2"}) EXPECT_EQ(LineAt(app, early), std::string::npos) << app.output();

  ASSERT_TRUE(SendText(*bob.Stubs(), "alice", "m-3").ok()) << bob.log();
  ASSERT_TRUE(app.WaitOutput("done", std::chrono::seconds(60))) << app.output() << alice_.log();
  EXPECT_EQ(app.output().find("no-rise"), std::string::npos) << app.output();
  EXPECT_EQ(app.output().find("no-zero"), std::string::npos) << app.output();
  EXPECT_EQ(CodeOf(app, "mark-all-read"), 0) << app.output();
  EXPECT_EQ(LineJson(app, "by-filter-after 0")[kTotalKey], 0) << app.output();
  EXPECT_EQ(CodeOf(app, "unsubscribe"), 0) << app.output();

  // The total callback: 3 after m-3, then 0 after mark-all-read; the
  // by-filter one the same, with the filter as subscribed.
  const std::string filter = json{{"conversation_list_filter_conv_type", 1}}.dump();
  const size_t total_3 = LineAt(app, "total 3");
  const size_t total_0 = LineAt(app, "total 0");
  ASSERT_NE(total_3, std::string::npos) << app.output();
  ASSERT_NE(total_0, std::string::npos) << app.output();
  EXPECT_LT(total_3, total_0) << app.output();
  const size_t filter_3 = LineAt(app, "filter-changed 3 " + filter);
  const size_t filter_0 = LineAt(app, "filter-changed 0 " + filter);
  ASSERT_NE(filter_3, std::string::npos) << app.output();
  ASSERT_NE(filter_0, std::string::npos) << app.output();
  EXPECT_LT(filter_3, filter_0) << app.output();
  EXPECT_EQ(TotalUnread(alice_), 0u);

  // Bob's daemon hears of alice's reading (her marker).
  EXPECT_TRUE(bob_events.WaitFor(HasPayload(tim::v1::Event::kMsgReadReceipts))) << bob.log();
}

}  // namespace
}  // namespace timd::test
