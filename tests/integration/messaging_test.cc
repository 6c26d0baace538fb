// The vertical slice against a real Prosody: alice's timd talks to bob (an
// echo peer built on the project's XMPP library, or a second timd), and
// local apps see everything through Subscribe.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>

#include "support/event_reader.h"
#include "support/peer_process.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

grpc::Status Send(TimdProcess& timd, const tim::v1::SendMessageRequest& request,
                  tim::v1::SendMessageResponse* response) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 20s);
  return timd.Stub()->SendMessage(&ctx, request, response);
}

tim::v1::SubscribeRequest Since(uint64_t seq) {
  tim::v1::SubscribeRequest request;
  request.set_since_seq(seq);
  return request;
}

// Texts of all NewMessages events from `sender`, in event order.
std::vector<std::string> TextsFrom(const std::vector<tim::v1::Event>& events, const std::string& sender) {
  std::vector<std::string> texts;
  for (const auto& e : events) {
    if (!e.has_new_messages()) continue;
    for (const auto& m : e.new_messages().messages()) {
      if (m.sender() == sender && !m.elems().empty()) texts.push_back(m.elems(0).text().content());
    }
  }
  return texts;
}

class MessagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prosody_.Start();
    prosody_.AddUser("alice", "alice-secret");
    prosody_.AddUser("bob", "bob-secret");
    alice_.UseProsody(prosody_);
    alice_.LoginAs("alice", "alice-secret");
  }

  ProsodyServer prosody_;
  TimdProcess alice_;
};

TEST_F(MessagingTest, SendReachesPeerAndReplyArrivesAsEvent) {
  PeerProcess bob(prosody_, "bob", "bob-secret");
  bob.Start();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  EventReader events(alice_.Channel(), Since(0));

  tim::v1::SendMessageResponse sent;
  auto status = Send(alice_, TextTo("bob", "hello <bob> & co", "k-1"), &sent);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(sent.message().msg_id(), "k-1");
  EXPECT_EQ(sent.message().status(), tim::v1::MSG_SEND_SUCC);
  EXPECT_TRUE(sent.message().is_from_self());
  EXPECT_EQ(sent.message().conv_id(), "bob");
  EXPECT_EQ(sent.message().sender(), "alice");

  ASSERT_TRUE(events.WaitFor(HasTextMessage("echo: hello <bob> & co"))) << alice_.log();
  // Bob received exactly that message, with our idempotency key as its id.
  std::vector<std::string> lines;
  for (int i = 0; i < 50 && lines.empty(); ++i, std::this_thread::sleep_for(100ms)) lines = bob.ReceivedLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "k-1\thello <bob> & co");

  const tim::v1::Message* reply = nullptr;
  auto all = events.Events();
  for (const auto& e : all) {
    if (!e.has_new_messages()) continue;
    for (const auto& m : e.new_messages().messages()) {
      if (m.sender() == "bob") reply = &m;
    }
  }
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(reply->conv_id(), "bob");
  EXPECT_EQ(reply->conv_type(), tim::v1::CONV_C2C);
  EXPECT_FALSE(reply->is_from_self());
  EXPECT_EQ(reply->status(), tim::v1::MSG_SEND_SUCC);
  EXPECT_FALSE(reply->msg_id().empty());
  EXPECT_NE(reply->unique_id(), 0u);
  EXPECT_GT(reply->seq(), sent.message().seq());
  EXPECT_GT(reply->server_time(), 1700000000u);

  // Seqs are strictly increasing, and a conversation event followed.
  uint64_t last = 0;
  for (const auto& e : all) {
    EXPECT_GT(e.seq(), last);
    last = e.seq();
  }
  EXPECT_TRUE(events.WaitFor([](const tim::v1::Event& e) {
    return e.has_conv_event() && e.conv_event().conversations_size() == 1 &&
           e.conv_event().conversations(0).conv_id() == "bob" &&
           e.conv_event().conversations(0).unread_num() == 1;
  }));

  // Local history has both, newest first.
  grpc::ClientContext ctx;
  tim::v1::GetMessagesRequest history_request;
  history_request.set_conv_id("bob@localhost");  // bare JID form works too
  history_request.set_conv_type(tim::v1::CONV_C2C);
  tim::v1::GetMessagesResponse history;
  ASSERT_TRUE(alice_.Stub()->GetMessages(&ctx, history_request, &history).ok());
  ASSERT_EQ(history.messages_size(), 2);
  EXPECT_EQ(history.messages(0).elems(0).text().content(), "echo: hello <bob> & co");
  EXPECT_EQ(history.messages(1).msg_id(), "k-1");
  EXPECT_TRUE(history.is_finished());
}

TEST_F(MessagingTest, IdempotencyKeySentTwiceGivesOneMessage) {
  PeerProcess bob(prosody_, "bob", "bob-secret");
  bob.Start();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  tim::v1::SendMessageResponse first, second;
  ASSERT_TRUE(Send(alice_, TextTo("bob", "once", "same-key"), &first).ok());
  ASSERT_TRUE(Send(alice_, TextTo("bob", "once", "same-key"), &second).ok());
  EXPECT_EQ(first.message().msg_id(), second.message().msg_id());
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(bob.ReceivedLines().size(), 1u);
}

TEST_F(MessagingTest, MessageSentWhileOfflineIsDeliveredOnce) {
  TimdProcess bob;
  bob.UseProsody(prosody_);
  bob.LoginAs("bob", "bob-secret");
  bob.Start();
  ASSERT_TRUE(bob.WaitLoggedIn()) << bob.log();

  // Alice logs in once (so Prosody knows her presence history), then stops.
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  uint64_t last_seq = 0;
  {
    EventReader before(alice_.Channel(), Since(0));
    ASSERT_TRUE(before.WaitFor(HasPayload(tim::v1::Event::kNetworkStatus)));
    for (const auto& e : before.Events()) last_seq = std::max(last_seq, e.seq());
  }
  alice_.Stop();

  const std::vector<std::string> texts = {"offline 1", "offline 2", "offline 3"};
  for (size_t i = 0; i < texts.size(); ++i) {
    tim::v1::SendMessageResponse r;
    auto status = Send(bob, TextTo("alice", texts[i], "off-" + std::to_string(i)), &r);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  EventReader after(alice_.Channel(), Since(last_seq));
  ASSERT_TRUE(after.WaitFor(HasTextMessage("offline 3"))) << alice_.log();
  std::this_thread::sleep_for(2s);  // let any duplicate copy arrive
  EXPECT_EQ(TextsFrom(after.Events(), "bob"), texts);

  // A restart redelivers nothing new.
  alice_.Restart();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  std::this_thread::sleep_for(2s);
  EventReader everything(alice_.Channel(), Since(0));
  ASSERT_TRUE(everything.WaitFor(HasTextMessage("offline 3")));
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(TextsFrom(everything.Events(), "bob"), texts);
}

TEST_F(MessagingTest, RestartCatchesUpFromTheArchiveExactlyOnce) {
  TimdProcess bob;
  bob.UseProsody(prosody_);
  bob.LoginAs("bob", "bob-secret");
  bob.Start();
  ASSERT_TRUE(bob.WaitLoggedIn()) << bob.log();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();

  // One live message gives alice's timd an archive cursor.
  tim::v1::SendMessageResponse r;
  ASSERT_TRUE(Send(bob, TextTo("alice", "live"), &r).ok());
  {
    EventReader reader(alice_.Channel(), Since(0));
    ASSERT_TRUE(reader.WaitFor(HasTextMessage("live"))) << alice_.log();
  }
  alice_.Kill9();  // no polite close: the server keeps nothing for us

  std::vector<std::string> missed;
  for (int i = 0; i < 120; ++i) {  // more than one archive page
    missed.push_back("missed " + std::to_string(i));
    ASSERT_TRUE(Send(bob, TextTo("alice", missed.back(), "m-" + std::to_string(i)), &r).ok());
  }
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  EventReader reader(alice_.Channel(), Since(0));
  ASSERT_TRUE(reader.WaitFor(HasTextMessage("missed 119"), 30s)) << alice_.log();
  std::this_thread::sleep_for(2s);  // any duplicate (offline storage, hibernated session) shows up here
  std::vector<std::string> expected = {"live"};
  expected.insert(expected.end(), missed.begin(), missed.end());
  EXPECT_EQ(TextsFrom(reader.Events(), "bob"), expected);
  EXPECT_NE(alice_.log().find("caught up"), std::string::npos) << alice_.log();
}

TEST_F(MessagingTest, ResumingFromASeqGetsExactlyTheMissedEvents) {
  PeerProcess bob(prosody_, "bob", "bob-secret");
  bob.Start();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();

  tim::v1::SendMessageResponse r;
  ASSERT_TRUE(Send(alice_, TextTo("bob", "first"), &r).ok());
  uint64_t resume_at = 0;
  {
    EventReader reader(alice_.Channel(), Since(0));
    ASSERT_TRUE(reader.WaitFor(HasTextMessage("echo: first")));
    for (const auto& e : reader.Events()) resume_at = std::max(resume_at, e.seq());
  }
  // Missed while no subscriber is attached.
  ASSERT_TRUE(Send(alice_, TextTo("bob", "second"), &r).ok());
  ASSERT_TRUE(Send(alice_, TextTo("bob", "third"), &r).ok());

  EventReader full(alice_.Channel(), Since(0));
  ASSERT_TRUE(full.WaitFor(HasTextMessage("echo: third")));
  EventReader resumed(alice_.Channel(), Since(resume_at));
  ASSERT_TRUE(resumed.WaitFor(HasTextMessage("echo: third")));

  // Both streams may have gone on past "third" (log events); compare up to
  // the last seq both have seen.
  auto max_seq = [](const std::vector<tim::v1::Event>& events) {
    uint64_t m = 0;
    for (const auto& e : events) m = std::max(m, e.seq());
    return m;
  };
  const auto full_events = full.Events();
  const auto resumed_events = resumed.Events();
  const uint64_t cut = std::min(max_seq(full_events), max_seq(resumed_events));
  std::vector<uint64_t> expected, got;
  for (const auto& e : full_events) if (e.seq() > resume_at && e.seq() <= cut) expected.push_back(e.seq());
  for (const auto& e : resumed_events) if (e.seq() <= cut) got.push_back(e.seq());
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got, expected);
  EXPECT_EQ(got.front(), resume_at + 1);
}

}  // namespace
}  // namespace timd::test
