// XEP-0308 last message correction: parsing, building with extra payloads,
// and claiming (a correction never becomes a new chat message).
#include <gtest/gtest.h>

#include "unit/xmpp/parse_stanza.h"
#include "unit/xmpp/payload_test_support.h"
#include "xmpp/correction.h"

namespace timd::xmpp {
namespace {

TEST(ParseCorrection, NewBodyAndPayload) {
  Element message = ParseStanza(
      "<message from='bob@example.org/phone' to='alice@example.org' type='chat' id='c2'>"
      "<body>fixed text</body><replace xmlns='urn:xmpp:message-correct:0' id='first'/>"
      "<origin-id xmlns='urn:xmpp:sid:0' id='c2'/><tim xmlns='urn:x-timd:0'>{\"elems\":[]}</tim></message>");
  std::optional<Correction> correction = ParseCorrection(message, TestContext(MessageSource::kLive, "S3", 5));
  ASSERT_TRUE(correction);
  EXPECT_EQ(correction->replaced_id, "first");
  EXPECT_EQ(correction->body, "fixed text");
  EXPECT_EQ(correction->payload, "{\"elems\":[]}");
  EXPECT_EQ(correction->origin_id, "c2");
  EXPECT_EQ(correction->origin.id, "c2");
  EXPECT_EQ(correction->origin.from, "bob@example.org/phone");
  EXPECT_EQ(correction->origin.stanza_id, "S3");
  EXPECT_EQ(correction->origin.delay_ms, 5);
  EXPECT_FALSE(correction->origin.is_own);
}

TEST(ParseCorrection, OwnCorrectionFromTheArchive) {
  Element message = ParseStanza(
      "<message from='alice@example.org/phone' to='bob@example.org' type='chat' id='c3'><body>b</body>"
      "<replace xmlns='urn:xmpp:message-correct:0' id='first'/></message>");
  std::optional<Correction> correction = ParseCorrection(message, TestContext(MessageSource::kArchive, "A3"));
  ASSERT_TRUE(correction);
  EXPECT_TRUE(correction->origin.is_own);
  EXPECT_EQ(correction->origin.stanza_id, "A3");
  EXPECT_TRUE(correction->payload.empty());
}

TEST(ParseCorrection, SpoofedLookingCorrectionIsReportedWithItsRealSender) {
  Element message = ParseStanza(
      "<message from='mallory@evil.example/x' type='chat'><body>gotcha</body>"
      "<replace xmlns='urn:xmpp:message-correct:0' id='bobs-message'/></message>");
  std::optional<Correction> correction = ParseCorrection(message, TestContext(MessageSource::kCarbonReceived));
  ASSERT_TRUE(correction);
  EXPECT_EQ(correction->origin.from_bare, "mallory@evil.example");
  EXPECT_FALSE(correction->origin.is_own);
}

TEST(ParseCorrection, MalformedAndOversizeAreIgnored) {
  for (const std::string& xml : {
           std::string("<message from='bob@example.org'><body>b</body>"
                       "<replace xmlns='urn:xmpp:message-correct:0'/></message>"),
           std::string("<message from='bob@example.org'><replace xmlns='urn:xmpp:message-correct:0' id='f'/>"
                       "</message>"),  // no body
           "<message from='bob@example.org'><body>b</body><replace xmlns='urn:xmpp:message-correct:0' id='" +
               OversizeId() + "'/></message>",
           std::string("<message from='x@@y'><body>b</body><replace xmlns='urn:xmpp:message-correct:0' id='f'/>"
                       "</message>"),
       }) {
    EXPECT_FALSE(ParseCorrection(ParseStanza(xml), TestContext(MessageSource::kLive))) << xml.substr(0, 120);
  }
}

TEST(BuildCorrection, WholeMessageWithExtraPayloadsAndReplace) {
  Element extra("reference", "urn:xmpp:reference:0");
  extra.SetAttr("type", "mention");
  EXPECT_EQ(BuildCorrection(OutgoingChat("bob@example.org", "c9", "fixed", "{\"v\":1}"), "first", {extra}).Serialize(),
            "<message type='chat' to='bob@example.org' id='c9'><body>fixed</body>"
            "<origin-id xmlns='urn:xmpp:sid:0' id='c9'/><tim xmlns='urn:x-timd:0'>{&quot;v&quot;:1}</tim>"
            "<markable xmlns='urn:xmpp:chat-markers:0'/><request xmlns='urn:xmpp:receipts'/>"
            "<store xmlns='urn:xmpp:hints'/><reference xmlns='urn:xmpp:reference:0' type='mention'/>"
            "<replace xmlns='urn:xmpp:message-correct:0' id='first'/></message>");
}

TEST(MessageCorrection, ClaimsEveryCorrection) {
  OfflineClient offline;
  std::vector<Correction> seen;
  MessageCorrection correction(*offline.client, [&](const Correction& c) { seen.push_back(c); });
  MessagePayloadHandlers handlers;
  handlers.Add(correction);
  const MessageContext sent = TestContext(MessageSource::kCarbonSent);
  Element built = BuildCorrection(OutgoingChat("bob@example.org", "c1", "new"), "first");
  EXPECT_TRUE(handlers.Offer(ParseStanza(built.Serialize()), sent));
  EXPECT_TRUE(handlers.Offer(
      ParseStanza("<message from='bob@example.org/x'><replace xmlns='urn:xmpp:message-correct:0'/><body>b</body>"
                  "</message>"),
      sent));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].body, "new");
  EXPECT_TRUE(seen[0].origin.is_own);
  EXPECT_EQ(correction.DiscoFeatures(), std::vector<std::string>{"urn:xmpp:message-correct:0"});
  SentMessage result = correction.Send(OutgoingChat("bob@example.org", "", "again"), "first");
  EXPECT_EQ(result.id.size(), 36u);  // a fresh id when none was given
  EXPECT_EQ(result.seq, 0u);
}

}  // namespace
}  // namespace timd::xmpp
