// The C example apps (client-lib/examples), which use only the TIM C API,
// against a real Prosody and timd: an echo bot, two apps sharing one login,
// an app restarted mid-stream, timd restarted under a running app, and the
// shared-login policy.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "alice_fixture.h"
#include "support/app_process.h"
#include "support/event_reader.h"
#include "support/peer_process.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/temp_dir.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

// An example app from client-lib/examples.
class App : public AppProcess {
 public:
  App(const std::string& program, std::vector<std::string> args)
      : AppProcess("client-lib/examples/" + program, std::move(args)) {}
};

class ClientAppsTest : public AliceFixture {
 protected:
  // An event_recorder for alice writing to `out`.
  std::unique_ptr<App> Recorder(const std::string& consumer, const std::string& out) const {
    auto args = AliceArgs(consumer);
    args.insert(args.end(), {"--out", out});
    return std::make_unique<App>("event_recorder", args);
  }

  // The texts recorded in `path` that start with `prefix`, in order.
  static std::vector<std::string> Recorded(const std::string& path, const std::string& prefix = "echo: m-") {
    std::vector<std::string> texts;
    for (const auto& line : Lines(ReadFile(path))) {
      auto space = line.find(' ');
      std::string text = space == std::string::npos ? "" : line.substr(space + 1);
      if (text.rfind(prefix, 0) == 0) texts.push_back(text);
    }
    return texts;
  }

  // A brand-new consumer starts live once its subscription is in place,
  // which the app cannot observe: send warm-up messages until every file
  // has recorded one, so the test's own messages cannot race it.
  void WarmUp(const std::vector<std::string>& files) {
    for (int i = 0; i < 10; ++i) {
      Send("warm-" + std::to_string(i));
      bool all = Eventually(
          [&] {
            for (const auto& f : files) {
              if (Recorded(f, "echo: warm-").empty()) return false;
            }
            return true;
          },
          3s);
      if (all) return;
    }
    FAIL() << "the apps never received a warm-up message\n" << alice_.log();
  }

  static std::vector<std::string> Expected(int from, int to) {
    std::vector<std::string> texts;
    for (int i = from; i <= to; ++i) texts.push_back("echo: m-" + std::to_string(i));
    return texts;
  }
};

TEST_F(ClientAppsTest, EchoBotAnswersAPeerAndCatchesUpAfterARestart) {
  TimdProcess bob;
  ASSERT_NO_FATAL_FAILURE(StartWithBob(bob));

  auto bot = std::make_unique<App>("echo_bot", AliceArgs("echo-bot"));
  bot->Start();
  ASSERT_TRUE(bot->WaitOutput("echo_bot ready")) << bot->output();
  tim::v1::SubscribeRequest from_start;
  from_start.set_since_seq(0);
  EventReader bob_events(bob.Channel(), from_start);
  auto bob_send = [&](const std::string& text) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 20s);
    tim::v1::SendMessageResponse response;
    ASSERT_TRUE(bob.Stubs()->messages->SendMessage(&ctx, TextTo("alice", text), &response).ok());
  };
  // The bot's first subscription starts live: retry until it is in place.
  bool answered = false;
  for (int i = 0; i < 10 && !answered; ++i) {
    bob_send("ping-" + std::to_string(i));
    answered = bob_events.WaitFor(HasTextMessage("echo: ping-" + std::to_string(i)), 3s);
  }
  ASSERT_TRUE(answered) << bot->output() << alice_.log();

  // Away and back: its durable cursor brings what came meanwhile.
  ASSERT_EQ(bot->Stop(), std::optional<int>(0)) << bot->output();
  bob_send("while-away");
  bot = std::make_unique<App>("echo_bot", AliceArgs("echo-bot"));
  bot->Start();
  EXPECT_TRUE(bob_events.WaitFor(HasTextMessage("echo: while-away"), 20s)) << bot->output();
}

TEST_F(ClientAppsTest, TwoAppsSharingOneLoginEachGetEveryMessageOnceInOrder) {
  PeerProcess bob(prosody_, "bob", "bob-secret");
  bob.Start();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  const std::string out_a = work_.File("a.txt"), out_b = work_.File("b.txt");
  auto a = Recorder("recorder-a", out_a);
  auto b = Recorder("recorder-b", out_b);
  a->Start();
  b->Start();
  ASSERT_TRUE(a->WaitOutput("event_recorder ready")) << a->output();
  ASSERT_TRUE(b->WaitOutput("event_recorder ready")) << b->output();
  WarmUp({out_a, out_b});

  for (int i = 1; i <= 10; ++i) Send("m-" + std::to_string(i));
  const auto expected = Expected(1, 10);
  EXPECT_TRUE(Eventually([&] { return Recorded(out_a).size() >= 10 && Recorded(out_b).size() >= 10; }));
  std::this_thread::sleep_for(300ms);  // a duplicate would show up now
  EXPECT_EQ(Recorded(out_a), expected);
  EXPECT_EQ(Recorded(out_b), expected);
  EXPECT_EQ(a->Stop(), std::optional<int>(0));
  EXPECT_EQ(b->Stop(), std::optional<int>(0));
}

TEST_F(ClientAppsTest, AppRestartedMidStreamResumesWithoutLossOrDuplicate) {
  PeerProcess bob(prosody_, "bob", "bob-secret");
  bob.Start();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  const std::string out = work_.File("rec.txt");
  auto app = Recorder("restarting", out);
  app->Start();
  ASSERT_TRUE(app->WaitOutput("event_recorder ready")) << app->output();
  WarmUp({out});

  // A steady stream; the app goes away and comes back in the middle of it.
  std::atomic<bool> send_failed{false};
  std::thread sender([&] {
    for (int i = 1; i <= 20; ++i) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + 20s);
      tim::v1::SendMessageResponse response;
      if (!alice_.Stubs()->messages->SendMessage(&ctx, TextTo("bob", "m-" + std::to_string(i)), &response).ok()) {
        send_failed = true;
      }
      std::this_thread::sleep_for(100ms);
    }
  });
  EXPECT_TRUE(Eventually([&] { return Recorded(out).size() >= 5; }));
  EXPECT_EQ(app->Stop(), std::optional<int>(0)) << app->output();
  std::this_thread::sleep_for(500ms);
  app = Recorder("restarting", out);  // same consumer, same file
  app->Start();
  sender.join();
  EXPECT_FALSE(send_failed);
  EXPECT_TRUE(Eventually([&] { return Recorded(out).size() >= 20; })) << app->output();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(Recorded(out), Expected(1, 20));
}

TEST_F(ClientAppsTest, TimdRestartedUnderARunningAppNoGapNoDuplicate) {
  PeerProcess bob(prosody_, "bob", "bob-secret");
  bob.Start();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  const std::string out = work_.File("rec.txt");
  auto app = Recorder("survivor", out);
  app->Start();
  ASSERT_TRUE(app->WaitOutput("event_recorder ready")) << app->output();
  WarmUp({out});

  for (int i = 1; i <= 5; ++i) Send("m-" + std::to_string(i));
  ASSERT_TRUE(Eventually([&] { return Recorded(out).size() >= 5; })) << app->output();
  alice_.Restart();
  // The app noticed: timd unreachable (Disconnected = 1).
  EXPECT_TRUE(app->WaitOutput("network 1 ")) << app->output();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  for (int i = 6; i <= 10; ++i) Send("m-" + std::to_string(i));
  EXPECT_TRUE(Eventually([&] { return Recorded(out).size() >= 10; })) << app->output() << alice_.log();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(Recorded(out), Expected(1, 10)) << alice_.log() << "\n---APP\n" << app->output() << "\n---BOB\n" << bob.output();
  // ... and back in touch (Connected = 0) after the disconnect.
  const std::string output = app->output();
  EXPECT_NE(output.find("network 0 ", output.find("network 1 ")), std::string::npos) << output;
  EXPECT_EQ(app->Stop(), std::optional<int>(0));
}

TEST_F(ClientAppsTest, SharedLoginPolicyAndCoreCalls) {
  PeerProcess bob(prosody_, "bob", "bob-secret");
  bob.Start();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();

  // Same identity: attached at once. Another identity: 7501, and this app
  // stays attached. Logout detaches this app only: timd stays logged in.
  auto args = AliceArgs("cli");
  args.insert(args.end(), {"login", "status", "userid", "login-as", "bob", secrets_.File("bob"), "status", "send",
                           "bob", "hello \"bob\"", "history", "bob", "5", "convs", "logout", "status"});
  App cli("tim_cli", args);
  cli.Start();
  auto exit = cli.Wait();
  const auto lines = Lines(cli.output());
  ASSERT_TRUE(exit.has_value()) << cli.output();
  auto line = [&](const std::string& prefix) -> std::string {
    for (const auto& l : lines) {
      if (l.rfind(prefix, 0) == 0) return l;
    }
    return "(missing " + prefix + ")";
  };
  EXPECT_EQ(line("login 0"), "login 0 ") << cli.output();
  EXPECT_EQ(line("userid"), "userid 0 alice");
  EXPECT_EQ(line("login 7501").substr(0, 10), "login 7501") << cli.output();
  std::vector<std::string> statuses;
  for (const auto& l : lines) {
    if (l.rfind("status ", 0) == 0) statuses.push_back(l);
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"status 1", "status 1", "status 3"})) << cli.output();
  EXPECT_NE(line("send 0").find(R"("text_elem_content":"hello \"bob\"")"), std::string::npos) << cli.output();
  EXPECT_NE(line("msgid ").find("msgid timc-"), std::string::npos) << cli.output();
  EXPECT_NE(line("history 0").find("hello"), std::string::npos) << cli.output();
  EXPECT_NE(line("convs 0").find(R"("conv_id":"bob")"), std::string::npos) << cli.output();
  EXPECT_EQ(line("logout"), "logout 0 ");
  EXPECT_EQ(alice_.LoginStatus(), tim::v1::LOGINED) << "TIMLogout must not log the shared account out";

  // The explicit flag logs timd out for everyone.
  auto server_args = AliceArgs("cli");
  server_args.insert(server_args.end(), {"login", "logout-server"});
  App cli2("tim_cli", server_args);
  cli2.Start();
  ASSERT_EQ(cli2.Wait(), std::optional<int>(0)) << cli2.output();
  EXPECT_NE(cli2.output().find("logout-server 0"), std::string::npos) << cli2.output();
  EXPECT_TRUE(Eventually([&] { return alice_.LoginStatus() == tim::v1::UNLOGINED; }, 10s));
}

// Bob's timd reads alice's message: alice's app gets TIM callback #2 with
// TIM's keys, and bob's app sees the unread count drop (TIMMsgReportReaded,
// TIMConvGetTotalUnreadMessageCount).
TEST_F(ClientAppsTest, ReadReceiptsReachTheCallbackWithTimKeys) {
  TimdProcess bob;
  ASSERT_NO_FATAL_FAILURE(StartWithBob(bob));
  const std::string file = work_.File("receipts.txt");
  auto args = AliceArgs("receipts");
  args.insert(args.end(), {"--out", file, "--all"});
  App recorder("event_recorder", args);
  recorder.Start();
  ASSERT_TRUE(recorder.WaitOutput("event_recorder ready")) << recorder.output();
  // Its own messages (--all) show when its subscription is in place.
  bool subscribed = false;
  for (int i = 0; i < 10 && !subscribed; ++i) {
    Send("warm-" + std::to_string(i));
    subscribed = Eventually([&] { return !Recorded(file, "warm-").empty(); }, 3s);
  }
  ASSERT_TRUE(subscribed) << alice_.log();
  EventReader bob_events(bob.Channel(), FromStart());
  ASSERT_TRUE(bob_events.WaitFor(HasTextMessage("warm-0"))) << bob.log();

  App cli("tim_cli", {"--socket", bob.socket_path(), "--consumer", "cli", "--user", "bob", "--sig-file",
                      secrets_.File("bob"), "login", "read", "alice", "unread"});
  cli.Start();
  ASSERT_EQ(cli.Wait(), std::optional<int>(0)) << cli.output();
  EXPECT_NE(cli.output().find("read 0 \n"), std::string::npos) << cli.output();
  EXPECT_NE(cli.output().find(R"(unread 0 {"conv_get_total_unread_message_count_result_unread_count":0})"),
            std::string::npos)
      << cli.output();

  std::string line;
  ASSERT_TRUE(Eventually(
      [&] {
        for (const auto& l : Lines(ReadFile(file))) {
          if (l.rfind("receipts ", 0) == 0) line = l.substr(9);
        }
        return !line.empty();
      },
      10s))
      << ReadFile(file) << alice_.log();
  const auto receipts = nlohmann::json::parse(line);
  ASSERT_TRUE(receipts.is_array() && !receipts.empty()) << line;
  const auto& conv = receipts[0];
  EXPECT_EQ(conv["msg_receipt_conv_id"], "bob") << line;
  EXPECT_EQ(conv["msg_receipt_conv_type"], 1) << line;
  EXPECT_EQ(conv["msg_receipt_msg_id"], "") << line;
  EXPECT_EQ(conv["msg_receipt_is_peer_read"], true) << line;
  EXPECT_GT(conv["msg_receipt_time_stamp"].get<uint64_t>(), 0u) << line;
  recorder.Stop();
}

// Apps sharing one login are siblings (tim-xmpp-mapping.md §13.4): the app
// that sends a message hears of it through its send callback only, the
// others get it through RecvNewMsg, as another device's app would.
TEST_F(ClientAppsTest, ASentMessageReachesSiblingAppsButNotItsSender) {
  PeerProcess bob(prosody_, "bob", "bob-secret");
  bob.Start();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  const std::string out = work_.File("sibling.txt");
  auto args = AliceArgs("recorder");
  args.insert(args.end(), {"--out", out, "--all"});
  App recorder("event_recorder", args);
  recorder.Start();
  ASSERT_TRUE(recorder.WaitOutput("event_recorder ready")) << recorder.output();
  WarmUp({out});

  args = AliceArgs("sender");
  args.insert(args.end(), {"--peer", "bob", "--text", "own-1", "--until", "echo: own-1"});
  AppProcess sender("tests/integration/client/sibling_app", args);
  sender.Start();
  // The sender sends once a first message shows its subscription is live.
  for (int i = 0; i < 10 && !sender.WaitOutput("recv ", 2s); ++i) Send("sender-warm-" + std::to_string(i));
  ASSERT_EQ(sender.Wait(), std::optional<int>(0)) << sender.output();
  const std::string sender_output = sender.output();
  EXPECT_NE(sender_output.find("send 0 "), std::string::npos) << sender_output;
  EXPECT_NE(sender_output.find("recv 0 echo: own-1"), std::string::npos) << sender_output;
  EXPECT_EQ(sender_output.find("recv 1 own-1"), std::string::npos) << sender_output;
  EXPECT_EQ(sender_output.find("timeout"), std::string::npos) << sender_output;
  // The sibling got it, before bob's echo of it.
  EXPECT_TRUE(Eventually([&] { return !Recorded(out, "echo: own-1").empty(); })) << recorder.output();
  EXPECT_EQ(Recorded(out, "own-1"), std::vector<std::string>{"own-1"});
  EXPECT_EQ(recorder.Stop(), std::optional<int>(0));
}

}  // namespace
}  // namespace timd::test
