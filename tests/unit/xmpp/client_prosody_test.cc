// Client against a real Prosody (tests/support fixture): STARTTLS + SCRAM +
// bind + stream management, direct TLS, a chat round trip with acks, a
// resource conflict, and the login failures.
#include <gtest/gtest.h>

#include <csignal>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/prosody_fixture.h"
#include "xmpp/chat.h"
#include "xmpp/client.h"
#include "xmpp/ping.h"

namespace timd::xmpp {
namespace {

// One account's client with its observations.
struct Session {
  std::unique_ptr<Client> client;
  std::unique_ptr<ChatManager> chat;
  std::optional<Jid> online;
  std::optional<ClientCloseInfo> closed;
  std::vector<uint64_t> acked;
  std::vector<IncomingChat> received;
};

class ClientProsodyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);  // as timd does: a write to a closed socket must not kill us
    uv_loop_init(&loop_);
    prosody_.Start();
    prosody_.AddUser("alice", "alice-pw");
    prosody_.AddUser("bob", "bob-pw");
  }
  void TearDown() override {
    sessions_.clear();
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }

  ClientOptions Options(const std::string& user, const std::string& password) {
    ClientOptions options;
    options.transport.host = "127.0.0.1";
    options.transport.port = prosody_.c2s_port();
    options.transport.tls_server_name = test::ProsodyServer::kDomain;
    options.transport.ca_file = prosody_.ca_file();
    options.domain = test::ProsodyServer::kDomain;
    options.username = user;
    options.password = password;
    options.resource = "test";
    return options;
  }

  Session& Start(const ClientOptions& options) {
    sessions_.push_back(std::make_unique<Session>());
    Session& s = *sessions_.back();
    Client::Callbacks callbacks;
    callbacks.on_online = [&s](const Jid& jid) { s.online = jid; };
    callbacks.on_closed = [&s](const ClientCloseInfo& info) { s.closed = info; };
    callbacks.on_acked = [&s](uint64_t h) { s.acked.push_back(h); };
    s.client = std::make_unique<Client>(&loop_, options, callbacks);
    s.chat = std::make_unique<ChatManager>(*s.client, [&s](const IncomingChat& m) { s.received.push_back(m); });
    s.client->AddHandler(s.chat.get());
    s.client->Connect();
    return s;
  }

  // Runs the loop until `done` holds (checked every 10 ms) or 10 s pass.
  bool RunUntil(const std::function<bool()>& done) {
    for (int i = 0; i < 1000 && !done(); ++i) {
      uv_timer_t tick;
      uv_timer_init(&loop_, &tick);
      uv_timer_start(&tick, [](uv_timer_t*) {}, 10, 0);
      uv_run(&loop_, UV_RUN_ONCE);
      uv_close(reinterpret_cast<uv_handle_t*>(&tick), nullptr);
      uv_run(&loop_, UV_RUN_NOWAIT);
    }
    return done();
  }

  uv_loop_t loop_;
  test::ProsodyServer prosody_;
  std::vector<std::unique_ptr<Session>> sessions_;
};

TEST_F(ClientProsodyTest, ChatRoundTripWithAcksThenCleanClose) {
  Session& alice = Start(Options("alice", "alice-pw"));
  Session& bob = Start(Options("bob", "bob-pw"));
  ASSERT_TRUE(RunUntil([&] { return (alice.online && bob.online) || alice.closed || bob.closed; }))
      << prosody_.LogTail();
  ASSERT_TRUE(alice.online.has_value()) << (alice.closed ? alice.closed->detail : "");
  EXPECT_EQ(alice.online->Full(), "alice@localhost/test");
  EXPECT_TRUE(alice.client->stream_management_enabled());

  uint64_t seq = alice.chat->Send(OutgoingChat{"bob@localhost/test", "m-1", "hello bob"});
  EXPECT_EQ(seq, 1u);
  ASSERT_TRUE(RunUntil([&] { return !bob.received.empty() && !alice.acked.empty(); }));
  EXPECT_EQ(bob.received[0].body, "hello bob");
  EXPECT_EQ(bob.received[0].origin_id, "m-1");
  EXPECT_EQ(alice.acked.back(), 1u);

  alice.client->Disconnect();
  ASSERT_TRUE(RunUntil([&] { return alice.closed.has_value(); }));
  EXPECT_EQ(alice.closed->error, ClientError::kNone) << alice.closed->detail;
  EXPECT_EQ(alice.client->state(), ClientState::kDisconnected);
}

TEST_F(ClientProsodyTest, DirectTlsAndEmulatedAcksWithoutSm) {
  ClientOptions options = Options("alice", "alice-pw");
  options.transport.port = prosody_.direct_tls_port();
  options.transport.direct_tls = true;
  options.stream_management = false;
  Session& alice = Start(options);
  ASSERT_TRUE(RunUntil([&] { return alice.online || alice.closed; }));
  ASSERT_TRUE(alice.online.has_value()) << (alice.closed ? alice.closed->detail : "");
  EXPECT_FALSE(alice.client->stream_management_enabled());
  alice.chat->Send(OutgoingChat{"bob@localhost", "m-1", "one"});
  alice.chat->Send(OutgoingChat{"bob@localhost", "m-2", "two"});
  ASSERT_TRUE(RunUntil([&] { return !alice.acked.empty() && alice.acked.back() == 2; }));
}

TEST_F(ClientProsodyTest, SameResourceTwiceIsConflict) {
  Session& first = Start(Options("alice", "alice-pw"));
  ASSERT_TRUE(RunUntil([&] { return first.online || first.closed; }));
  ASSERT_TRUE(first.online.has_value());
  Session& second = Start(Options("alice", "alice-pw"));
  ASSERT_TRUE(RunUntil([&] { return first.closed && second.online; }));
  EXPECT_EQ(first.closed->error, ClientError::kConflict) << first.closed->detail;
}

TEST_F(ClientProsodyTest, WrongPasswordIsNotAuthorized) {
  Session& alice = Start(Options("alice", "not-the-password"));
  ASSERT_TRUE(RunUntil([&] { return alice.closed.has_value(); }));
  EXPECT_EQ(alice.closed->error, ClientError::kAuthNotAuthorized);
  EXPECT_EQ(alice.closed->detail.find("not-the-password"), std::string::npos);
}

TEST_F(ClientProsodyTest, CertificateForAnotherNameIsRejected) {
  ClientOptions options = Options("alice", "alice-pw");
  options.transport.tls_server_name = "example.org";
  Session& alice = Start(options);
  ASSERT_TRUE(RunUntil([&] { return alice.closed.has_value(); }));
  EXPECT_EQ(alice.closed->error, ClientError::kTls);
  EXPECT_NE(alice.closed->detail.find("hostname mismatch"), std::string::npos) << alice.closed->detail;
}

}  // namespace
}  // namespace timd::xmpp
