// A scripted fake XMPP server on loopback (plain TCP, SCRAM-SHA-1 verified
// by a GNU SASL server session) and a fixture that runs an xmpp::Client
// against it, for the client stream tests.
#pragma once

#include <arpa/inet.h>
#include <gsasl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "xmpp/client.h"
#include "xmpp/xml_stream_parser.h"

namespace timd::xmpp::testing {

inline constexpr char kPassword[] = "s3cret-pässword";
inline constexpr char kServerHeader[] =
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

inline int ServerCallback(Gsasl*, Gsasl_session* session, Gsasl_property property) {
  if (property != GSASL_PASSWORD) return GSASL_NO_CALLBACK;
  gsasl_property_set(session, GSASL_PASSWORD, kPassword);
  return GSASL_OK;
}

// Plays the server side of SCRAM-SHA-1. Returns true when the client proved
// the password (and <success/> with the server signature was sent).
inline bool ServeScram(ServerConnection& conn) {
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
inline bool ServeLogin(ServerConnection& conn) {
  conn.Expect("stream-open");
  conn.Send(std::string(kServerHeader) +
            "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
            "<mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>");
  bool ok = ServeScram(conn);
  conn.ResetParser();
  return ok;
}

// Restarted stream, bind (server picks the resource) and SM enable.
inline void ServeBindAndSm(ServerConnection& conn) {
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

// Restarted stream after SASL, offering bind and stream management.
inline void SendPostAuthFeatures(ServerConnection& conn) {
  conn.Expect("stream-open");
  conn.Send(std::string(kServerHeader) +
            "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
            "<sm xmlns='urn:xmpp:sm:3'/></stream:features>");
}

}  // namespace timd::xmpp::testing
