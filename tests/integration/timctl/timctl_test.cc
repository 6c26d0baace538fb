// timctl against a real Prosody and timd: every subcommand, replay with
// tail --since, consumer cursors with --ack, SIGTERM ending tail with 0, and
// the documented exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <thread>

#include "support/child_process.h"
#include "support/event_reader.h"
#include "support/peer_process.h"
#include "support/prosody_fixture.h"
#include "support/timd_process.h"
#include "timctl_runner.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

// Every event the journal holds now (ends after a quiet half second).
std::vector<tim::v1::Event> JournalEvents(const TimdProcess& timd) {
  tim::v1::SubscribeRequest request;
  request.set_since_seq(0);
  EventReader reader(timd.Channel(), request);
  reader.WaitFor([](const tim::v1::Event&) { return false; }, 500ms);
  return reader.Events();
}

bool WaitForFileText(const std::string& path, const std::string& text, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (ReadFile(path).find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

class TimctlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prosody_.Start();
    prosody_.AddUser("alice", "alicepw");
    prosody_.AddUser("bob", "bobpw");
    timd_.UseProsody(prosody_);
  }

  // Runs timctl against this test's timd.
  TimctlResult Timctl(std::vector<std::string> args, const std::string& stdin_file = "") {
    args.insert(args.begin(), {"--socket", timd_.socket_path()});
    return runner_.Run(args, stdin_file);
  }

  ProsodyServer prosody_;
  TimdProcess timd_;
  TimctlRunner runner_;
};

TEST_F(TimctlTest, StatusShowsTheServerFeaturesTimdUses) {
  timd_.LoginAs("alice", "alicepw");
  timd_.Start();
  ASSERT_TRUE(timd_.WaitLoggedIn()) << timd_.log();
  // Stream management and CSI come with the stream; carbons (on the
  // domain) and the archive (on the account) with disco#info answers.
  const nlohmann::json expected = {"urn:xmpp:carbons:2", "urn:xmpp:csi:0", "urn:xmpp:mam:2", "urn:xmpp:sm:3"};
  nlohmann::json features;
  for (auto deadline = std::chrono::steady_clock::now() + 10s;
       features != expected && std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(50ms)) {
    auto status = Timctl({"status", "--json"});
    ASSERT_EQ(status.exit_code, 0) << status.Describe();
    features = status.JsonLines().at(0)["server_features"];
  }
  EXPECT_EQ(features, expected) << timd_.log();
  auto human = Timctl({"status"});
  EXPECT_NE(human.out.find("\nserver features: urn:xmpp:carbons:2 urn:xmpp:csi:0 urn:xmpp:mam:2 urn:xmpp:sm:3"),
            std::string::npos)
      << human.out;
}

TEST_F(TimctlTest, StatusSendHistoryConvsAndTail) {
  PeerProcess bob(prosody_, "bob", "bobpw");
  bob.Start();
  timd_.LoginAs("alice", "alicepw");
  timd_.Start();
  ASSERT_TRUE(timd_.WaitLoggedIn()) << timd_.log();

  auto status = Timctl({"status", "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.Describe();
  auto status_json = status.JsonLines().at(0);
  EXPECT_EQ(status_json["status"], "LOGINED");
  EXPECT_EQ(status_json["user_id"], "alice");
  auto human_status = Timctl({"status"});
  EXPECT_EQ(human_status.exit_code, 0);
  EXPECT_EQ(human_status.out.rfind("LOGINED alice", 0), 0u) << human_status.out;

  auto sent = Timctl({"send", "bob", "hello timctl", "--id", "timctl-1", "--json"});
  ASSERT_EQ(sent.exit_code, 0) << sent.Describe() << timd_.log();
  auto sent_json = sent.JsonLines().at(0);
  EXPECT_EQ(sent_json["message"]["msg_id"], "timctl-1");
  EXPECT_EQ(sent_json["message"]["status"], "MSG_SEND_SUCC");
  ASSERT_TRUE(bob.WaitReceived(1)) << bob.output();
  EXPECT_EQ(bob.ReceivedLines().front(), "timctl-1\thello timctl");

  tim::v1::SubscribeRequest sub;
  sub.set_since_seq(0);
  EventReader echo(timd_.Channel(), sub);
  ASSERT_TRUE(echo.WaitFor(HasTextMessage("echo: hello timctl"))) << timd_.log();
  echo.Cancel();

  // history: newest first in JSON, oldest first for people; paging with --before.
  auto history = Timctl({"history", "bob", "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.Describe();
  auto messages = history.JsonLines().at(0)["messages"];
  ASSERT_EQ(messages.size(), 2u) << history.out;
  EXPECT_EQ(messages[0]["elems"][0]["text"]["content"], "echo: hello timctl");
  EXPECT_EQ(messages[1]["elems"][0]["text"]["content"], "hello timctl");
  auto human_history = Timctl({"history", "bob"});
  EXPECT_EQ(human_history.exit_code, 0);
  EXPECT_LT(human_history.out.find("alice: hello timctl"), human_history.out.find("bob: echo: hello timctl"))
      << human_history.out;
  auto page1 = Timctl({"history", "bob", "--count", "1", "--json"});
  ASSERT_EQ(page1.exit_code, 0) << page1.Describe();
  auto page1_json = page1.JsonLines().at(0);
  EXPECT_EQ(page1_json["messages"].size(), 1u);
  EXPECT_EQ(page1_json["is_finished"], false);
  auto page2 = Timctl({"history", "bob", "--count", "1", "--before",
                       page1_json["next_before_seq"].get<std::string>(), "--json"});
  ASSERT_EQ(page2.exit_code, 0) << page2.Describe();
  EXPECT_EQ(page2.JsonLines().at(0)["messages"][0]["elems"][0]["text"]["content"], "hello timctl");

  auto convs = Timctl({"convs", "--json"});
  ASSERT_EQ(convs.exit_code, 0) << convs.Describe();
  auto conversations = convs.JsonLines().at(0)["conversations"];
  ASSERT_EQ(conversations.size(), 1u) << convs.out;
  EXPECT_EQ(conversations[0]["conv_id"], "bob");
  auto human_convs = Timctl({"convs"});
  EXPECT_EQ(human_convs.out.rfind("bob  unread", 0), 0u) << human_convs.out;

  // tail --since replays the journal exactly, in order, then --count ends it.
  auto journal = JournalEvents(timd_);
  ASSERT_GE(journal.size(), 3u);
  auto replay = Timctl({"tail", "--since", "0", "--count", std::to_string(journal.size())});
  ASSERT_EQ(replay.exit_code, 0) << replay.Describe();
  auto lines = replay.JsonLines();
  ASSERT_EQ(lines.size(), journal.size()) << replay.out;
  for (size_t i = 0; i < journal.size(); ++i) {
    EXPECT_EQ(lines[i]["seq"], std::to_string(journal[i].seq())) << i;
  }
  const uint64_t before_last = journal[journal.size() - 2].seq();
  auto resumed = Timctl({"tail", "--since", std::to_string(before_last), "--count", "1"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.Describe();
  EXPECT_EQ(resumed.JsonLines().at(0)["seq"], std::to_string(journal.back().seq()));
  size_t message_events = 0;
  for (const auto& event : journal) message_events += event.has_new_messages() ? 1 : 0;
  ASSERT_GE(message_events, 1u);
  auto only_messages =
      Timctl({"tail", "--since", "0", "--kinds", "new_messages", "--count", std::to_string(message_events)});
  ASSERT_EQ(only_messages.exit_code, 0) << only_messages.Describe();
  auto message_lines = only_messages.JsonLines();
  ASSERT_EQ(message_lines.size(), message_events);
  for (const auto& line : message_lines) EXPECT_TRUE(line.contains("new_messages")) << line.dump();
  EXPECT_NE(only_messages.out.find("\"echo: hello timctl\""), std::string::npos) << only_messages.out;

  // tail --consumer --ack stores the cursor; the next tail for it resumes after it.
  auto acked = Timctl({"tail", "--since", "0", "--consumer", "timctl-test", "--ack", "--count", "2"});
  ASSERT_EQ(acked.exit_code, 0) << acked.Describe() << timd_.log();
  {
    grpc::ClientContext ctx;
    tim::v1::AckEventsRequest request;
    request.set_consumer("timctl-test");
    tim::v1::AckEventsResponse cursor;
    ASSERT_TRUE(timd_.Stubs()->events->AckEvents(&ctx, request, &cursor).ok());
    EXPECT_EQ(cursor.seq(), journal[1].seq());
  }
  auto next = Timctl({"tail", "--consumer", "timctl-test", "--count", "1"});
  ASSERT_EQ(next.exit_code, 0) << next.Describe();
  EXPECT_EQ(next.JsonLines().at(0)["seq"], std::to_string(journal[2].seq()));

  // A live tail prints new events as they come and exits 0 on SIGTERM.
  std::string live_out = runner_.NextFile("live-out");
  ChildProcess live;
  live.Spawn({TimctlPath(), "--socket", timd_.socket_path(), "tail", "--since", std::to_string(journal.back().seq()),
              "--kinds", "new_messages"},
             live_out, runner_.NextFile("live-err"));
  ASSERT_EQ(Timctl({"send", "bob", "live one"}).exit_code, 0);
  EXPECT_TRUE(WaitForFileText(live_out, "echo: live one", 15s)) << ReadFile(live_out);
  auto live_status = live.Terminate(5s);
  ASSERT_TRUE(live_status.has_value());
  EXPECT_TRUE(WIFEXITED(*live_status) && WEXITSTATUS(*live_status) == 0) << DescribeWaitStatus(*live_status);
}

TEST_F(TimctlTest, SendTakesTimMessageJson) {
  PeerProcess bob(prosody_, "bob", "bobpw");
  bob.Start();
  timd_.LoginAs("alice", "alicepw");
  timd_.Start();
  ASSERT_TRUE(timd_.WaitLoggedIn()) << timd_.log();

  const std::string message = R"({"message_elem_array":[
      {"elem_type":0,"text_elem_content":"meet here"},
      {"elem_type":7,"location_elem_desc":"Pier 3","location_elem_latitude":52.5,"location_elem_longitude":13.25},
      {"elem_type":3,"custom_elem_data":"{\"card\":1}","custom_elem_desc":"a card"}],
    "message_cloud_custom_str":"thread-9","message_need_read_receipt":true})";
  auto sent = Timctl({"send", "bob", "--message-json", message, "--id", "json-1", "--json"});
  ASSERT_EQ(sent.exit_code, 0) << sent.Describe() << timd_.log();
  auto sent_message = sent.JsonLines().at(0)["message"];
  ASSERT_EQ(sent_message["elems"].size(), 3u) << sent.out;
  EXPECT_EQ(sent_message["elems"][1]["location"]["desc"], "Pier 3");
  EXPECT_EQ(sent_message["elems"][2]["custom"]["desc"], "a card");
  EXPECT_EQ(sent_message["cloud_custom_str"], "thread-9");
  EXPECT_EQ(sent_message["need_read_receipt"], true);
  ASSERT_TRUE(bob.WaitReceived(1)) << bob.output();
  EXPECT_EQ(bob.ReceivedLines().front(), "json-1\tmeet here\\ngeo:52.500000,13.250000\\na card");

  auto bad = Timctl({"send", "bob", "--message-json", R"({"message_elem_array":[{"elem_type":7}]})"});
  EXPECT_EQ(bad.exit_code, 1) << bad.Describe();
  EXPECT_NE(bad.err.find("location_elem_longitude"), std::string::npos) << bad.err;
}

TEST_F(TimctlTest, ReadUnreadAndReadReceipts) {
  PeerProcess bob(prosody_, "bob", "bobpw");
  bob.Start();
  timd_.LoginAs("alice", "alicepw");
  timd_.Start();
  ASSERT_TRUE(timd_.WaitLoggedIn()) << timd_.log();
  ASSERT_EQ(Timctl({"send", "bob", "read me", "--id", "read-1"}).exit_code, 0) << timd_.log();
  tim::v1::SubscribeRequest sub;
  sub.set_since_seq(0);
  EventReader echo(timd_.Channel(), sub);
  ASSERT_TRUE(echo.WaitFor(HasTextMessage("echo: read me"))) << timd_.log();

  EXPECT_EQ(Timctl({"unread"}).out, "1\n");
  auto unknown = Timctl({"read", "bob", "no-such-message", "--json"});
  EXPECT_NE(unknown.exit_code, 0) << unknown.Describe();
  EXPECT_EQ(unknown.ErrorJson()["tim_code"], 6017) << unknown.err;
  auto read = Timctl({"read", "bob"});
  ASSERT_EQ(read.exit_code, 0) << read.Describe();
  EXPECT_EQ(read.out, "read\n");
  EXPECT_EQ(Timctl({"unread"}).out, "0\n");
  EXPECT_EQ(Timctl({"clean-unread", "c2c"}).exit_code, 0);

  auto receipts = Timctl({"read-receipts", "read-1", "--json"});
  ASSERT_EQ(receipts.exit_code, 0) << receipts.Describe();
  auto receipt = receipts.JsonLines().at(0)["receipts"].at(0);
  EXPECT_EQ(receipt["msg_id"], "read-1");
  EXPECT_EQ(receipt["conv_id"], "bob");
  EXPECT_EQ(Timctl({"read-receipts", "read-1"}).out, "read-1  not read by bob\n");
}

TEST_F(TimctlTest, ExitCodesAndLogin) {
  timd_.Start();  // not logged in

  TimctlRunner elsewhere;
  auto unreachable = elsewhere.Run({"--socket", timd_.dir() + "/no-such.sock", "status", "--json"});
  EXPECT_EQ(unreachable.exit_code, 2) << unreachable.Describe();
  EXPECT_EQ(unreachable.ErrorJson()["grpc_code"], 14) << unreachable.err;

  auto usage = Timctl({"send", "bob"});
  EXPECT_EQ(usage.exit_code, 1) << usage.Describe();
  auto no_subcommand = Timctl({});
  EXPECT_EQ(no_subcommand.exit_code, 1) << no_subcommand.Describe();
  auto help = Timctl({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Exit codes:"), std::string::npos) << help.out;

  std::string wrong_pw = runner_.NextFile("wrong.pw");
  WriteFile(wrong_pw, "wrong-password-xyzzy\n");
  auto wrong = Timctl({"login", "alice", "--password-file", wrong_pw, "--json"});
  EXPECT_EQ(wrong.exit_code, 3) << wrong.Describe();
  EXPECT_EQ(wrong.ErrorJson()["tim_code"], 6207) << wrong.err;
  EXPECT_EQ(wrong.ErrorJson()["grpc_code"], static_cast<int>(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_EQ(wrong.out, "");
  EXPECT_EQ(wrong.err.find("xyzzy"), std::string::npos) << "password leaked: " << wrong.err;
  auto wrong_human = Timctl({"login", "alice", "--password-file", wrong_pw});
  EXPECT_EQ(wrong_human.exit_code, 3);
  EXPECT_NE(wrong_human.err.find("tim code 6207"), std::string::npos) << wrong_human.err;

  auto missing_file = Timctl({"login", "alice", "--password-file", timd_.dir() + "/none.pw"});
  EXPECT_EQ(missing_file.exit_code, 4) << missing_file.Describe();

  std::string right_pw = runner_.NextFile("right.pw");
  WriteFile(right_pw, "alicepw\n");
  auto login = Timctl({"login", "alice", "--password-stdin"}, right_pw);
  ASSERT_EQ(login.exit_code, 0) << login.Describe() << timd_.log();
  EXPECT_EQ(login.out, "logged in as alice\n");
  auto status = Timctl({"status", "--json"});
  EXPECT_EQ(status.JsonLines().at(0)["status"], "LOGINED") << status.out;

  // A peer ID that is not a valid JID: the daemon refuses it with a TIM code.
  auto bad_peer = Timctl({"send", "no body@@bad", "hi", "--json"});
  EXPECT_EQ(bad_peer.exit_code, 3) << bad_peer.Describe();
  EXPECT_NE(bad_peer.ErrorJson()["tim_code"], 0) << bad_peer.err;
  EXPECT_EQ(bad_peer.ErrorJson()["grpc_code"], static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT))
      << bad_peer.err;

  auto logout = Timctl({"logout"});
  EXPECT_EQ(logout.exit_code, 0) << logout.Describe();
  EXPECT_EQ(logout.out, "logged out\n");
  auto after = Timctl({"status", "--json"});
  EXPECT_EQ(after.JsonLines().at(0)["status"], "UNLOGINED") << after.out;
  auto not_logged_in = Timctl({"send", "bob", "hi", "--json"});
  EXPECT_EQ(not_logged_in.exit_code, 3) << not_logged_in.Describe();
  EXPECT_EQ(not_logged_in.ErrorJson()["tim_code"], 6014) << not_logged_in.err;
}

// `timctl mint` tokens are accepted by tools/prosody/mod_auth_timd_token.lua.
TEST(TimctlToken, MintedTokenLogsInAndAnExpiredOneGives70001) {
  ProsodyServer prosody;
  prosody.UseTokenAuth("timctl-secret-7c2e");
  prosody.Start();
  TimdProcess timd;
  timd.UseProsody(prosody);
  timd.Start();
  TimctlRunner runner;
  std::string secret_file = runner.NextFile("secret");
  WriteFile(secret_file, "timctl-secret-7c2e\n");
  auto timctl = [&](std::vector<std::string> args, const std::string& stdin_file = "") {
    args.insert(args.begin(), {"--socket", timd.socket_path()});
    return runner.Run(args, stdin_file);
  };

  auto expired = runner.Run({"mint", "Alice@LocalHost", "--secret-file", secret_file, "--expires", "1"});
  ASSERT_EQ(expired.exit_code, 0) << expired.Describe();
  std::string expired_file = runner.NextFile("expired.token");
  WriteFile(expired_file, expired.out);
  auto refused = timctl({"login", "alice", "--password-stdin", "--json"}, expired_file);
  EXPECT_EQ(refused.exit_code, 3) << refused.Describe() << timd.log();
  EXPECT_EQ(refused.ErrorJson()["tim_code"], 70001) << refused.err;

  auto minted = runner.Run({"mint", "alice@localhost", "--secret-file", secret_file, "--ttl", "600", "--json"});
  ASSERT_EQ(minted.exit_code, 0) << minted.Describe();
  auto minted_json = minted.JsonLines().at(0);
  EXPECT_EQ(minted_json["user"], "alice@localhost");
  std::string token_file = runner.NextFile("token");
  WriteFile(token_file, minted_json["token"].get<std::string>() + "\n");
  auto login = timctl({"login", "alice", "--password-stdin"}, token_file);
  ASSERT_EQ(login.exit_code, 0) << login.Describe() << timd.log();
  EXPECT_EQ(login.out, "logged in as alice\n");
}

}  // namespace
}  // namespace timd::test
