// timctl conv-create and cancel-send against a real Prosody and timd: the
// commands' --json output, timd's state after them, and refusals' exit code
// 3 with their TIM codes. cancel-send succeeds while the server is gone
// (Prosody killed), with the waiting `timctl send` ending with 8021.
#include <gtest/gtest.h>

#include <thread>

#include "alice_timd_fixture.h"
#include "support/event_reader.h"
#include "support/requests.h"

namespace timd::test {
namespace {

using TimctlConvCreateCancelTest = AliceTimdFixture;

TEST_F(TimctlConvCreateCancelTest, ConvCreateShowsTheConversationWithoutAMessage) {
  auto created = Timctl({"conv-create", "bob", "--json"});
  ASSERT_EQ(created.exit_code, 0) << created.Describe() << timd_.log();
  const auto conv = created.JsonLines().at(0)["conversation"];
  EXPECT_EQ(conv["conv_id"], "bob");
  EXPECT_EQ(conv["conv_type"], "CONV_C2C");
  EXPECT_FALSE(conv.contains("last_msg")) << conv;
  auto listed = Timctl({"convs", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.Describe();
  EXPECT_EQ(listed.JsonLines().at(0)["conversations"].at(0)["conv_id"], "bob") << listed.out;
  auto again = Timctl({"conv-create", "bob"});
  EXPECT_EQ(again.exit_code, 0) << again.Describe();
  EXPECT_NE(again.out.find("bob"), std::string::npos) << again.out;

  auto malformed = Timctl({"conv-create", "a/b@", "--json"});
  EXPECT_EQ(malformed.exit_code, 3) << malformed.Describe();
  EXPECT_EQ(malformed.ErrorJson()["tim_code"], 7003) << malformed.err;
}

TEST_F(TimctlConvCreateCancelTest, CancelSendWhileOfflineAndItsRefusals) {
  auto sent = Timctl({"send", "bob", "out", "--id", "sent-1"});
  ASSERT_EQ(sent.exit_code, 0) << sent.Describe();
  auto already = Timctl({"cancel-send", "bob", "sent-1", "--json"});
  EXPECT_EQ(already.exit_code, 3) << already.Describe();
  EXPECT_EQ(already.ErrorJson()["tim_code"], 8020) << already.err;
  EXPECT_EQ(already.ErrorJson()["grpc_code"], 9) << already.err;  // FAILED_PRECONDITION
  auto unknown = Timctl({"cancel-send", "bob", "no-such-message", "--json"});
  EXPECT_EQ(unknown.exit_code, 3) << unknown.Describe();
  EXPECT_EQ(unknown.ErrorJson()["tim_code"], 7011) << unknown.err;

  EventReader events(timd_.Channel(), FromStart());
  prosody_.Kill9();
  ASSERT_TRUE(events.WaitFor([](const tim::v1::Event& e) {
    return e.has_network_status() && e.network_status().status() == tim::v1::NET_DISCONNECTED;
  })) << timd_.log();
  TimctlResult waiting;
  TimctlRunner send_runner;  // its own files: runner_ serves this thread
  std::thread send([&] {
    waiting = send_runner.Run({"--socket", timd_.socket_path(), "send", "bob", "never", "--id", "unsent-1", "--json"});
  });
  TimctlResult cancelled;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
       std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(std::chrono::milliseconds(50))) {
    cancelled = Timctl({"cancel-send", "bob", "unsent-1", "--json"});
    if (cancelled.exit_code == 0) break;  // else not stored yet (7011)
  }
  send.join();
  ASSERT_EQ(cancelled.exit_code, 0) << cancelled.Describe() << timd_.log();
  EXPECT_EQ(cancelled.JsonLines().at(0)["message"]["status"], "MSG_CANCEL") << cancelled.out;
  EXPECT_EQ(waiting.exit_code, 3) << waiting.Describe();
  EXPECT_EQ(waiting.ErrorJson()["tim_code"], 8021) << waiting.err;
  auto history = Timctl({"history", "bob", "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.Describe();
  EXPECT_EQ(history.JsonLines().at(0)["messages"][0]["msg_id"], "unsent-1") << history.out;
  EXPECT_EQ(history.JsonLines().at(0)["messages"][0]["status"], "MSG_CANCEL") << history.out;
}

}  // namespace
}  // namespace timd::test
