// UnwrapCarbon and ParseArchivedChat: the stanza parsing of the carbons and
// MAM managers, without a stream (the managers run against Prosody in
// resume_mam_carbons_prosody_test).
#include <gtest/gtest.h>

#include "unit/xmpp/parse_stanza.h"
#include "xmpp/carbons.h"
#include "xmpp/mam.h"

namespace timd::xmpp {
namespace {

constexpr const char* kOwn = "alice@example.org";

std::string CarbonXml(const std::string& from_attr, const std::string& wrapper, const std::string& inner) {
  return "<message" + from_attr + " to='alice@example.org/timd'><" + wrapper +
         " xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' " + inner +
         "</message></forwarded></" + wrapper + "></message>";
}

TEST(UnwrapCarbon, ReceivedFromOwnAccount) {
  Carbon carbon = UnwrapCarbon(
      ParseStanza(CarbonXml(" from='Alice@example.org'", "received",
                            "from='bob@example.org/phone' type='chat' id='c1'><body>in</body>")),
      kOwn);
  EXPECT_TRUE(carbon.is_carbon);
  EXPECT_TRUE(carbon.from_own);
  EXPECT_EQ(carbon.direction, CarbonDirection::kReceived);
  ASSERT_TRUE(carbon.chat);
  EXPECT_EQ(carbon.chat->from, "bob@example.org/phone");
  EXPECT_EQ(carbon.chat->body, "in");
}

TEST(UnwrapCarbon, SentWithoutFromIsOurs) {
  Carbon carbon = UnwrapCarbon(
      ParseStanza(CarbonXml("", "sent", "to='bob@example.org' type='chat'><body>out</body>")), kOwn);
  EXPECT_TRUE(carbon.from_own);
  EXPECT_EQ(carbon.direction, CarbonDirection::kSent);
  ASSERT_TRUE(carbon.chat);
  EXPECT_EQ(carbon.chat->from, kOwn);
}

TEST(UnwrapCarbon, ForgedByAnotherAccountOrResourceHasNoChat) {
  const std::string inner = "from='bob@example.org/x' type='chat'><body>forged</body>";
  for (const char* from : {" from='mallory@evil.example'", " from='alice@example.org/other'", " from=''"}) {
    Carbon carbon = UnwrapCarbon(ParseStanza(CarbonXml(from, "received", inner)), kOwn);
    EXPECT_TRUE(carbon.is_carbon) << from;
    EXPECT_FALSE(carbon.from_own) << from;
    EXPECT_FALSE(carbon.chat) << from;
  }
}

TEST(UnwrapCarbon, PlainMessagesAndMarkersAreNoChat) {
  EXPECT_FALSE(UnwrapCarbon(ParseStanza("<message from='bob@example.org/x'><body>hi</body></message>"), kOwn).is_carbon);
  Carbon marker = UnwrapCarbon(
      ParseStanza(CarbonXml("", "received", "from='bob@example.org/x'><displayed xmlns='urn:xmpp:chat-markers:0'/>")),
      kOwn);
  EXPECT_TRUE(marker.is_carbon);
  EXPECT_FALSE(marker.chat);
}

const Element& ResultOf(const Element& message) {
  const Element* result = message.Child("result", "urn:xmpp:mam:2");
  EXPECT_NE(result, nullptr);
  return result != nullptr ? *result : message;
}

TEST(ParseArchivedChat, ArchiveIdAndTimestamp) {
  Element message = ParseStanza(
      "<message><result xmlns='urn:xmpp:mam:2' queryid='q' id='A1'><forwarded xmlns='urn:xmpp:forward:0'>"
      "<delay xmlns='urn:xmpp:delay' stamp='2026-11-25T08:00:00Z'/>"
      "<message xmlns='jabber:client' to='bob@example.org' type='chat' id='x'><body>mine</body>"
      "<stanza-id xmlns='urn:xmpp:sid:0' by='alice@example.org' id='other'/></message></forwarded></result></message>");
  std::optional<IncomingChat> chat = ParseArchivedChat(ResultOf(message), kOwn);
  ASSERT_TRUE(chat);
  EXPECT_EQ(chat->stanza_id, "A1");  // the archive's id wins
  EXPECT_EQ(chat->from, kOwn);       // no from: sent by us
  EXPECT_EQ(chat->delay_ms, 1795593600000);
}

TEST(ParseArchivedChat, NothingForwardedOrNoChat) {
  EXPECT_FALSE(ParseArchivedChat(ResultOf(ParseStanza("<message><result xmlns='urn:xmpp:mam:2' id='A'/></message>")),
                                 kOwn));
  EXPECT_FALSE(ParseArchivedChat(
      ResultOf(ParseStanza("<message><result xmlns='urn:xmpp:mam:2' id='A'><forwarded xmlns='urn:xmpp:forward:0'>"
                           "<message xmlns='jabber:client' type='chat'><active xmlns='http://jabber.org/protocol/"
                           "chatstates'/></message></forwarded></result></message>")),
      kOwn));
}

}  // namespace
}  // namespace timd::xmpp
