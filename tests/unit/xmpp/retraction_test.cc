// XEP-0424 message retraction: the current and the legacy form, building,
// and claiming (a retraction's fallback body is never a chat message).
#include <gtest/gtest.h>

#include "unit/xmpp/parse_stanza.h"
#include "unit/xmpp/payload_test_support.h"
#include "xmpp/retraction.h"

namespace timd::xmpp {
namespace {

TEST(ParseRetraction, CurrentForm) {
  Element message = ParseStanza(
      "<message from='bob@example.org/phone' to='alice@example.org' type='chat' id='r1'>"
      "<retract xmlns='urn:xmpp:message-retract:1' id='orig-1'/>"
      "<fallback xmlns='urn:xmpp:fallback:0' for='urn:xmpp:message-retract:1'/>"
      "<body>/me retracted a message</body><store xmlns='urn:xmpp:hints'/></message>");
  std::optional<Retraction> retraction =
      ParseRetraction(message, TestContext(MessageSource::kLive, "S2", 1795593600000));
  ASSERT_TRUE(retraction);
  EXPECT_EQ(retraction->retracted_id, "orig-1");
  EXPECT_FALSE(retraction->legacy);
  EXPECT_EQ(retraction->origin.from, "bob@example.org/phone");
  EXPECT_EQ(retraction->origin.id, "r1");
  EXPECT_EQ(retraction->origin.stanza_id, "S2");
  EXPECT_EQ(retraction->origin.delay_ms, 1795593600000);
  EXPECT_FALSE(retraction->origin.is_own);
}

TEST(ParseRetraction, LegacyFastenForm) {
  Element message = ParseStanza(
      "<message from='bob@example.org/x' type='chat' id='r2'>"
      "<apply-to xmlns='urn:xmpp:fasten:0' id='orig-2'><retract xmlns='urn:xmpp:message-retract:0'/></apply-to>"
      "<fallback xmlns='urn:xmpp:fallback:0'/><body>fallback</body></message>");
  std::optional<Retraction> retraction = ParseRetraction(message, TestContext(MessageSource::kLive));
  ASSERT_TRUE(retraction);
  EXPECT_EQ(retraction->retracted_id, "orig-2");
  EXPECT_TRUE(retraction->legacy);
}

TEST(ParseRetraction, OwnRetractionFromAnotherDevice) {
  Element message = ParseStanza(
      "<message to='bob@example.org' type='chat'><retract xmlns='urn:xmpp:message-retract:1' id='mine'/></message>");
  std::optional<Retraction> retraction = ParseRetraction(message, TestContext(MessageSource::kCarbonSent));
  ASSERT_TRUE(retraction);
  EXPECT_TRUE(retraction->origin.is_own);
  EXPECT_EQ(retraction->origin.from, kOwnJid);
}

TEST(ParseRetraction, SpoofedLookingRetractionIsReportedWithItsRealSender) {
  // Mallory retracts an id of Bob's: reported as Mallory's, the owner refuses it.
  Element message = ParseStanza(
      "<message from='mallory@evil.example/x' type='chat'>"
      "<retract xmlns='urn:xmpp:message-retract:1' id='bobs-message'/><body>x</body></message>");
  std::optional<Retraction> retraction = ParseRetraction(message, TestContext(MessageSource::kLive));
  ASSERT_TRUE(retraction);
  EXPECT_EQ(retraction->origin.from_bare, "mallory@evil.example");
}

TEST(ParseRetraction, MalformedAndOversizeAreIgnored) {
  for (const std::string& xml : {
           std::string("<message from='bob@example.org'><retract xmlns='urn:xmpp:message-retract:1'/></message>"),
           "<message from='bob@example.org'><retract xmlns='urn:xmpp:message-retract:1' id='" + OversizeId() +
               "'/></message>",
           std::string("<message from='bob@example.org'><apply-to xmlns='urn:xmpp:fasten:0'>"
                       "<retract xmlns='urn:xmpp:message-retract:0'/></apply-to></message>"),
           std::string("<message from='bob@'><retract xmlns='urn:xmpp:message-retract:1' id='o'/></message>"),
       }) {
    EXPECT_FALSE(ParseRetraction(ParseStanza(xml), TestContext(MessageSource::kLive))) << xml.substr(0, 120);
  }
  // An <apply-to/> that fastens something else is no retraction.
  EXPECT_FALSE(ParseRetraction(ParseStanza("<message from='bob@example.org'><apply-to xmlns='urn:xmpp:fasten:0' "
                                           "id='o'><other xmlns='urn:x:y'/></apply-to></message>"),
                               TestContext(MessageSource::kLive)));
}

TEST(BuildRetraction, CurrentFormWithFallbackAndHints) {
  EXPECT_EQ(BuildRetraction("bob@example.org", "orig-1", "r1").Serialize(),
            "<message type='chat' to='bob@example.org' id='r1'>"
            "<retract xmlns='urn:xmpp:message-retract:1' id='orig-1'/>"
            "<fallback xmlns='urn:xmpp:fallback:0' for='urn:xmpp:message-retract:1'/>"
            "<body>This person attempted to retract a previous message, but it&apos;s unsupported by your "
            "client.</body><origin-id xmlns='urn:xmpp:sid:0' id='r1'/><store xmlns='urn:xmpp:hints'/></message>");
}

TEST(MessageRetraction, ClaimsEveryRetractionEvenMalformed) {
  OfflineClient offline;
  std::vector<Retraction> seen;
  MessageRetraction retraction(*offline.client, [&](const Retraction& r) { seen.push_back(r); });
  MessagePayloadHandlers handlers;
  handlers.Add(retraction);
  const MessageContext archive = TestContext(MessageSource::kArchive, "A1");
  EXPECT_TRUE(handlers.Offer(ParseStanza(BuildRetraction("bob@example.org", "o", "r").Serialize()), archive));
  EXPECT_TRUE(handlers.Offer(
      ParseStanza("<message from='bob@example.org/x'><retract xmlns='urn:xmpp:message-retract:1'/>"
                  "<body>fallback</body></message>"),
      archive));
  EXPECT_FALSE(handlers.Offer(ParseStanza("<message from='bob@example.org/x'><body>hi</body></message>"), archive));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(seen[0].origin.is_own);  // archived without from: ours
  EXPECT_EQ(seen[0].origin.stanza_id, "A1");
  EXPECT_EQ(retraction.DiscoFeatures(), std::vector<std::string>{"urn:xmpp:message-retract:1"});
  SentMessage sent = retraction.Send("bob@example.org", "o");
  EXPECT_EQ(sent.seq, 0u);  // offline
  EXPECT_EQ(sent.id.size(), 36u);
}

}  // namespace
}  // namespace timd::xmpp
