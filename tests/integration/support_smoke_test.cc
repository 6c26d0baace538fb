// Proves the timd, echo-peer and event-reader fixtures end to end: alice's
// timd sends to bob's echo peer and sees the echo as an event.
#include <gtest/gtest.h>

#include "support/event_reader.h"
#include "support/peer_process.h"
#include "support/prosody_fixture.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

TEST(SupportSmokeTest, TimdSendsToEchoPeerAndSeesTheEcho) {
  ProsodyServer prosody;
  prosody.Start();
  prosody.AddUser("alice", "alicepw");
  prosody.AddUser("bob", "bobpw");

  PeerProcess bob(prosody, "bob", "bobpw");
  bob.Start();
  EXPECT_EQ(bob.jid().rfind("bob@localhost", 0), 0u) << bob.jid();

  TimdProcess timd;
  timd.UseProsody(prosody);
  timd.LoginAs("alice", "alicepw");
  timd.Start();
  ASSERT_TRUE(timd.WaitLoggedIn()) << timd.log();

  tim::v1::SubscribeRequest sub;
  sub.set_since_seq(0);
  EventReader events(timd.Channel(), sub);

  grpc::ClientContext ctx;
  tim::v1::SendMessageRequest req;
  req.set_conv_id("bob");
  req.set_conv_type(tim::v1::CONV_C2C);
  auto* elem = req.add_elems();
  elem->set_type(tim::v1::ELEM_TEXT);
  elem->mutable_text()->set_content("ping 1");
  tim::v1::SendMessageResponse resp;
  grpc::Status status = timd.Stubs()->messages->SendMessage(&ctx, req, &resp);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << timd.log();

  EXPECT_TRUE(events.WaitFor(HasTextMessage("echo: ping 1"))) << timd.log();
  ASSERT_TRUE(bob.WaitReceived(1)) << bob.output();
  EXPECT_NE(bob.ReceivedLines().front().find("\tping 1"), std::string::npos);

  events.Cancel();
  EXPECT_TRUE(events.finished());
  timd.Stop();  // throws unless exit 0
}

}  // namespace
}  // namespace timd::test
