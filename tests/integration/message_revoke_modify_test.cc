// Revoke (XEP-0424) and modify (XEP-0308) between two timd daemons on a
// real Prosody: alice revokes or modifies, bob's subscribers see the
// events with TIM's payload, both stores say so, and the refusals carry
// TIM's codes. Also: a retraction reaches an offline daemon through the
// archive catch-up, and a retraction by another own device (a carbon)
// applies too.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/event_reader.h"
#include "support/message_edits.h"
#include "support/message_sets.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

std::optional<tim::v1::Message> Find(const TimdProcess& timd, const std::string& peer, const std::string& msg_id) {
  for (auto& m : History(timd, peer)) {
    if (m.msg_id() == msg_id) return m;
  }
  return std::nullopt;
}

grpc::Status SendKeyed(const TimdProcess& timd, const std::string& peer, const std::string& text,
                       const std::string& key, tim::v1::SendMessageResponse* response) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 20s);
  return timd.Stubs()->messages->SendMessage(&ctx, TextTo(peer, text, key), response);
}

// Index of the first event satisfying `pred`; -1 when none.
int IndexOf(const std::vector<tim::v1::Event>& events, const EventReader::Predicate& pred) {
  for (size_t i = 0; i < events.size(); ++i) {
    if (pred(events[i])) return static_cast<int>(i);
  }
  return -1;
}

// A ConvEvent UPDATE whose conversation's last message is `msg_id` and satisfies `check`.
EventReader::Predicate ConvUpdateOf(const std::string& msg_id,
                                    std::function<bool(const tim::v1::Message&)> check) {
  return [msg_id, check](const tim::v1::Event& e) {
    if (!e.has_conv_event() || e.conv_event().type() != tim::v1::CONV_EVENT_UPDATE) return false;
    for (const auto& c : e.conv_event().conversations()) {
      if (c.last_msg().msg_id() == msg_id && check(c.last_msg())) return true;
    }
    return false;
  };
}

class MessageRevokeModifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prosody_.Start();
    prosody_.AddUser("alice", "alice-secret");
    prosody_.AddUser("bob", "bob-secret");
    alice_.UseProsody(prosody_);
    alice_.LoginAs("alice", "alice-secret");
    bob_.UseProsody(prosody_);
    bob_.LoginAs("bob", "bob-secret");
  }
  void StartBoth() {
    alice_.Start();
    bob_.Start();
    ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
    ASSERT_TRUE(bob_.WaitLoggedIn()) << bob_.log();
  }
  // alice sends `text` under `key` and waits until bob's subscriber has it.
  void AliceSends(const std::string& text, const std::string& key, EventReader& bob_events) {
    tim::v1::SendMessageResponse sent;
    auto status = SendKeyed(alice_, "bob", text, key, &sent);
    ASSERT_TRUE(status.ok()) << status.error_message() << alice_.log();
    ASSERT_TRUE(bob_events.WaitFor(NewMessageEvent(key))) << bob_.log();
  }

  ProsodyServer prosody_;
  TimdProcess alice_;
  TimdProcess bob_;
};

TEST_F(MessageRevokeModifyTest, AliceRevokesAndEverySubscriberOfBobSeesTheLocator) {
  StartBoth();
  EventReader bob_app1(bob_.Channel(), FromStart());
  EventReader bob_app2(bob_.Channel(), FromStart());
  EventReader alice_events(alice_.Channel(), FromStart());
  ASSERT_NO_FATAL_FAILURE(AliceSends("to be revoked", "rv-1", bob_app1));
  const auto at_bob = Find(bob_, "alice", "rv-1");
  ASSERT_TRUE(at_bob.has_value());

  tim::v1::RevokeMessageResponse revoked;
  auto status = Revoke(alice_, "bob", "rv-1", &revoked);
  ASSERT_TRUE(status.ok()) << status.error_message() << alice_.log();
  EXPECT_EQ(revoked.message().status(), tim::v1::MSG_REVOKED);
  // Answered after the commit: the store says so at once.
  EXPECT_EQ(Find(alice_, "bob", "rv-1")->status(), tim::v1::MSG_REVOKED);
  ASSERT_TRUE(alice_events.WaitFor(RevokedEvent("rv-1"))) << alice_.log();

  for (EventReader* reader : {&bob_app1, &bob_app2}) {
    ASSERT_TRUE(reader->WaitFor(RevokedEvent("rv-1"))) << bob_.log();
    const auto events = reader->Events();
    const int at = IndexOf(events, RevokedEvent("rv-1"));
    ASSERT_GE(at, 0);
    ASSERT_EQ(events[at].msg_revoked().locators_size(), 1);
    const auto& locator = events[at].msg_revoked().locators(0);
    EXPECT_EQ(locator.conv_id(), "alice");
    EXPECT_EQ(locator.conv_type(), tim::v1::CONV_C2C);
    EXPECT_TRUE(locator.is_revoked());
    EXPECT_FALSE(locator.is_self());
    EXPECT_EQ(locator.seq(), at_bob->seq());
    EXPECT_EQ(locator.time(), at_bob->server_time());
    EXPECT_EQ(locator.rand(), at_bob->rand());
    EXPECT_EQ(locator.unique_id(), at_bob->unique_id());
    EXPECT_EQ(locator.revoker_user_id(), "alice");
    EXPECT_EQ(locator.revoke_reason(), "");
    const auto conv_update = ConvUpdateOf("rv-1", [](const auto& m) { return m.status() == tim::v1::MSG_REVOKED; });
    ASSERT_TRUE(reader->WaitFor(conv_update));
    EXPECT_GT(IndexOf(reader->Events(), conv_update), at);
  }
  EXPECT_EQ(Find(bob_, "alice", "rv-1")->status(), tim::v1::MSG_REVOKED);
  EXPECT_EQ(History(bob_, "alice").size(), 1u) << "the retraction must not become a message";

  // Again: nothing more to do, still success.
  status = Revoke(alice_, "bob", "rv-1", &revoked);
  EXPECT_TRUE(status.ok()) << status.error_message();
  // And the revoke survives a restart of bob.
  bob_.Stop();
  bob_.Start();
  ASSERT_TRUE(bob_.WaitLoggedIn()) << bob_.log();
  EXPECT_EQ(Find(bob_, "alice", "rv-1")->status(), tim::v1::MSG_REVOKED);
}

TEST_F(MessageRevokeModifyTest, AliceModifiesAndBobGetsTheWholeUpdatedMessageInPlace) {
  StartBoth();
  EventReader bob_events(bob_.Channel(), FromStart());
  ASSERT_NO_FATAL_FAILURE(AliceSends("helo wrld", "md-1", bob_events));
  const auto original = Find(bob_, "alice", "md-1");
  ASSERT_TRUE(original.has_value());
  const auto alice_original = Find(alice_, "bob", "md-1");

  tim::v1::ModifyMessageResponse modified;
  auto status = ModifyText(alice_, "bob", "md-1", "hello world", &modified, "{\"edited\":1}");
  ASSERT_TRUE(status.ok()) << status.error_message() << alice_.log();
  EXPECT_EQ(modified.message().msg_id(), "md-1");
  EXPECT_EQ(modified.message().seq(), alice_original->seq());
  EXPECT_EQ(modified.message().server_time(), alice_original->server_time());
  EXPECT_EQ(TextOf(modified.message()), "hello world");
  EXPECT_EQ(TextOf(*Find(alice_, "bob", "md-1")), "hello world");

  ASSERT_TRUE(bob_events.WaitFor(UpdatedEvent("md-1", "hello world"))) << bob_.log();
  const auto events = bob_events.Events();
  const int at = IndexOf(events, UpdatedEvent("md-1", "hello world"));
  const auto& updated = events[at].messages_updated().messages(0);
  EXPECT_EQ(updated.seq(), original->seq());
  EXPECT_EQ(updated.server_time(), original->server_time());
  EXPECT_EQ(updated.cloud_custom_str(), "{\"edited\":1}");
  EXPECT_EQ(updated.status(), tim::v1::MSG_SEND_SUCC);
  EXPECT_FALSE(updated.is_from_self());
  const auto conv_update = ConvUpdateOf("md-1", [](const auto& m) { return TextOf(m) == "hello world"; });
  ASSERT_TRUE(bob_events.WaitFor(conv_update));
  EXPECT_GT(IndexOf(bob_events.Events(), conv_update), at);

  // A second modification still references the first version's id.
  status = ModifyText(alice_, "bob", "md-1", "hello, world", &modified);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(bob_events.WaitFor(UpdatedEvent("md-1", "hello, world"))) << bob_.log();
  const auto history = History(bob_, "alice");
  ASSERT_EQ(history.size(), 1u) << "a correction must not become a message";
  EXPECT_EQ(TextOf(history[0]), "hello, world");
  EXPECT_EQ(history[0].seq(), original->seq());
  EXPECT_EQ(history[0].cloud_custom_str(), "");
}

TEST_F(MessageRevokeModifyTest, RefusalsCarryTimCodes) {
  StartBoth();
  EventReader alice_events(alice_.Channel(), FromStart());
  tim::v1::SendMessageResponse sent;
  ASSERT_TRUE(SendKeyed(bob_, "alice", "bob's own words", "from-bob", &sent).ok());
  ASSERT_TRUE(alice_events.WaitFor(NewMessageEvent("from-bob"))) << alice_.log();

  tim::v1::RevokeMessageResponse revoked;
  tim::v1::ModifyMessageResponse modified;
  auto status = Revoke(alice_, "bob", "from-bob", &revoked);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  EXPECT_EQ(TimCodeOf(status), 7013);
  status = ModifyText(alice_, "bob", "from-bob", "my words now", &modified);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  EXPECT_EQ(TimCodeOf(status), 7013);
  EXPECT_EQ(Find(alice_, "bob", "from-bob")->status(), tim::v1::MSG_SEND_SUCC);

  status = Revoke(alice_, "bob", "no-such-message", &revoked);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  EXPECT_EQ(TimCodeOf(status), 7011);
  status = ModifyText(alice_, "bob", "no-such-message", "x", &modified);
  EXPECT_EQ(TimCodeOf(status), 7011);
  // Known id, other conversation.
  ASSERT_TRUE(SendKeyed(alice_, "bob", "mine", "mine-1", &sent).ok());
  status = Revoke(alice_, "carol", "mine-1", &revoked);
  EXPECT_EQ(TimCodeOf(status), 7011) << status.error_message();

  // A revoked message cannot be modified.
  ASSERT_TRUE(Revoke(alice_, "bob", "mine-1", &revoked).ok());
  status = ModifyText(alice_, "bob", "mine-1", "too late", &modified);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(TimCodeOf(status), 7014);
}

TEST_F(MessageRevokeModifyTest, RevokeAfterTheConfiguredLimitFailsWith6223) {
  alice_.AddArgs({"--revoke-time-limit", "1"});
  StartBoth();
  EventReader bob_events(bob_.Channel(), FromStart());
  ASSERT_NO_FATAL_FAILURE(AliceSends("quick", "late-1", bob_events));
  std::this_thread::sleep_for(2200ms);
  tim::v1::RevokeMessageResponse revoked;
  auto status = Revoke(alice_, "bob", "late-1", &revoked);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(TimCodeOf(status), 6223);
  EXPECT_EQ(Find(alice_, "bob", "late-1")->status(), tim::v1::MSG_SEND_SUCC);
  // Nothing went out: bob's copy stays.
  ASSERT_NO_FATAL_FAILURE(AliceSends("fresh", "fresh-1", bob_events));
  EXPECT_FALSE(bob_events.WaitFor(RevokedEvent("late-1"), 500ms));
  EXPECT_EQ(Find(bob_, "alice", "late-1")->status(), tim::v1::MSG_SEND_SUCC);
  // Modify has no time limit.
  tim::v1::ModifyMessageResponse modified;
  EXPECT_TRUE(ModifyText(alice_, "bob", "late-1", "quick, edited", &modified).ok());
}

TEST_F(MessageRevokeModifyTest, ARevokeWhileBobIsOfflineReachesHimThroughTheArchiveInOrder) {
  StartBoth();
  {
    EventReader bob_events(bob_.Channel(), FromStart());
    ASSERT_NO_FATAL_FAILURE(AliceSends("first", "first-1", bob_events));  // gives bob an archive cursor
  }
  bob_.Stop();
  tim::v1::SendMessageResponse sent;
  ASSERT_TRUE(SendKeyed(alice_, "bob", "sent while you were away", "away-1", &sent).ok());
  tim::v1::RevokeMessageResponse revoked;
  auto status = Revoke(alice_, "bob", "away-1", &revoked);
  ASSERT_TRUE(status.ok()) << status.error_message();

  bob_.Start();
  ASSERT_TRUE(bob_.WaitLoggedIn()) << bob_.log();
  EventReader bob_events(bob_.Channel(), FromStart());
  ASSERT_TRUE(bob_events.WaitFor(RevokedEvent("away-1"))) << bob_.log();
  const auto events = bob_events.Events();
  EXPECT_LT(IndexOf(events, NewMessageEvent("away-1")), IndexOf(events, RevokedEvent("away-1")))
      << "the message is announced before its revoke";
  EXPECT_EQ(Find(bob_, "alice", "away-1")->status(), tim::v1::MSG_REVOKED);
  EXPECT_EQ(History(bob_, "alice").size(), 2u);
}

TEST_F(MessageRevokeModifyTest, ARevokeByAnotherOwnDeviceAppliesFromItsCarbon) {
  TimdProcess alice_phone;
  alice_phone.UseProsody(prosody_);
  alice_phone.LoginAs("alice", "alice-secret");
  alice_phone.AddArgs({"--resource", "phone"});
  StartBoth();
  alice_phone.Start();
  ASSERT_TRUE(alice_phone.WaitLoggedIn()) << alice_phone.log();
  EventReader phone_events(alice_phone.Channel(), FromStart());
  EventReader bob_events(bob_.Channel(), FromStart());
  // Both alices online: the phone gets the sent carbons.
  ASSERT_NO_FATAL_FAILURE(AliceSends("from the desk", "desk-1", bob_events));
  ASSERT_TRUE(phone_events.WaitFor(NewMessageEvent("desk-1"))) << alice_phone.log();
  tim::v1::ModifyMessageResponse modified;
  ASSERT_TRUE(ModifyText(alice_, "bob", "desk-1", "from the desk, edited", &modified).ok());
  ASSERT_TRUE(phone_events.WaitFor(UpdatedEvent("desk-1", "from the desk, edited"))) << alice_phone.log();
  tim::v1::RevokeMessageResponse revoked;
  ASSERT_TRUE(Revoke(alice_, "bob", "desk-1", &revoked).ok());
  ASSERT_TRUE(phone_events.WaitFor(RevokedEvent("desk-1"))) << alice_phone.log();
  EXPECT_EQ(Find(alice_phone, "bob", "desk-1")->status(), tim::v1::MSG_REVOKED);
  ASSERT_TRUE(bob_events.WaitFor(RevokedEvent("desk-1"))) << bob_.log();
}

}  // namespace
}  // namespace timd::test
