// XEP-0333 chat markers: parsing from every source, building, and which
// messages the module claims.
#include <gtest/gtest.h>

#include "unit/xmpp/parse_stanza.h"
#include "unit/xmpp/payload_test_support.h"
#include "xmpp/chat_markers.h"

namespace timd::xmpp {
namespace {

TEST(ParseChatMarker, PeersDisplayedMarker) {
  Element message = ParseStanza(
      "<message from='Bob@example.org/phone' to='alice@example.org/timd' type='chat' id='m1'>"
      "<displayed xmlns='urn:xmpp:chat-markers:0' id='orig-1'/></message>");
  std::optional<ChatMarker> marker = ParseChatMarker(message, TestContext(MessageSource::kLive, "S1", 42));
  ASSERT_TRUE(marker);
  EXPECT_EQ(marker->kind, MarkerKind::kDisplayed);
  EXPECT_EQ(marker->marked_id, "orig-1");
  EXPECT_EQ(marker->origin.from, "Bob@example.org/phone");
  EXPECT_EQ(marker->origin.from_bare, "bob@example.org");
  EXPECT_EQ(marker->origin.to, "alice@example.org/timd");
  EXPECT_EQ(marker->origin.id, "m1");
  EXPECT_EQ(marker->origin.stanza_id, "S1");
  EXPECT_EQ(marker->origin.delay_ms, 42);
  EXPECT_FALSE(marker->origin.is_own);
}

TEST(ParseChatMarker, ReceivedAndAcknowledgedKinds) {
  for (const auto& [name, kind] : {std::pair{"received", MarkerKind::kReceived},
                                   std::pair{"acknowledged", MarkerKind::kAcknowledged}}) {
    Element message = ParseStanza(std::string("<message from='bob@example.org/x'><") + name +
                                  " xmlns='urn:xmpp:chat-markers:0' id='o'/></message>");
    std::optional<ChatMarker> marker = ParseChatMarker(message, TestContext(MessageSource::kLive));
    ASSERT_TRUE(marker) << name;
    EXPECT_EQ(marker->kind, kind);
    EXPECT_STREQ(ToString(marker->kind), name);
  }
}

TEST(ParseChatMarker, OwnMarkerFromAnotherDevice) {
  // A sent carbon's inner message may have no from: it is ours.
  Element sent = ParseStanza(
      "<message to='bob@example.org' type='chat'><displayed xmlns='urn:xmpp:chat-markers:0' id='b7'/></message>");
  std::optional<ChatMarker> marker = ParseChatMarker(sent, TestContext(MessageSource::kCarbonSent));
  ASSERT_TRUE(marker);
  EXPECT_TRUE(marker->origin.is_own);
  EXPECT_EQ(marker->origin.from_bare, kOwnJid);
  EXPECT_EQ(marker->origin.to, "bob@example.org");
  // In the archive: from our full JID.
  Element archived = ParseStanza(
      "<message from='alice@example.org/phone' to='bob@example.org' type='chat'>"
      "<displayed xmlns='urn:xmpp:chat-markers:0' id='b8'/></message>");
  marker = ParseChatMarker(archived, TestContext(MessageSource::kArchive, "A9"));
  ASSERT_TRUE(marker);
  EXPECT_TRUE(marker->origin.is_own);
  EXPECT_EQ(marker->origin.source, MessageSource::kArchive);
  EXPECT_EQ(marker->origin.stanza_id, "A9");
}

TEST(ParseChatMarker, AReceivedCarbonIsThePeersMarker) {
  Element message = ParseStanza(
      "<message from='bob@example.org/x' to='alice@example.org/phone' type='chat'>"
      "<displayed xmlns='urn:xmpp:chat-markers:0' id='o'/></message>");
  std::optional<ChatMarker> marker = ParseChatMarker(message, TestContext(MessageSource::kCarbonReceived));
  ASSERT_TRUE(marker);
  EXPECT_FALSE(marker->origin.is_own);
}

TEST(ParseChatMarker, SpoofedLookingMarkerKeepsItsRealSender) {
  // Claims to be from us in a payload, but the stanza is from mallory.
  Element message = ParseStanza(
      "<message from='mallory@evil.example/x' type='chat'><displayed xmlns='urn:xmpp:chat-markers:0' id='o'/>"
      "<stanza-id xmlns='urn:xmpp:sid:0' by='alice@example.org' id='fake'/></message>");
  std::optional<ChatMarker> marker = ParseChatMarker(message, TestContext(MessageSource::kLive));
  ASSERT_TRUE(marker);
  EXPECT_EQ(marker->origin.from_bare, "mallory@evil.example");
  EXPECT_FALSE(marker->origin.is_own);
}

TEST(ParseChatMarker, MalformedAndOversizeAreIgnored) {
  for (const std::string& xml : {
           std::string("<message from='bob@example.org'><displayed xmlns='urn:xmpp:chat-markers:0'/></message>"),
           std::string("<message from='bob@example.org'><displayed xmlns='urn:xmpp:chat-markers:0' id=''/></message>"),
           "<message from='bob@example.org'><displayed xmlns='urn:xmpp:chat-markers:0' id='" + OversizeId() +
               "'/></message>",
           std::string("<message from='@bad@'><displayed xmlns='urn:xmpp:chat-markers:0' id='o'/></message>"),
       }) {
    EXPECT_FALSE(ParseChatMarker(ParseStanza(xml), TestContext(MessageSource::kLive))) << xml.substr(0, 120);
  }
  // Not markers at all.
  EXPECT_FALSE(ParseChatMarker(
      ParseStanza("<message from='bob@example.org'><markable xmlns='urn:xmpp:chat-markers:0'/><body>x</body></message>"),
      TestContext(MessageSource::kLive)));
  EXPECT_FALSE(ParseChatMarker(
      ParseStanza("<message from='bob@example.org'><displayed xmlns='urn:x:other' id='o'/></message>"),
      TestContext(MessageSource::kLive)));
}

TEST(BuildChatMarker, DisplayedWithStoreHint) {
  EXPECT_EQ(BuildChatMarker("bob@example.org", MarkerKind::kDisplayed, "orig-1", "m2").Serialize(),
            "<message type='chat' to='bob@example.org' id='m2'>"
            "<displayed xmlns='urn:xmpp:chat-markers:0' id='orig-1'/><store xmlns='urn:xmpp:hints'/></message>");
}

TEST(BuildChatMarker, RoundTrips) {
  Element built = BuildChatMarker("bob@example.org", MarkerKind::kAcknowledged, "o&<1", "m3");
  built.SetAttr("from", "alice@example.org/timd");
  std::optional<ChatMarker> marker = ParseChatMarker(ParseStanza(built.Serialize()), TestContext(MessageSource::kLive));
  ASSERT_TRUE(marker);
  EXPECT_EQ(marker->kind, MarkerKind::kAcknowledged);
  EXPECT_EQ(marker->marked_id, "o&<1");
  EXPECT_TRUE(marker->origin.is_own);
}

TEST(ChatMarkers, ClaimsMarkerOnlyMessagesAndReportsThem) {
  OfflineClient offline;
  std::vector<ChatMarker> seen;
  ChatMarkers markers(*offline.client, [&](const ChatMarker& m) { seen.push_back(m); });
  MessagePayloadHandlers handlers;
  handlers.Add(markers);
  const MessageContext live = TestContext(MessageSource::kLive);
  EXPECT_TRUE(handlers.Offer(
      ParseStanza("<message from='bob@example.org/x' type='chat'><displayed xmlns='urn:xmpp:chat-markers:0' id='o'/>"
                  "</message>"),
      live));
  // A malformed marker-only message is claimed too (dropped), never a chat.
  EXPECT_TRUE(handlers.Offer(
      ParseStanza("<message from='bob@example.org/x'><displayed xmlns='urn:xmpp:chat-markers:0'/></message>"), live));
  // A marker next to a body: reported, and the message stays a chat message.
  EXPECT_FALSE(handlers.Offer(
      ParseStanza("<message from='bob@example.org/x' type='chat'><body>hi</body>"
                  "<received xmlns='urn:xmpp:chat-markers:0' id='p'/></message>"),
      live));
  EXPECT_FALSE(handlers.Offer(ParseStanza("<message from='bob@example.org/x'><body>plain</body></message>"), live));
  // Group and error messages are not one-to-one: not offered.
  EXPECT_FALSE(handlers.Offer(
      ParseStanza("<message from='room@muc.example.org/bob' type='groupchat'>"
                  "<displayed xmlns='urn:xmpp:chat-markers:0' id='o'/></message>"),
      live));
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].kind, MarkerKind::kReceived);
  EXPECT_EQ(markers.DiscoFeatures(), std::vector<std::string>{"urn:xmpp:chat-markers:0"});
  EXPECT_EQ(markers.Send("bob@example.org", MarkerKind::kDisplayed, "o").seq, 0u);  // offline: nothing sent
}

}  // namespace
}  // namespace timd::xmpp
