// The vertical slice against a real Prosody: alice's timd talks to bob (an
// echo peer built on the project's XMPP library, or a second timd), and
// local apps see everything through Subscribe.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <iostream>
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
  return timd.Stubs()->messages->SendMessage(&ctx, request, response);
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

int TimCode(const grpc::Status& status) {
  tim::v1::ErrorDetail detail;
  return detail.ParseFromString(status.error_details()) ? detail.tim_code() : -1;
}

std::vector<tim::v1::Message> History(const TimdProcess& timd, const std::string& peer) {
  grpc::ClientContext ctx;
  tim::v1::GetMessagesRequest request;
  request.set_conv_id(peer);
  request.set_conv_type(tim::v1::CONV_C2C);
  request.set_count(100);
  tim::v1::GetMessagesResponse response;
  EXPECT_TRUE(timd.Stubs()->messages->GetMessages(&ctx, request, &response).ok());
  return {response.messages().begin(), response.messages().end()};
}

// The status of `msg_id` in the history with `peer`; UNSPECIFIED when absent.
tim::v1::MsgStatus StatusOf(const TimdProcess& timd, const std::string& peer, const std::string& msg_id) {
  for (const auto& m : History(timd, peer)) {
    if (m.msg_id() == msg_id) return m.status();
  }
  return tim::v1::MSG_STATUS_UNSPECIFIED;
}

bool WaitStatus(const TimdProcess& timd, const std::string& peer, const std::string& msg_id,
                tim::v1::MsgStatus want) {
  for (int i = 0; i < 150; ++i, std::this_thread::sleep_for(100ms)) {
    if (StatusOf(timd, peer, msg_id) == want) return true;
  }
  return false;
}

EventReader::Predicate Disconnected() {
  return [](const tim::v1::Event& e) {
    return e.has_network_status() && (e.network_status().status() == tim::v1::NET_DISCONNECTED ||
                                      e.network_status().status() == tim::v1::NET_CONNECT_FAILED);
  };
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
  ASSERT_TRUE(alice_.Stubs()->messages->GetMessages(&ctx, history_request, &history).ok());
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

// What an app sends must never break the stream or stay in limbo: text that
// XML cannot carry is refused before it is stored, an unsendable row left in
// the outbox by an older timd fails instead of being resent after every
// reconnect, and a message the server refuses ends as SEND_FAIL with the
// server's reason.
TEST_F(MessagingTest, TextXmlCannotCarryIsRefusedAndTheStreamStaysUp) {
  tim::v1::SendMessageResponse ignored;
  PeerProcess bob(prosody_, "bob", "bob-secret");
  bob.Start();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();

  const std::vector<std::string> unsendable = {"bell \x07", "form feed \x0c", "noncharacter \xef\xbf\xbe",
                                               "noncharacter \xef\xbf\xbf", std::string("nul \0 byte", 10)};
  for (size_t i = 0; i < unsendable.size(); ++i) {
    const auto status = Send(alice_, TextTo("bob", unsendable[i], "bad-" + std::to_string(i)), &ignored);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << i << ": " << status.error_message();
    EXPECT_EQ(TimCode(status), 6016) << i;  // ERR_INVALID_MSG_ELEM
    EXPECT_NE(status.error_message().find("cannot be sent"), std::string::npos) << status.error_message();
  }
  // Invalid UTF-8 does not parse as a proto3 string: timd refuses the request
  // itself, with the same code and a reason, instead of gRPC's empty status.
  const std::vector<std::string> broken_utf8 = {"bad \xff utf8", "surrogate \xed\xa0\x80", "overlong \xc0\xaf",
                                                "cut \xe2\x82"};
  for (size_t i = 0; i < broken_utf8.size(); ++i) {
    grpc::ClientContext ctx;
    const auto status = alice_.Stubs()->messages->SendMessage(&ctx, TextTo("bob", broken_utf8[i], "utf8-" + std::to_string(i)),
                                                   &ignored);  // C++ protobuf serializes it, logging an error
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << i << ": " << status.error_message();
    EXPECT_EQ(TimCode(status), 6016) << i;
    EXPECT_EQ(status.error_message(),
              "request is not a valid tim.v1.SendMessageRequest: text fields must be valid UTF-8");
    const auto trailer = ctx.GetServerTrailingMetadata().find("tim-error-code");
    ASSERT_NE(trailer, ctx.GetServerTrailingMetadata().end()) << i;
    EXPECT_EQ(std::string(trailer->second.data(), trailer->second.size()), "6016");
  }
  {
    grpc::ClientContext ctx;
    tim::v1::GetMessagesRequest request;
    request.set_conv_id("bob\xff");
    tim::v1::GetMessagesResponse response;
    const auto status = alice_.Stubs()->messages->GetMessages(&ctx, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    EXPECT_EQ(TimCode(status), 6017);  // ERR_INVALID_PARAMETERS
    EXPECT_EQ(status.error_message(),
              "request is not a valid tim.v1.GetMessagesRequest: text fields must be valid UTF-8");
  }
  EXPECT_TRUE(History(alice_, "bob").empty());  // none of them entered the store or the outbox

  EventReader events(alice_.Channel(), FromStart());
  tim::v1::SendMessageResponse sent;
  const std::string good = "fine: \xf0\x9f\x98\x80 \xef\xbf\xbd \xed\x9f\xbf \xee\x80\x80 tab\tend";
  auto status = Send(alice_, TextTo("bob", good, "good-1"), &sent);
  ASSERT_TRUE(status.ok()) << status.error_message() << alice_.log();
  EXPECT_EQ(sent.message().status(), tim::v1::MSG_SEND_SUCC);
  ASSERT_TRUE(bob.WaitReceived(1)) << bob.output() << alice_.log();
  const std::string recorded = good.substr(0, good.find('\t')) + "\\tend";  // the peer's record escapes the tab
  EXPECT_EQ(bob.ReceivedLines(), std::vector<std::string>{"good-1\t" + recorded});
  ASSERT_TRUE(events.WaitFor(HasTextMessage("echo: " + good))) << alice_.log();
  const auto all = events.Events();
  EXPECT_TRUE(std::none_of(all.begin(), all.end(), Disconnected())) << alice_.log();
  EXPECT_EQ(alice_.log().find("XMPP connection ended"), std::string::npos) << alice_.log();
}

// A row stored by a timd that still accepted such text (written here into
// the stopped daemon's SQLite file) fails at the next outbox pass, once.
TEST_F(MessagingTest, UnsendableRowInTheOutboxEndsAsSendFail) {
  tim::v1::SendMessageResponse ignored;
  PeerProcess bob(prosody_, "bob", "bob-secret");
  bob.Start();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  ASSERT_TRUE(Send(alice_, TextTo("bob", "will be spoilt", "spoilt-1"), &ignored).ok()) << alice_.log();
  ASSERT_TRUE(bob.WaitReceived(1)) << bob.output();
  alice_.Stop();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((alice_.state_dir() + "/timd.db").c_str(), &db), SQLITE_OK);
    const std::string sql =
        "UPDATE messages SET status = 1, client_time_ms = CAST(strftime('%s', 'now') AS INTEGER) * 1000, "
        "body = 'control \x01 and noncharacter \xef\xbf\xbf' WHERE msg_id = 'spoilt-1'";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    EXPECT_EQ(sqlite3_changes(db), 1);
    sqlite3_close(db);
  }
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  EXPECT_TRUE(WaitStatus(alice_, "bob", "spoilt-1", tim::v1::MSG_SEND_FAIL)) << alice_.log();
  EXPECT_NE(alice_.log().find("outbox: message spoilt-1 cannot be sent: text, byte 8: U+0001"), std::string::npos)
      << alice_.log();
  EXPECT_EQ(alice_.log().find("noncharacter"), std::string::npos) << "the text itself is not logged";

  ASSERT_TRUE(Send(alice_, TextTo("bob", "after the spoilt one", "after-1"), &ignored).ok()) << alice_.log();
  ASSERT_TRUE(bob.WaitReceived(2)) << bob.output();
  alice_.Restart();  // the failed row stays failed: not sent again
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  ASSERT_TRUE(Send(alice_, TextTo("bob", "after the restart", "after-2"), &ignored).ok()) << alice_.log();
  ASSERT_TRUE(bob.WaitReceived(3)) << bob.output();
  EXPECT_EQ(bob.ReceivedLines(), (std::vector<std::string>{"spoilt-1\twill be spoilt", "after-1\tafter the spoilt one",
                                                           "after-2\tafter the restart"}));
  EXPECT_EQ(StatusOf(alice_, "bob", "spoilt-1"), tim::v1::MSG_SEND_FAIL);
  EXPECT_EQ(alice_.log().find("XMPP connection ended"), std::string::npos) << alice_.log();
}

// Prosody answers a message to an account it does not have with an error
// reply. Whether that reply overtakes the stream management ack decides
// whether the call fails or an update event follows; either way the message
// ends as SEND_FAIL with the server's reason and is never sent again.
TEST_F(MessagingTest, MessageTheServerRefusesEndsAsSendFailWithItsReason) {
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  EventReader events(alice_.Channel(), FromStart());

  tim::v1::SendMessageResponse sent;
  const auto status = Send(alice_, TextTo("nobody", "is anyone there?", "refused-1"), &sent);
  if (status.ok()) {
    EXPECT_TRUE(events.WaitFor([](const tim::v1::Event& e) {
      return e.has_messages_updated() && e.messages_updated().messages_size() == 1 &&
             e.messages_updated().messages(0).msg_id() == "refused-1" &&
             e.messages_updated().messages(0).status() == tim::v1::MSG_SEND_FAIL;
    })) << alice_.log();
    EXPECT_TRUE(events.WaitFor([](const tim::v1::Event& e) {
      return e.has_conv_event() && e.conv_event().type() == tim::v1::CONV_EVENT_UPDATE &&
             e.conv_event().conversations(0).conv_id() == "nobody" &&
             e.conv_event().conversations(0).last_msg().status() == tim::v1::MSG_SEND_FAIL;
    })) << alice_.log();
  } else {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
    EXPECT_EQ(TimCode(status), 20003);  // ERR_SVR_MSG_INVALID_ID
    EXPECT_NE(status.error_message().find("the server refused the message: service-unavailable"), std::string::npos)
        << status.error_message();
  }
  std::cerr << "SendMessage to an unknown account: " << (status.ok() ? "OK, then refused" : status.error_message())
            << "\n";
  EXPECT_TRUE(WaitStatus(alice_, "nobody", "refused-1", tim::v1::MSG_SEND_FAIL)) << alice_.log();
  EXPECT_TRUE(events.WaitFor([](const tim::v1::Event& e) {
    return e.has_log() && e.log().text().find("refused-1") != std::string::npos &&
           e.log().text().find("the server refused the message: service-unavailable") != std::string::npos;
  })) << alice_.log();

  tim::v1::SubscribeRequest since_now;  // every event above seen already
  since_now.set_since_seq(events.Events().back().seq());
  alice_.Restart();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  EventReader after(alice_.Channel(), since_now);
  ASSERT_TRUE(after.WaitFor([](const tim::v1::Event& e) {
    return e.has_conv_event() && e.conv_event().type() == tim::v1::CONV_EVENT_FINISH;
  })) << alice_.log();
  std::this_thread::sleep_for(1s);  // the outbox pass runs right after the catch-up
  EXPECT_EQ(StatusOf(alice_, "nobody", "refused-1"), tim::v1::MSG_SEND_FAIL);
  EXPECT_EQ(alice_.log().find("sending message refused-1 again"), std::string::npos) << alice_.log();
}

}  // namespace
}  // namespace timd::test
