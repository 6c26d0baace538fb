// Stream management (XEP-0198) through the client, against the scripted
// fake server: owner-answered acks, resumption, protocol errors. The
// StreamManagement class alone: stream_management_test.cc.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "fake_xmpp_server.h"
#include "xmpp/client.h"

namespace timd::xmpp::testing {
namespace {

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

// An <a/> for more than was sent is a protocol error: the client ends the
// stream (closing it, so the session is not resumed either).
TEST_F(ClientTest, AckForMoreThanWasSentEndsTheStream) {
  bool closed_by_client = false;
  FakeServer server([&](ServerConnection& conn) {
    if (!ServeLogin(conn)) return;
    ServeBindAndSm(conn);
    conn.Send("<message from='bob@localhost/x' id='m1' type='chat'><body>hi</body></message>");
    conn.Expect("message");  // outbound #1
    conn.Send("<a xmlns='urn:xmpp:sm:3' h='2'/>");
    Element next = conn.Next();
    if (next.name == "r") next = conn.Next();  // the client's request for #1 may come first
    closed_by_client = next.name == "stream-close";
    conn.Send("</stream:stream>");
  });
  StartClient(server.port());
  LambdaHandler handler([&](const Element& stanza) {
    Element reply("message", "jabber:client");
    reply.SetAttr("to", std::string(stanza.Attr("from")));
    client_->Send(reply);
    return true;
  });
  client_->AddHandler(&handler);
  RunUntilClosed();
  server.Join();

  EXPECT_TRUE(closed_by_client);
  EXPECT_EQ(closed_->error, ClientError::kStreamError);
  EXPECT_EQ(closed_->detail, "the server acknowledged more than was sent");
  EXPECT_TRUE(acked_.empty());
  EXPECT_FALSE(client_->resume_state().has_value());
}

}  // namespace
}  // namespace timd::xmpp::testing
