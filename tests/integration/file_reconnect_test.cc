// A file upload survives a lost XMPP connection: the sender's stream is cut
// (TcpRelay) while the HTTP PUT runs; the PUT goes on, the message waits in
// the outbox and goes out once timd has reconnected, exactly once, and the
// app's SendMessage call completes.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "support/event_reader.h"
#include "support/file_messages.h"
#include "support/message_sets.h"
#include "support/requests.h"
#include "support/tcp_relay.h"
#include "support/upload_session.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

TEST(FileReconnectTest, UploadGoesOnWhileTheStreamIsCutAndTheMessageGoesOutAfterReconnect) {
  ProsodyServer prosody;
  prosody.EnableHttpUpload(256 * 1024 * 1024);
  prosody.Start();
  prosody.AddUser("alice", "alice-secret");
  TcpRelay relay(prosody.c2s_port());
  TimdProcess alice;
  alice.UseProsodyVia(prosody, relay.port());
  alice.LoginAs("alice", "alice-secret");
  alice.AddArgs({"--reconnect-base-ms", "200", "--reconnect-cap-ms", "1000"});
  alice.Start();
  ASSERT_TRUE(alice.WaitLoggedIn()) << alice.log();
  TimdProcess bob;
  ASSERT_NO_FATAL_FAILURE(StartLoggedIn(prosody, bob, "bob"));
  EventReader alice_events(alice.Channel(), FromStart());
  EventReader bob_events(bob.Channel(), FromStart());

  TempDir files;
  const std::string path = files.File("clip.mp4");
  constexpr uint64_t kSize = 80 * 1024 * 1024;
  WriteRandomFile(path, kSize, 4);
  grpc::Status status;
  tim::v1::SendMessageResponse sent;
  std::thread sender(
      [&] { status = SendWithin(*alice.Stubs(), FileTo("bob", path, tim::v1::ELEM_VIDEO, "rc-1"), &sent, 180s); });
  ASSERT_TRUE(alice_events.WaitFor(SomeBytesUp, 30s)) << alice.log();
  relay.Cut();
  std::cout << "[ figures ] stream cut after " << BytesUp(alice_events) << " of " << kSize << " bytes uploaded\n";
  sender.join();
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << alice.log();
  EXPECT_EQ(sent.message().status(), tim::v1::MSG_SEND_SUCC);
  EXPECT_GE(relay.accepted(), 2);  // it did reconnect

  ASSERT_TRUE(bob_events.WaitFor(NewMessage("rc-1"), 60s)) << alice.log();
  std::this_thread::sleep_for(2s);  // a second copy would come now
  const auto copies = Copies(bob_events, "rc-1");
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies[0].elems(0).file().sha256(), FileSha256Hex(path));
}

}  // namespace
}  // namespace timd::test
