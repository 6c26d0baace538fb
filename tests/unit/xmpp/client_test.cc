// The client stream state machine against a scripted fake XMPP server
// (fake_xmpp_server.h): login, binding, stream errors, DNS, liveness.
// Stream management through the client: client_stream_management_test.cc.
#include "xmpp/client.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fake_xmpp_server.h"

namespace timd::xmpp::testing {
namespace {

TEST_F(ClientTest, LoginBindSmAndAcks) {
  std::string server_ack_h, client_ack_h, unhandled_reply;
  FakeServer server([&](ServerConnection& conn) {
    if (!ServeLogin(conn)) return;
    ServeBindAndSm(conn);
    conn.Send(
        "<message from='bob@localhost/x' id='m1' type='chat'><body>one</body></message>"
        "<message from='bob@localhost/x' id='m2' type='chat'><body>two</body></message>"
        "<iq from='localhost' id='q1' type='get'><query xmlns='jabber:iq:version'/></iq>");
    Element reply = conn.Expect("message");  // the handler's answer to m2: outbound #1
    EXPECT_EQ(reply.Attr("to"), "bob@localhost/x");
    Element error = conn.Expect("iq");  // outbound #2
    unhandled_reply = error.Serialize();
    conn.Expect("r");  // the client's coalesced ack request
    conn.Send("<a xmlns='urn:xmpp:sm:3' h='2'/>");
    conn.Send("<r xmlns='urn:xmpp:sm:3'/>");
    client_ack_h = std::string(conn.Expect("a").Attr("h"));
    conn.Send("<message from='bob@localhost/x' id='bye' type='chat'><body>bye</body></message>");
    server_ack_h = std::string(conn.Expect("a").Attr("h"));  // sent by Disconnect()
    conn.Expect("stream-close");
    conn.Send("</stream:stream>");
  });
  StartClient(server.port());
  std::vector<std::string> seen;
  LambdaHandler handler([&](const Element& stanza) {
    if (stanza.name != "message") return false;
    std::string id(stanza.Attr("id"));
    seen.push_back(id);
    if (id == "m2") {
      Element reply("message", "jabber:client");
      reply.SetAttr("to", std::string(stanza.Attr("from")));
      EXPECT_EQ(client_->Send(reply), 1u);
    }
    if (id == "bye") client_->Disconnect();
    return true;
  });
  client_->AddHandler(&handler);
  RunUntilClosed();
  server.Join();

  EXPECT_EQ(online_jid_, "alice@localhost/r1");
  EXPECT_EQ(closed_->error, ClientError::kNone) << closed_->detail;
  EXPECT_EQ(seen, (std::vector<std::string>{"m1", "m2", "bye"}));
  EXPECT_NE(unhandled_reply.find("type='error'"), std::string::npos) << unhandled_reply;
  EXPECT_NE(unhandled_reply.find("service-unavailable"), std::string::npos) << unhandled_reply;
  EXPECT_NE(unhandled_reply.find("id='q1'"), std::string::npos) << unhandled_reply;
  EXPECT_EQ(client_ack_h, "3");  // m1, m2, q1
  EXPECT_EQ(server_ack_h, "4");  // ... and bye
  EXPECT_EQ(acked_, (std::vector<uint64_t>{2}));
  EXPECT_EQ(server.received().find(kPassword), std::string::npos);
}

TEST_F(ClientTest, WrongPasswordIsNotAuthorized) {
  FakeServer server([](ServerConnection& conn) {
    EXPECT_FALSE(ServeLogin(conn));
    conn.Next();  // the client's </stream:stream> or EOF
  });
  StartClient(server.port(), "wrong password");
  RunUntilClosed();
  EXPECT_EQ(closed_->error, ClientError::kAuthNotAuthorized);
  EXPECT_NE(closed_->detail.find("not-authorized"), std::string::npos) << closed_->detail;
  EXPECT_NE(closed_->detail.find("doesn't match"), std::string::npos) << closed_->detail;
  EXPECT_EQ(closed_->detail.find("wrong password"), std::string::npos);
  EXPECT_TRUE(online_jid_.empty());
}

TEST_F(ClientTest, CredentialsExpired) {
  FakeServer server([](ServerConnection& conn) {
    conn.Expect("stream-open");
    conn.Send(std::string(kServerHeader) +
              "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
              "<mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>");
    conn.Expect("auth");
    conn.Send("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><credentials-expired/></failure>");
    conn.Next();
  });
  StartClient(server.port());
  RunUntilClosed();
  EXPECT_EQ(closed_->error, ClientError::kAuthCredentialsExpired) << closed_->detail;
}

TEST_F(ClientTest, TlsRequiredButNotOffered) {
  FakeServer server([](ServerConnection& conn) {
    conn.Expect("stream-open");
    conn.Send(std::string(kServerHeader) +
              "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
              "<mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>");
    EXPECT_EQ(conn.Next().name, "stream-close");  // no <auth/> without TLS
  });
  ClientOptions options;
  options.transport.host = "127.0.0.1";
  options.transport.port = server.port();
  options.domain = "localhost";
  options.username = "alice";
  options.password = kPassword;
  Client::Callbacks callbacks;
  callbacks.on_closed = [this](const ClientCloseInfo& info) { closed_ = info; };
  callbacks.on_state = [this](ClientState state) {
    if (state == ClientState::kDisconnected) uv_stop(&loop_);
  };
  client_ = std::make_unique<Client>(&loop_, options, callbacks);
  client_->Connect();
  RunUntilClosed();
  EXPECT_EQ(closed_->error, ClientError::kTlsRequired);
}

TEST_F(ClientTest, GarbageIsMalformedXml) {
  std::string client_error;
  FakeServer server([&](ServerConnection& conn) {
    if (!ServeLogin(conn)) return;
    ServeBindAndSm(conn);
    conn.Send("<message from='bob@localhost/x' id='m1'><body>fine</body></message>\x01\x02<<garbage&&>");
    Element e = conn.Next();
    client_error = e.Serialize();
  });
  StartClient(server.port());
  RunUntilClosed();
  server.Join();
  EXPECT_EQ(closed_->error, ClientError::kMalformedXml) << closed_->detail;
  EXPECT_NE(client_error.find("not-well-formed"), std::string::npos) << client_error;
}

TEST_F(ClientTest, ConflictStreamError) {
  FakeServer server([](ServerConnection& conn) {
    if (!ServeLogin(conn)) return;
    ServeBindAndSm(conn);
    conn.Send(
        "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
        "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Replaced by new connection</text>"
        "</stream:error></stream:stream>");
    conn.Next();
  });
  StartClient(server.port());
  RunUntilClosed();
  EXPECT_EQ(online_jid_, "alice@localhost/r1");
  EXPECT_EQ(closed_->error, ClientError::kConflict) << closed_->detail;
  EXPECT_NE(closed_->detail.find("Replaced by new connection"), std::string::npos) << closed_->detail;
}

TEST_F(ClientTest, OtherStreamErrorKeepsCondition) {
  FakeServer server([](ServerConnection& conn) {
    conn.Expect("stream-open");
    conn.Send(std::string(kServerHeader) +
              "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"
              "</stream:stream>");
    conn.Next();
  });
  StartClient(server.port());
  RunUntilClosed();
  EXPECT_EQ(closed_->error, ClientError::kStreamError);
  EXPECT_EQ(closed_->detail, "host-unknown");
}

TEST_F(ClientTest, RefusedConnectionIsNetworkError) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  StartClient(ntohs(addr.sin_port));
  RunUntilClosed();
  EXPECT_EQ(closed_->error, ClientError::kNetwork);
}

// Without a host, the client first looks the server up in DNS: a
// Disconnect meanwhile ends the attempt cleanly, leaving no libuv handle
// (c-ares sockets included) behind.
TEST_F(ClientTest, DisconnectWhileLookingUpTheServerClosesCleanly) {
  int silent_dns = socket(AF_INET, SOCK_DGRAM, 0);  // receives the queries, never answers
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(silent_dns, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  getsockname(silent_dns, reinterpret_cast<sockaddr*>(&addr), &len);
  StartClient(0, kPassword, [&](ClientOptions& options) {
    options.transport.host.clear();
    options.dns_servers = {"127.0.0.1:" + std::to_string(ntohs(addr.sin_port))};
  });
  for (int i = 0; i < 5; ++i) uv_run(&loop_, UV_RUN_NOWAIT);
  char query[512];
  EXPECT_GT(recv(silent_dns, query, sizeof query, MSG_DONTWAIT), 0) << "no SRV query reached the DNS server";
  EXPECT_EQ(client_->state(), ClientState::kConnecting);
  client_->Disconnect();
  RunUntilClosed();
  EXPECT_EQ(closed_->error, ClientError::kNone);
  close(silent_dns);
}

TEST_F(ClientTest, DestroyFromOnlineCallbackIsSafe) {
  FakeServer server([](ServerConnection& conn) {
    if (!ServeLogin(conn)) return;
    ServeBindAndSm(conn);
    conn.Next();
  });
  ClientOptions options;
  options.transport.host = "127.0.0.1";
  options.transport.port = server.port();
  options.domain = "localhost";
  options.username = "alice";
  options.password = kPassword;
  options.require_tls = false;
  bool online = false;
  Client::Callbacks callbacks;
  callbacks.on_online = [&](const Jid&) {
    online = true;
    client_.reset();
    uv_stop(&loop_);
  };
  client_ = std::make_unique<Client>(&loop_, options, callbacks);
  client_->Connect();
  RunWithDeadline();
  EXPECT_TRUE(online);
  EXPECT_EQ(client_, nullptr);
}

// --- liveness ---

TEST_F(ClientTest, SilentServerIsPingTimeout) {
  bool got_probe = false;
  FakeServer server([&](ServerConnection& conn) {
    if (!ServeLogin(conn)) return;
    ServeBindAndSm(conn);
    got_probe = conn.Next().name == "r";  // never answered
    conn.Next();                          // EOF once the client gives up
  });
  uint64_t start = 0;
  StartClient(server.port(), kPassword, [&](ClientOptions& options) {
    options.ping_interval_ms = 200;
    options.ping_timeout_ms = 300;
    start = uv_now(&loop_);
  });
  RunUntilClosed();
  server.Join();
  EXPECT_TRUE(got_probe);
  EXPECT_EQ(closed_->error, ClientError::kPingTimeout) << closed_->detail;
  EXPECT_NE(closed_->detail.find("no answer from the server"), std::string::npos) << closed_->detail;
  EXPECT_LT(uv_now(&loop_) - start, 3000u);
  EXPECT_TRUE(client_->resume_state().has_value()) << "a dead link leaves the session resumable";
}

TEST_F(ClientTest, PingWithoutSmUsesXep0199) {
  std::string probe;
  FakeServer server([&](ServerConnection& conn) {
    if (!ServeLogin(conn)) return;
    conn.Expect("stream-open");
    conn.Send(std::string(kServerHeader) +
              "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>");
    Element iq = conn.Expect("iq");
    conn.Send("<iq type='result' id='" + std::string(iq.Attr("id")) +
              "'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@localhost/r1</jid></bind></iq>");
    Element ping = conn.Expect("iq");  // answered: the link is alive
    probe = ping.Serialize();
    conn.Send("<iq type='result' id='" + std::string(ping.Attr("id")) + "'/>");
    conn.Expect("iq");  // the next probe goes unanswered
    conn.Next();
  });
  StartClient(server.port(), kPassword, [](ClientOptions& options) {
    options.ping_interval_ms = 200;
    options.ping_timeout_ms = 300;
  });
  RunUntilClosed();
  server.Join();
  EXPECT_NE(probe.find("urn:xmpp:ping"), std::string::npos) << probe;
  EXPECT_EQ(closed_->error, ClientError::kPingTimeout) << closed_->detail;
  EXPECT_FALSE(client_->resume_state().has_value());
}


}  // namespace
}  // namespace timd::xmpp::testing
