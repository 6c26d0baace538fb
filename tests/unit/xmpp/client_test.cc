// Over 500 lines: every case drives the one Client state machine through the
// same scripted fake server; it splits along with client.cc (issue 15).
// Client stream state machine against a scripted fake XMPP server on
// loopback (plain TCP, SCRAM-SHA-1 verified by a GNU SASL server session).
#include "xmpp/client.h"

#include <arpa/inet.h>
#include <gsasl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "xmpp/xml_stream_parser.h"

namespace timd::xmpp {
namespace {

constexpr char kPassword[] = "s3cret-pässword";
constexpr char kServerHeader[] =
    "<?xml version='1.0'?><stream:stream from='localhost' id='s1' version='1.0' xmlns='jabber:client' "
    "xmlns:stream='http://etherx.jabber.org/streams'>";

// One accepted connection, read through the project's own stream parser.
class ServerConnection {
 public:
  explicit ServerConnection(int fd) : fd_(fd) {
    timeval timeout{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    XmlStreamParser::Callbacks callbacks;
    callbacks.on_stream_open = [this](const auto&) { events_.push_back(Element("stream-open", "")); };
    callbacks.on_stanza = [this](Element e) { events_.push_back(std::move(e)); };
    callbacks.on_stream_close = [this] { events_.push_back(Element("stream-close", "")); };
    callbacks.on_error = [this](const std::string&) { events_.push_back(Element("parse-error", "")); };
    parser_ = std::make_unique<XmlStreamParser>(std::move(callbacks));
  }
  ~ServerConnection() { close(fd_); }

  void Send(const std::string& data) { ASSERT_EQ(write(fd_, data.data(), data.size()), ssize_t(data.size())); }

  // The next top-level event, or an element named "eof" when the client closed.
  Element Next() {
    while (events_.empty()) {
      char buf[4096];
      ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) return Element("eof", "");
      received_.append(buf, n);
      parser_->Feed(std::string_view(buf, n));
    }
    Element e = std::move(events_.front());
    events_.pop_front();
    return e;
  }

  Element Expect(const std::string& name) {
    Element e = Next();
    EXPECT_EQ(e.name, name) << e.Serialize();
    return e;
  }

  void ResetParser() { parser_->Reset(); }
  // Everything the client sent, for checks that secrets never leave in clear.
  const std::string& received() const { return received_; }

 private:
  int fd_;
  std::unique_ptr<XmlStreamParser> parser_;
  std::deque<Element> events_;
  std::string received_;
};

int ServerCallback(Gsasl*, Gsasl_session* session, Gsasl_property property) {
  if (property != GSASL_PASSWORD) return GSASL_NO_CALLBACK;
  gsasl_property_set(session, GSASL_PASSWORD, kPassword);
  return GSASL_OK;
}

// Plays the server side of SCRAM-SHA-1. Returns true when the client proved
// the password (and <success/> with the server signature was sent).
bool ServeScram(ServerConnection& conn) {
  Gsasl* context = nullptr;
  gsasl_init(&context);
  gsasl_callback_set(context, &ServerCallback);
  Gsasl_session* session = nullptr;
  gsasl_server_start(context, "SCRAM-SHA-1", &session);
  Element auth = conn.Expect("auth");
  EXPECT_EQ(auth.Attr("mechanism"), "SCRAM-SHA-1");
  bool ok = false;
  std::string input = auth.text;
  while (true) {
    char* out = nullptr;
    int rc = gsasl_step64(session, input.c_str(), &out);
    std::string output = out != nullptr ? out : "";
    gsasl_free(out);
    if (rc == GSASL_NEEDS_MORE) {
      conn.Send("<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" + output + "</challenge>");
      input = conn.Expect("response").text;
      continue;
    }
    if (rc == GSASL_OK) {
      conn.Send("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" + output + "</success>");
      ok = true;
    } else {
      conn.Send(
          "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/>"
          "<text>The response provided by the client doesn't match</text></failure>");
    }
    break;
  }
  gsasl_finish(session);
  gsasl_done(context);
  return ok;
}

// Stream header, SASL-only features, then authentication.
bool ServeLogin(ServerConnection& conn) {
  conn.Expect("stream-open");
  conn.Send(std::string(kServerHeader) +
            "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
            "<mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>");
  bool ok = ServeScram(conn);
  conn.ResetParser();
  return ok;
}

// Restarted stream, bind (server picks the resource) and SM enable.
void ServeBindAndSm(ServerConnection& conn) {
  conn.Expect("stream-open");
  conn.Send(std::string(kServerHeader) +
            "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
            "<sm xmlns='urn:xmpp:sm:3'/></stream:features>");
  Element iq = conn.Expect("iq");
  EXPECT_EQ(iq.Attr("type"), "set");
  const Element* bind = iq.Child("bind", "urn:ietf:params:xml:ns:xmpp-bind");
  EXPECT_NE(bind, nullptr);
  if (bind != nullptr) {
    EXPECT_EQ(bind->Child("resource"), nullptr);
  }
  conn.Send("<iq type='result' id='" + std::string(iq.Attr("id")) +
            "'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@localhost/r1</jid></bind></iq>");
  Element enable = conn.Expect("enable");
  EXPECT_EQ(enable.xmlns, "urn:xmpp:sm:3");
  EXPECT_EQ(enable.Attr("resume"), "true");
  conn.Send("<enabled xmlns='urn:xmpp:sm:3' id='sm-1' resume='true'/>");
}

// Accepts one connection on a loopback port and runs `script` on it.
class FakeServer {
 public:
  explicit FakeServer(std::function<void(ServerConnection&)> script) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(listener_, 1);
    socklen_t len = sizeof addr;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, script = std::move(script)] {
      int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      ServerConnection conn(fd);
      script(conn);
      received_ = conn.received();
    });
  }
  ~FakeServer() { Join(); }
  void Join() {
    if (!thread_.joinable()) return;
    shutdown(listener_, SHUT_RDWR);
    thread_.join();
    close(listener_);
  }
  uint16_t port() const { return port_; }
  const std::string& received() const { return received_; }  // after Join()

 private:
  int listener_;
  uint16_t port_;
  std::thread thread_;
  std::string received_;
};

// Calls a function for each stanza the client hands to its handlers.
class LambdaHandler : public StanzaHandler {
 public:
  explicit LambdaHandler(std::function<bool(const Element&)> fn) : fn_(std::move(fn)) {}
  bool HandleStanza(const Element& stanza) override { return fn_(stanza); }

 private:
  std::function<bool(const Element&)> fn_;
};

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override { uv_loop_init(&loop_); }
  void TearDown() override {
    client_.reset();
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0) << "a libuv handle was leaked";
  }

  void StartClient(uint16_t port, const std::string& password = kPassword,
                   const std::function<void(ClientOptions&)>& tweak = {}) {
    ClientOptions options;
    options.transport.host = "127.0.0.1";
    options.transport.port = port;
    options.domain = "localhost";
    options.username = "alice";
    options.password = password;
    options.require_tls = false;
    if (tweak) tweak(options);
    Client::Callbacks callbacks;
    callbacks.on_online = [this](const Jid& jid) { online_jid_ = jid.Full(); };
    callbacks.on_resumed = [this](const Jid& jid) { resumed_jid_ = jid.Full(); };
    callbacks.on_resume_failed = [this](const std::string& condition) { resume_failed_ = condition; };
    callbacks.on_closed = [this](const ClientCloseInfo& info) {
      EXPECT_FALSE(closed_.has_value()) << "on_closed fired twice";
      closed_ = info;
    };
    callbacks.on_state = [this](ClientState state) {
      if (state == ClientState::kDisconnected) uv_stop(&loop_);
    };
    callbacks.on_acked = [this](uint64_t h) { acked_.push_back(h); };
    callbacks.on_ack_requested = on_ack_requested_;
    client_ = std::make_unique<Client>(&loop_, options, callbacks);
    client_->Connect();
  }

  // Runs the loop until uv_stop() or 10 s.
  void RunWithDeadline() {
    uv_timer_t deadline;
    uv_timer_init(&loop_, &deadline);
    uv_timer_start(&deadline, [](uv_timer_t* t) { uv_stop(t->loop); }, 10000, 0);
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
    uv_run(&loop_, UV_RUN_NOWAIT);  // completes the close before `deadline` goes out of scope
  }

  void RunUntilClosed() {
    RunWithDeadline();
    ASSERT_TRUE(closed_.has_value()) << "the client did not close within 10 s";
  }

  uv_loop_t loop_;
  std::unique_ptr<Client> client_;
  std::string online_jid_;
  std::string resumed_jid_;
  std::optional<std::string> resume_failed_;
  std::optional<ClientCloseInfo> closed_;
  std::vector<uint64_t> acked_;
  std::function<void()> on_ack_requested_;  // set before StartClient to answer <r/> yourself
};

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

// The owner answers <r/> when it is ready (timd: after its commit); requests
// that arrive meanwhile share the answer.
TEST_F(ClientTest, OwnerDecidesWhenToAck) {
  std::string first_ack_h, second_ack_h;
  FakeServer server([&](ServerConnection& conn) {
    if (!ServeLogin(conn)) return;
    ServeBindAndSm(conn);
    conn.Send(
        "<message from='bob@localhost/x' id='m1' type='chat'><body>one</body></message>"
        "<r xmlns='urn:xmpp:sm:3'/>"
        "<message from='bob@localhost/x' id='m2' type='chat'><body>two</body></message>"
        "<r xmlns='urn:xmpp:sm:3'/>");
    conn.Expect("message");  // what the owner sent while holding the ack back
    Element ack = conn.Next();
    if (ack.name == "r") ack = conn.Next();  // the client's own request for that message
    EXPECT_EQ(ack.name, "a");
    first_ack_h = std::string(ack.Attr("h"));
    conn.Send("<r xmlns='urn:xmpp:sm:3'/>");
    second_ack_h = std::string(conn.Expect("a").Attr("h"));
    conn.Send("<message from='bob@localhost/x' id='bye' type='chat'><body>bye</body></message>");
    conn.Expect("a");  // sent by Disconnect()
    conn.Expect("stream-close");
    conn.Send("</stream:stream>");
  });
  int requests = 0;
  uv_timer_t delay;
  uv_timer_init(&loop_, &delay);
  on_ack_requested_ = [&] {
    if (++requests == 1) {
      Element note("message", "jabber:client");
      note.SetAttr("to", "bob@localhost/x");
      client_->Send(note);
    }
    delay.data = client_.get();
    uv_timer_start(&delay, [](uv_timer_t* t) { static_cast<Client*>(t->data)->Ack(); }, 50, 0);
  };
  StartClient(server.port());
  LambdaHandler handler([&](const Element& stanza) {
    if (stanza.Attr("id") == "bye") client_->Disconnect();
    return true;
  });
  client_->AddHandler(&handler);
  RunUntilClosed();
  server.Join();
  uv_close(reinterpret_cast<uv_handle_t*>(&delay), nullptr);
  uv_run(&loop_, UV_RUN_NOWAIT);  // completes the close while `delay` exists

  EXPECT_EQ(closed_->error, ClientError::kNone) << closed_->detail;
  EXPECT_EQ(requests, 2);        // the first two <r/> shared one answer
  EXPECT_EQ(first_ack_h, "2");   // m1 and m2
  EXPECT_EQ(second_ack_h, "2");
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

// --- stream resumption and liveness ---

// A session with two unacknowledged stanzas (#2, #3) of three sent, and 5
// inbound stanzas handled.
ResumeState SampleResumeState() {
  ResumeState resume;
  resume.sm_id = "sm-1";
  resume.jid = *Jid::Parse("alice@localhost/r1");
  resume.inbound_handled = 5;
  resume.outbound_sent = 3;
  resume.outbound_acked = 1;
  resume.unacked = {{2, "<message to='bob@localhost' id='u2'><body>two</body></message>"},
                    {3, "<message to='bob@localhost' id='u3'><body>three</body></message>"}};
  return resume;
}

// Restarted stream after SASL, offering bind and stream management.
void SendPostAuthFeatures(ServerConnection& conn) {
  conn.Expect("stream-open");
  conn.Send(std::string(kServerHeader) +
            "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
            "<sm xmlns='urn:xmpp:sm:3'/></stream:features>");
}

TEST_F(ClientTest, ResumeResendsUnackedAndKeepsCounting) {
  std::string previd, resume_h, resent_id, ack_after_resume, final_ack;
  FakeServer server([&](ServerConnection& conn) {
    if (!ServeLogin(conn)) return;
    SendPostAuthFeatures(conn);
    Element resume = conn.Expect("resume");
    previd = resume.Attr("previd");
    resume_h = resume.Attr("h");
    // The server had handled #2 only; one stanza was queued for us meanwhile.
    conn.Send("<resumed xmlns='urn:xmpp:sm:3' h='2' previd='sm-1'/>"
              "<message from='bob@localhost/x' id='q1' type='chat'><body>queued</body></message>");
    resent_id = conn.Expect("message").Attr("id");
    conn.Expect("r");
    conn.Send("<a xmlns='urn:xmpp:sm:3' h='3'/><r xmlns='urn:xmpp:sm:3'/>");
    ack_after_resume = conn.Expect("a").Attr("h");
    conn.Send("<message from='bob@localhost/x' id='bye' type='chat'><body>bye</body></message>");
    final_ack = conn.Expect("a").Attr("h");
    conn.Expect("stream-close");
    conn.Send("</stream:stream>");
  });
  StartClient(server.port(), kPassword, [](ClientOptions& options) { options.resume = SampleResumeState(); });
  std::optional<ResumeState> during;
  LambdaHandler handler([&](const Element& stanza) {
    if (stanza.Attr("id") == "q1") during = client_->resume_state();
    if (stanza.Attr("id") == "bye") client_->Disconnect();
    return true;
  });
  client_->AddHandler(&handler);
  RunUntilClosed();
  server.Join();

  EXPECT_EQ(previd, "sm-1");
  EXPECT_EQ(resume_h, "5");
  EXPECT_EQ(resumed_jid_, "alice@localhost/r1");
  EXPECT_TRUE(online_jid_.empty());
  EXPECT_EQ(resent_id, "u3");
  EXPECT_EQ(ack_after_resume, "6");  // 5 before the drop + the queued one
  EXPECT_EQ(final_ack, "7");
  EXPECT_EQ(acked_, (std::vector<uint64_t>{2, 3}));
  ASSERT_TRUE(during.has_value());
  EXPECT_EQ(during->sm_id, "sm-1");
  EXPECT_EQ(during->inbound_handled, 6u);
  EXPECT_EQ(during->outbound_sent, 3u);
  EXPECT_EQ(closed_->error, ClientError::kNone) << closed_->detail;
  EXPECT_FALSE(client_->resume_state().has_value()) << "a polite close ends the session";
}

TEST_F(ClientTest, RefusedResumeBindsAfreshAndKeepsNumbering) {
  std::string enable_resume, reply_ack;
  FakeServer server([&](ServerConnection& conn) {
    if (!ServeLogin(conn)) return;
    SendPostAuthFeatures(conn);
    conn.Expect("resume");
    conn.Send("<failed xmlns='urn:xmpp:sm:3' h='2'>"
              "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>");
    Element iq = conn.Expect("iq");
    conn.Send("<iq type='result' id='" + std::string(iq.Attr("id")) +
              "'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@localhost/r2</jid></bind></iq>");
    enable_resume = conn.Expect("enable").Attr("resume");
    conn.Send("<enabled xmlns='urn:xmpp:sm:3' id='sm-2' resume='true'/>"
              "<message from='bob@localhost/x' id='m1' type='chat'><body>hi</body></message>");
    conn.Expect("message");  // the reply: first stanza of the new SM session
    conn.Expect("r");
    conn.Send("<a xmlns='urn:xmpp:sm:3' h='1'/>");
    conn.Send("<message from='bob@localhost/x' id='bye' type='chat'><body>bye</body></message>");
    reply_ack = conn.Expect("a").Attr("h");
    conn.Expect("stream-close");
    conn.Send("</stream:stream>");
  });
  StartClient(server.port(), kPassword, [](ClientOptions& options) { options.resume = SampleResumeState(); });
  uint64_t reply_seq = 0;
  std::optional<ResumeState> fresh;
  LambdaHandler handler([&](const Element& stanza) {
    if (stanza.Attr("id") == "m1") {
      Element reply("message", "jabber:client");
      reply.SetAttr("to", "bob@localhost/x");
      reply_seq = client_->Send(reply);
      fresh = client_->resume_state();
    }
    if (stanza.Attr("id") == "bye") client_->Disconnect();
    return true;
  });
  client_->AddHandler(&handler);
  RunUntilClosed();
  server.Join();

  ASSERT_TRUE(resume_failed_.has_value());
  EXPECT_EQ(*resume_failed_, "item-not-found");
  EXPECT_TRUE(resumed_jid_.empty());
  EXPECT_EQ(online_jid_, "alice@localhost/r2");
  EXPECT_EQ(enable_resume, "true");
  EXPECT_EQ(reply_seq, 4u);  // numbering goes on after the old session's #3
  EXPECT_EQ(acked_, (std::vector<uint64_t>{2, 4}));
  ASSERT_TRUE(fresh.has_value());
  EXPECT_EQ(fresh->sm_id, "sm-2");
  EXPECT_EQ(fresh->outbound_base, 3u);
  EXPECT_EQ(fresh->inbound_handled, 1u);
  ASSERT_EQ(fresh->unacked.size(), 1u);
  EXPECT_EQ(fresh->unacked[0].seq, 4u);
  EXPECT_EQ(reply_ack, "2");
}

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
}  // namespace timd::xmpp
