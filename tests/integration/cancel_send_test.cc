// CancelSend (TIMMsgCancelSend, mapping 4.2) end to end on a real Prosody:
// a message cancelled while alice's timd cannot reach the server, and one
// cancelled while its file upload runs, never reach bob, not after the
// reconnect and not after a restart; alice's history shows them as
// MSG_CANCEL; the waiting SendMessage ends with 8021; and the error codes
// for sent, unknown, someone else's and group messages. A cancelled
// message sent again (same msg_id) goes back to SENDING, then SEND_SUCC.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "integration/alice_via_relay_fixture.h"
#include "support/event_reader.h"
#include "support/file_messages.h"
#include "support/free_port.h"
#include "support/message_edits.h"
#include "support/message_sets.h"
#include "support/requests.h"
#include "support/tcp_relay.h"
#include "support/upload_session.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

grpc::Status Cancel(const TimdProcess& timd, const std::string& peer, const std::string& msg_id,
                    tim::v1::CancelSendResponse* response = nullptr,
                    tim::v1::ConvType conv_type = tim::v1::CONV_C2C) {
  tim::v1::CancelSendRequest request;
  request.set_conv_id(peer);
  request.set_conv_type(conv_type);
  request.set_msg_id(msg_id);
  tim::v1::CancelSendResponse ignored;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 20s);
  return timd.Stubs()->messages->CancelSend(&ctx, request, response ? response : &ignored);
}

// Cancels `msg_id` as soon as alice's timd has stored it (its SendMessage
// runs on another thread).
grpc::Status CancelOnceStored(const TimdProcess& timd, const std::string& peer, const std::string& msg_id,
                              tim::v1::CancelSendResponse* response) {
  grpc::Status status;
  for (auto deadline = std::chrono::steady_clock::now() + 15s; std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(20ms)) {
    status = Cancel(timd, peer, msg_id, response);
    if (status.error_code() != grpc::StatusCode::NOT_FOUND) break;
  }
  return status;
}

// The stored message `msg_id` of alice's conversation with `peer`.
std::optional<tim::v1::Message> Stored(const TimdProcess& timd, const std::string& peer, const std::string& msg_id) {
  for (const auto& m : History(timd, peer)) {
    if (m.msg_id() == msg_id) return m;
  }
  return std::nullopt;
}

bool IsNetworkStatus(const tim::v1::Event& e, tim::v1::NetworkStatus status) {
  return e.has_network_status() && e.network_status().status() == status;
}

class CancelSendTest : public AliceViaRelayFixture {
 protected:
  std::vector<std::string> AliceArgs() const override {
    return {"--reconnect-base-ms", "200", "--reconnect-cap-ms", "1000"};
  }

  // The server is unreachable: the link drops and reconnect attempts hang
  // until relay_->Resume().
  void TakeTheServerAway(EventReader& alice_events) {
    relay_->BlackHole();
    relay_->Cut();
    ASSERT_TRUE(alice_events.WaitFor([](const auto& e) { return IsNetworkStatus(e, tim::v1::NET_DISCONNECTED); }))
        << alice_.log();
  }
};

TEST_F(CancelSendTest, MessageCancelledWhileOfflineNeverReachesThePeerAndShowsCancelled) {
  EventReader bob_events(bob_.Channel(), FromStart());
  EventReader alice_events(alice_.Channel(), FromStart());
  ASSERT_TRUE(SendKeyedText(*alice_.Stubs(), "bob", "before").ok());
  ASSERT_TRUE(SendKeyedText(*bob_.Stubs(), "alice", "from-bob").ok());
  ASSERT_TRUE(alice_events.WaitFor(NewMessage("from-bob"))) << alice_.log();

  ASSERT_NO_FATAL_FAILURE(TakeTheServerAway(alice_events));
  grpc::Status sent;
  std::thread app([&] {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 25s);
    tim::v1::SendMessageResponse response;
    sent = alice_.Stubs()->messages->SendMessage(&ctx, TextTo("bob", "never to be sent", "cancel-1"), &response);
  });
  tim::v1::CancelSendResponse cancelled;
  const auto started = std::chrono::steady_clock::now();
  auto status = CancelOnceStored(alice_, "bob", "cancel-1", &cancelled);
  app.join();
  ASSERT_TRUE(status.ok()) << TimCodeOf(status) << " " << status.error_message() << "\n" << alice_.log();
  std::cout << "[ figures ] cancel and the waiting send answered within "
            << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
            << " ms\n";
  EXPECT_EQ(cancelled.message().status(), tim::v1::MSG_CANCEL);
  EXPECT_EQ(cancelled.message().msg_id(), "cancel-1");
  // The waiting SendMessage ends with the reference's code for a cancelled send.
  EXPECT_EQ(sent.error_code(), grpc::StatusCode::CANCELLED) << sent.error_message();
  EXPECT_EQ(TimCodeOf(sent), 8021);
  // Cancelling again answers the same.
  ASSERT_TRUE(Cancel(alice_, "bob", "cancel-1", &cancelled).ok());
  EXPECT_EQ(cancelled.message().status(), tim::v1::MSG_CANCEL);

  // Back online: the outbox has nothing for bob but what comes next.
  relay_->Resume();
  ASSERT_TRUE(SendKeyedText(*alice_.Stubs(), "bob", "after").ok()) << alice_.log();
  ASSERT_TRUE(bob_events.WaitFor(NewMessage("after"), 30s)) << alice_.log();

  // Errors: sent, unknown, someone else's, a group.
  auto already_sent = Cancel(alice_, "bob", "after");
  EXPECT_EQ(already_sent.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(TimCodeOf(already_sent), 8020) << already_sent.error_message();
  auto unknown = Cancel(alice_, "bob", "no-such-message");
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(TimCodeOf(unknown), 7011);
  auto bobs = Cancel(alice_, "bob", "from-bob");
  EXPECT_EQ(bobs.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(TimCodeOf(bobs), 7013);
  EXPECT_EQ(TimCodeOf(Cancel(alice_, "room", "cancel-1", nullptr, tim::v1::CONV_GROUP)), 7013);
  EXPECT_EQ(TimCodeOf(Cancel(alice_, "a/b@", "cancel-1")), 7003);
  EXPECT_EQ(TimCodeOf(Cancel(alice_, "bob", "")), 6017);

  // A restart does not bring it back to the outbox.
  alice_.Restart();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  ASSERT_TRUE(SendKeyedText(*alice_.Stubs(), "bob", "after-restart").ok()) << alice_.log();
  ASSERT_TRUE(bob_events.WaitFor(NewMessage("after-restart"), 30s)) << alice_.log();
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(Copies(bob_events, "cancel-1").empty());
  EXPECT_FALSE(Stored(bob_, "alice", "cancel-1").has_value());
  auto mine = Stored(alice_, "bob", "cancel-1");
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->status(), tim::v1::MSG_CANCEL);
  EXPECT_EQ(TextOf(*mine), "never to be sent");
  EXPECT_EQ(Stored(alice_, "bob", "after")->status(), tim::v1::MSG_SEND_SUCC);
}

TEST_F(CancelSendTest, CancelledMessageSentAgainGoesBackToSendingThenSucceeds) {
  EventReader bob_events(bob_.Channel(), FromStart());
  EventReader alice_events(alice_.Channel(), FromStart());
  ASSERT_TRUE(SendKeyedText(*alice_.Stubs(), "bob", "first").ok());
  ASSERT_NO_FATAL_FAILURE(TakeTheServerAway(alice_events));
  grpc::Status first_try;
  std::thread app([&] {
    tim::v1::SendMessageResponse response;
    first_try = SendWithin(*alice_.Stubs(), TextTo("bob", "resent later", "resend-1"), &response, 25s);
  });
  tim::v1::CancelSendResponse cancelled;
  ASSERT_TRUE(CancelOnceStored(alice_, "bob", "resend-1", &cancelled).ok()) << alice_.log();
  app.join();
  EXPECT_EQ(TimCodeOf(first_try), 8021);

  // TIM's resend: the same message (msg_id as the key) sent again.
  grpc::Status resent;
  tim::v1::SendMessageResponse resent_response;
  const auto started = std::chrono::steady_clock::now();
  std::thread resend([&] {
    resent = SendWithin(*alice_.Stubs(), TextTo("bob", "resent later", "resend-1"), &resent_response, 40s);
  });
  std::optional<tim::v1::Message> waiting;
  for (auto deadline = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(20ms)) {
    waiting = Stored(alice_, "bob", "resend-1");
    if (waiting && waiting->status() == tim::v1::MSG_SENDING) break;
  }
  ASSERT_TRUE(waiting.has_value());
  EXPECT_EQ(waiting->status(), tim::v1::MSG_SENDING) << "back in the outbox";
  relay_->Resume();
  resend.join();
  ASSERT_TRUE(resent.ok()) << TimCodeOf(resent) << " " << resent.error_message() << "\n" << alice_.log();
  std::cout << "[ figures ] resend answered SEND_SUCC "
            << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
            << " ms after it was asked (offline, then the link came back)\n";
  EXPECT_EQ(resent_response.message().msg_id(), "resend-1");
  EXPECT_EQ(resent_response.message().status(), tim::v1::MSG_SEND_SUCC);
  EXPECT_EQ(Stored(alice_, "bob", "resend-1")->status(), tim::v1::MSG_SEND_SUCC);
  ASSERT_TRUE(bob_events.WaitFor(NewMessage("resend-1"), 30s)) << alice_.log();
  EXPECT_TRUE(alice_events.WaitFor([](const tim::v1::Event& e) {
    if (!e.has_conv_event() || e.conv_event().type() != tim::v1::CONV_EVENT_UPDATE) return false;
    const auto& last = e.conv_event().conversations(0).last_msg();
    return last.msg_id() == "resend-1" && last.status() == tim::v1::MSG_SEND_SUCC;
  })) << "the conversation's last message follows";
  EXPECT_TRUE(alice_events.WaitFor(NewMessage("resend-1")));

  // A message that is not failed or cancelled cannot be sent again under its id.
  tim::v1::RevokeMessageResponse revoked;
  ASSERT_TRUE(Revoke(alice_, "bob", "first", &revoked).ok());
  tim::v1::SendMessageResponse ignored;
  const grpc::Status refused = SendWithin(*alice_.Stubs(), TextTo("bob", "first", "first"), &ignored);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::ALREADY_EXISTS) << refused.error_message();
  EXPECT_EQ(TimCodeOf(refused), 6017);
}

// The upload's HTTPS goes through a relay (http_external_url names it), so
// the PUT can be held mid-way while the message is cancelled.
TEST(CancelSendUploadTest, RunningUploadIsStoppedAndTheMessageNeverGoesOut) {
  ProsodyServer prosody;
  prosody.EnableHttpUpload(256 * 1024 * 1024);
  const uint16_t upload_port = FreePort();
  prosody.AddGlobalConfig("http_external_url = \"https://127.0.0.1:" + std::to_string(upload_port) + "/\"");
  prosody.Start();
  TcpRelay upload_relay(prosody.https_port(), "127.0.0.1", upload_port);
  TimdProcess alice, bob;
  ASSERT_NO_FATAL_FAILURE(StartLoggedIn(prosody, alice, "alice"));
  ASSERT_NO_FATAL_FAILURE(StartLoggedIn(prosody, bob, "bob"));
  EventReader alice_events(alice.Channel(), FromStart());
  EventReader bob_events(bob.Channel(), FromStart());

  TempDir files;
  const std::string path = files.File("clip.mp4");
  constexpr uint64_t kSize = 80 * 1024 * 1024;
  WriteRandomFile(path, kSize, 7);
  grpc::Status sent;
  tim::v1::SendMessageResponse response;
  std::thread app(
      [&] { sent = SendWithin(*alice.Stubs(), FileTo("bob", path, tim::v1::ELEM_VIDEO, "up-1"), &response, 120s); });
  ASSERT_TRUE(alice_events.WaitFor(SomeBytesUp, 30s)) << alice.log();
  upload_relay.BlackHole();  // the PUT stalls mid-way, still running
  tim::v1::CancelSendResponse cancelled;
  auto status = Cancel(alice, "bob", "up-1", &cancelled);
  app.join();
  ASSERT_TRUE(status.ok()) << TimCodeOf(status) << " " << status.error_message() << "\n" << alice.log();
  EXPECT_EQ(cancelled.message().status(), tim::v1::MSG_CANCEL);
  EXPECT_EQ(TimCodeOf(sent), 8021) << sent.error_message();
  std::this_thread::sleep_for(1s);  // progress published before the cancel arrives
  const uint64_t up_at_cancel = BytesUp(alice_events);
  std::cout << "[ figures ] upload cancelled after " << up_at_cancel << " of " << kSize << " bytes\n";
  EXPECT_LT(up_at_cancel, kSize);

  // Released, a running PUT would go on and report progress: none comes.
  upload_relay.Resume();
  ASSERT_TRUE(SendKeyedText(*alice.Stubs(), "bob", "after-upload").ok()) << alice.log();
  ASSERT_TRUE(bob_events.WaitFor(NewMessage("after-upload"), 30s)) << alice.log();
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(BytesUp(alice_events), up_at_cancel);
  EXPECT_TRUE(Copies(bob_events, "up-1").empty());
  auto mine = Stored(alice, "bob", "up-1");
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->status(), tim::v1::MSG_CANCEL);

  // Nor after a restart (a message whose upload was cut off uploads again
  // after a restart; a cancelled one does not).
  alice.Restart();
  ASSERT_TRUE(alice.WaitLoggedIn()) << alice.log();
  ASSERT_TRUE(SendKeyedText(*alice.Stubs(), "bob", "after-upload-restart").ok()) << alice.log();
  ASSERT_TRUE(bob_events.WaitFor(NewMessage("after-upload-restart"), 30s)) << alice.log();
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(Copies(bob_events, "up-1").empty());
  EXPECT_FALSE(Stored(bob, "alice", "up-1").has_value());
}

}  // namespace
}  // namespace timd::test
