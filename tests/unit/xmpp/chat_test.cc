#include "xmpp/chat.h"

#include <gtest/gtest.h>

#include "unit/xmpp/parse_stanza.h"
#include "xmpp/jid.h"

namespace timd::xmpp {
namespace {

TEST(Chat, BuildChatMessage) {
  Element stanza = BuildChatMessage({"bob@localhost", "id-1", "hi <b> & 'x' \"y\""});
  EXPECT_EQ(stanza.Serialize(),
            "<message type='chat' to='bob@localhost' id='id-1'>"
            "<body>hi &lt;b&gt; &amp; &apos;x&apos; &quot;y&quot;</body>"
            "<origin-id xmlns='urn:xmpp:sid:0' id='id-1'/>"
            "<markable xmlns='urn:xmpp:chat-markers:0'/>"
            "<request xmlns='urn:xmpp:receipts'/>"
            "<store xmlns='urn:xmpp:hints'/></message>");
}

TEST(Chat, RoundTripThroughTheParser) {
  OutgoingChat out{"bob@localhost", "id-2", "multi\nline & <tags> \xe2\x82\xac"};
  Element parsed = ParseStanza(BuildChatMessage(out).Serialize());
  std::optional<IncomingChat> in = ParseChatMessage(parsed, "bob@localhost");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->to, "bob@localhost");
  EXPECT_EQ(in->type, "chat");
  EXPECT_EQ(in->id, "id-2");
  EXPECT_EQ(in->origin_id, "id-2");
  EXPECT_EQ(in->body, out.body);
  EXPECT_EQ(in->stanza_id, "");
  EXPECT_EQ(in->delay_ms, 0);
}

TEST(Chat, StanzaIdOnlyFromOwnServer) {
  Element stanza = ParseStanza(
      "<message from='bob@localhost/r' to='alice@localhost/timd' type='chat' id='x'><body>b</body>"
      "<stanza-id xmlns='urn:xmpp:sid:0' by='mallory@evil' id='forged'/>"
      "<stanza-id xmlns='urn:xmpp:sid:0' by='Alice@LocalHost' id='real'/></message>");
  std::optional<IncomingChat> in = ParseChatMessage(stanza, "alice@localhost");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->stanza_id, "real");
  EXPECT_EQ(in->from, "bob@localhost/r");

  Element only_foreign = ParseStanza(
      "<message type='chat'><body>b</body><stanza-id xmlns='urn:xmpp:sid:0' by='bob@localhost' id='f'/></message>");
  in = ParseChatMessage(only_foreign, "alice@localhost");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->stanza_id, "");
}

TEST(Chat, EarliestDelayWins) {
  Element stanza = ParseStanza(
      "<message type='chat'><body>b</body>"
      "<delay xmlns='urn:xmpp:delay' from='localhost' stamp='2024-01-02T03:04:06Z'/>"
      "<delay xmlns='urn:xmpp:delay' from='localhost' stamp='2024-01-02T03:04:05.250Z'/>"
      "<delay xmlns='urn:other' stamp='2000-01-01T00:00:00Z'/></message>");
  std::optional<IncomingChat> in = ParseChatMessage(stanza, "alice@localhost");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->delay_ms, 1704164645250);
}

TEST(Chat, AcceptsOnlyChatOrNormalWithBody) {
  auto parse = [](const std::string& xml) { return ParseChatMessage(ParseStanza(xml), "alice@localhost"); };
  EXPECT_TRUE(parse("<message><body>x</body></message>"));
  EXPECT_EQ(parse("<message><body>x</body></message>")->type, "normal");
  EXPECT_TRUE(parse("<message type='normal'><body>x</body></message>"));
  EXPECT_FALSE(parse("<message type='groupchat'><body>x</body></message>"));
  EXPECT_FALSE(parse("<message type='error'><body>x</body></message>"));
  EXPECT_FALSE(parse("<message type='headline'><body>x</body></message>"));
  EXPECT_FALSE(parse("<message type='chat'><displayed xmlns='urn:xmpp:chat-markers:0' id='1'/></message>"));
  EXPECT_FALSE(parse("<message type='chat'><body xmlns='urn:other'>x</body></message>"));
  EXPECT_FALSE(parse("<presence><body>x</body></presence>"));
}

TEST(Chat, ParseBouncedChat) {
  auto bounce = ParseBouncedChat(ParseStanza(
      "<message type='error' from='nobody@localhost' id='k-1'><body>hi</body><error type='cancel'>"
      "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
      "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>No such user</text></error></message>"));
  ASSERT_TRUE(bounce);
  EXPECT_EQ(bounce->from, "nobody@localhost");
  EXPECT_EQ(bounce->id, "k-1");
  EXPECT_EQ(bounce->condition, "service-unavailable");
  EXPECT_EQ(bounce->text, "No such user");

  bounce = ParseBouncedChat(ParseStanza("<message type='error' id='k-2'><error type='wait'/></message>"));
  ASSERT_TRUE(bounce);
  EXPECT_EQ(bounce->condition, "undefined-condition");
  EXPECT_EQ(bounce->text, "");
  EXPECT_FALSE(ParseBouncedChat(ParseStanza("<message type='error'><error/></message>")));  // no id to match
  EXPECT_FALSE(ParseBouncedChat(ParseStanza("<message type='chat' id='k-3'><body>x</body></message>")));
}

TEST(Chat, ParseXmppTimestamp) {
  EXPECT_EQ(ParseXmppTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseXmppTimestamp("2026-11-26T12:00:00.123Z"), 1795694400123);
  EXPECT_EQ(ParseXmppTimestamp("2026-11-26T12:00:00.1Z"), 1795694400100);
  EXPECT_EQ(ParseXmppTimestamp("2026-11-26T12:00:00.123456Z"), 1795694400123);
  EXPECT_EQ(ParseXmppTimestamp("2026-11-26T14:30:00+02:30"), 1795694400000);
  EXPECT_EQ(ParseXmppTimestamp("2026-11-26T04:00:00-08:00"), 1795694400000);
  EXPECT_EQ(ParseXmppTimestamp("2024-02-29T00:00:00Z"), 1709164800000);
  EXPECT_EQ(ParseXmppTimestamp("1969-12-31T23:59:59Z"), -1000);
  EXPECT_FALSE(ParseXmppTimestamp(""));
  EXPECT_FALSE(ParseXmppTimestamp("2026-11-26T12:00:00"));       // no zone
  EXPECT_FALSE(ParseXmppTimestamp("2026-11-26 12:00:00Z"));
  EXPECT_FALSE(ParseXmppTimestamp("2026-13-26T12:00:00Z"));
  EXPECT_FALSE(ParseXmppTimestamp("2023-02-29T12:00:00Z"));
  EXPECT_FALSE(ParseXmppTimestamp("2026-11-26T24:00:00Z"));
  EXPECT_FALSE(ParseXmppTimestamp("2026-11-26T12:00:00.Z"));
  EXPECT_FALSE(ParseXmppTimestamp("2026-11-26T12:00:00Zjunk"));
  EXPECT_FALSE(ParseXmppTimestamp("2026-11-26T12:00:00+0200"));
}

TEST(Chat, FormatXmppTimestamp) {
  EXPECT_EQ(FormatXmppTimestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatXmppTimestamp(1795694400123), "2026-11-26T12:00:00Z");  // whole seconds
  EXPECT_EQ(FormatXmppTimestamp(1709164800000), "2024-02-29T00:00:00Z");
  EXPECT_EQ(FormatXmppTimestamp(-1), "1969-12-31T23:59:59Z");  // rounded down
  EXPECT_EQ(ParseXmppTimestamp(FormatXmppTimestamp(1795694400999)), 1795694400000);
}

TEST(Element, SerializeNamespacesAndEscaping) {
  Element iq("iq", "jabber:client");
  iq.SetAttr("type", "get").SetAttr("id", "a'b\"c<&>\n");
  Element& query = iq.AddChild(Element("query", "jabber:iq:roster"));
  query.AddChild(Element("item", "jabber:iq:roster")).SetAttr("jid", "x@y");
  iq.AddTextChild("note", "jabber:client", "t\x01<");
  EXPECT_EQ(iq.Serialize(),
            "<iq type='get' id='a&apos;b&quot;c&lt;&amp;&gt;&#10;'>"
            "<query xmlns='jabber:iq:roster'><item jid='x@y'/></query><note>t&lt;</note></iq>");
  EXPECT_EQ(iq.Serialize("urn:other").substr(0, 28), "<iq xmlns='jabber:client' ty");
  EXPECT_EQ(iq.Attr("missing"), "");
  EXPECT_TRUE(iq.HasAttr("type"));
  iq.SetAttr("type", "set");
  EXPECT_EQ(iq.Attr("type"), "set");
  EXPECT_EQ(iq.attrs.size(), 2u);
  EXPECT_NE(iq.Child("query", "jabber:iq:roster"), nullptr);
  EXPECT_EQ(iq.Child("query", "jabber:client"), nullptr);
  EXPECT_EQ(XmlEscape("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
}

TEST(Element, SerializeNeverWritesWhatBreaksTheStream) {
  Element body("body", "jabber:client");
  body.SetAttr("id", "a\xff");
  // U+FFFF, a lone surrogate, a truncated sequence, an overlong '/', a stray continuation byte; kept: é, U+10FFFF.
  body.text = "\xc3\xa9\xef\xbf\xbf|\xed\xa0\x80|\xe2\x82|\xc0\xaf|\x80|\x01|\xf4\x8f\xbf\xbf";
  const std::string replacement = "\xef\xbf\xbd";
  EXPECT_EQ(body.Serialize(), "<body id='a" + replacement + "'>\xc3\xa9" + replacement + "|" + replacement + "|" +
                                  replacement + "|" + replacement + "|" + replacement + "||\xf4\x8f\xbf\xbf</body>");
  ParseStanza("<message>" + body.Serialize() + "</message>");  // expat accepts it
}

TEST(Jid, Parse) {
  std::optional<Jid> jid = Jid::Parse("Alice@LocalHost/Res/With@Slash");
  ASSERT_TRUE(jid);
  EXPECT_EQ(jid->local, "alice");
  EXPECT_EQ(jid->domain, "localhost");
  EXPECT_EQ(jid->resource, "Res/With@Slash");
  EXPECT_EQ(jid->Bare(), "alice@localhost");
  EXPECT_EQ(jid->Full(), "alice@localhost/Res/With@Slash");

  jid = Jid::Parse("example.org");
  ASSERT_TRUE(jid);
  EXPECT_EQ(jid->Bare(), "example.org");
  EXPECT_EQ(jid->Full(), "example.org");
  EXPECT_EQ(Jid::Parse("example.org/r")->Full(), "example.org/r");

  EXPECT_FALSE(Jid::Parse(""));
  EXPECT_FALSE(Jid::Parse("@example.org"));
  EXPECT_FALSE(Jid::Parse("alice@"));
  EXPECT_FALSE(Jid::Parse("alice@/r"));
  EXPECT_FALSE(Jid::Parse("alice@example.org/"));
  EXPECT_FALSE(Jid::Parse("a@b@c"));
  EXPECT_FALSE(Jid::Parse("/r"));
  EXPECT_FALSE(Jid::Parse("al ice@example.org"));
  EXPECT_EQ(Jid::Parse("a@B"), Jid::Parse("A@b"));
}

}  // namespace
}  // namespace timd::xmpp
