// TIMConvCreate and TIMMsgCancelSend through libtimclient
// (conv_create_cancel_app) against alice's timd on a real Prosody: the
// ConvInfo result and ConvEvent Add with TIM's keys, the codes for groups,
// sent and unknown messages, and a message cancelled while the server is
// gone (killed): cb 0, the send's callback 8021, history status 7; sent
// again with its JSON (TIM's resend) it is back to status 1 until the server
// returns, then 2, with a ConvEvent Update showing it as the last message.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "integration/client/alice_fixture.h"
#include "support/app_process.h"
#include "support/message_sets.h"

namespace timd::test {
namespace {

using json = nlohmann::json;
using ClientConvCreateCancelTest = AliceFixture;

TEST_F(ClientConvCreateCancelTest, CreateAndCancelCarryTimKeysAndCodes) {
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  // Else the app could miss the Add of its own first call.
  StoreAppCursor("conv-create-cancel-app");
  auto args = AliceArgs("conv-create-cancel-app");
  args.insert(args.end(), {"--peer", "bob"});
  AppProcess app("tests/integration/client/conv_create_cancel_app", args);
  app.Start();
  ASSERT_TRUE(app.WaitOutput("ready", std::chrono::seconds(60))) << app.output() << alice_.log();

  const json created = LineJson(app, "create 0");
  ASSERT_TRUE(created.is_object()) << app.output();
  EXPECT_EQ(created["conv_id"], "bob");
  EXPECT_EQ(created["conv_type"], 1);
  EXPECT_EQ(created["conv_is_has_lastmsg"], false);
  EXPECT_GT(created["conv_active_time"].get<uint64_t>(), 0u);
  EXPECT_EQ(LineJson(app, "create-again 0")["conv_active_time"], created["conv_active_time"]) << app.output();
  EXPECT_EQ(CodeOf(app, "create-group"), 7013) << app.output();
  EXPECT_EQ(CodeOf(app, "create-null"), -4) << app.output();  // TIM_ERR_PARAM
  EXPECT_EQ(CodeOf(app, "cancel-sent"), 8020) << app.output();
  EXPECT_EQ(CodeOf(app, "cancel-unknown"), 7011) << app.output();
  EXPECT_EQ(CodeOf(app, "cancel-null"), -4) << app.output();

  prosody_.Kill9();  // the server is gone: the next send stays in the outbox
  ASSERT_TRUE(app.WaitOutput("resend-id", std::chrono::seconds(60))) << app.output() << alice_.log();
  EXPECT_EQ(CodeOf(app, "cancel"), 0) << app.output() << alice_.log();
  EXPECT_EQ(CodeOf(app, "unsent"), 8021) << app.output();
  // The resend reuses the message (same id) and puts it back in the outbox.
  std::string unsent_id;
  for (const auto& line : Lines(app.output())) {
    if (line.rfind("resend-id ", 0) == 0) unsent_id = line.substr(10);
  }
  ASSERT_FALSE(unsent_id.empty()) << app.output();
  bool sending_again = false;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
       !sending_again && std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(std::chrono::milliseconds(50))) {
    const auto history = History(alice_, "bob");
    sending_again = !history.empty() && history[0].msg_id() == unsent_id &&
                    history[0].status() == tim::v1::MSG_SENDING;
  }
  EXPECT_TRUE(sending_again) << "the resent message is back to status 1\n" << alice_.log();
  prosody_.Restart();
  ASSERT_TRUE(app.WaitOutput("done", std::chrono::seconds(90))) << app.output() << alice_.log();
  const json resent = LineJson(app, "resend 0");
  ASSERT_TRUE(resent.is_object()) << app.output() << alice_.log();
  EXPECT_EQ(resent["message_msg_id"], unsent_id);
  EXPECT_EQ(resent["message_status"], 2);  // kTIMMsg_SendSucc
  // The conversation follows: an Update whose last message is the resent one.
  bool updated = false;
  for (const auto& line : Lines(app.output())) {
    if (line.rfind("conv-event 2 ", 0) != 0) continue;
    const json event = json::parse(line.substr(13), nullptr, false);
    if (!event.is_array() || event.empty()) continue;
    const json& last = event[0]["conv_last_msg"];
    updated = updated || (last.is_object() && last["message_msg_id"] == unsent_id && last["message_status"] == 2);
  }
  EXPECT_TRUE(updated) << app.output();

  // ConvEvent Add once, for the conversation created (the second create and
  // the messages after it are Updates).
  int adds = 0;
  for (const auto& line : Lines(app.output())) {
    if (line.rfind("conv-event 0 ", 0) != 0) continue;
    ++adds;
    const json event = json::parse(line.substr(13), nullptr, false);
    ASSERT_TRUE(event.is_array() && event.size() == 1) << line;
    EXPECT_EQ(event[0]["conv_id"], "bob");
    EXPECT_EQ(event[0]["conv_is_has_lastmsg"], false);
  }
  EXPECT_EQ(adds, 1) << app.output();
  const auto history = History(alice_, "bob");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].status(), tim::v1::MSG_SEND_SUCC);  // newest first: the resent one
  EXPECT_EQ(history[1].status(), tim::v1::MSG_SEND_SUCC);
}

}  // namespace
}  // namespace timd::test
