// How payload messages reach the modules: contexts read from live messages,
// carbons and archive results, and the handler list (message_payload.h).
#include <gtest/gtest.h>

#include "unit/xmpp/parse_stanza.h"
#include "unit/xmpp/payload_test_support.h"
#include "xmpp/carbons.h"
#include "xmpp/chat_markers.h"
#include "xmpp/correction.h"
#include "xmpp/mam.h"
#include "xmpp/receipts.h"
#include "xmpp/retraction.h"

namespace timd::xmpp {
namespace {

TEST(ContextOf, TrustsOnlyOurServersStanzaIdAndTakesTheEarliestDelay) {
  Element message = ParseStanza(
      "<message from='bob@example.org/x'><stanza-id xmlns='urn:xmpp:sid:0' by='bob@example.org' id='forged'/>"
      "<stanza-id xmlns='urn:xmpp:sid:0' by='Alice@example.org' id='real'/>"
      "<delay xmlns='urn:xmpp:delay' stamp='2026-11-25T08:00:01Z'/>"
      "<delay xmlns='urn:xmpp:delay' stamp='2026-11-25T08:00:00Z'/></message>");
  MessageContext context = ContextOf(message, MessageSource::kLive, kOwnJid);
  EXPECT_EQ(context.stanza_id, "real");
  EXPECT_EQ(context.delay_ms, 1795593600000);
  EXPECT_EQ(context.source, MessageSource::kLive);
}

TEST(ArchiveContextOf, ArchiveIdAndStamp) {
  Element message = ParseStanza(
      "<message><result xmlns='urn:xmpp:mam:2' queryid='q' id='A7'><forwarded xmlns='urn:xmpp:forward:0'>"
      "<delay xmlns='urn:xmpp:delay' stamp='2026-11-25T08:00:00Z'/>"
      "<message xmlns='jabber:client' to='bob@example.org' type='chat'>"
      "<displayed xmlns='urn:xmpp:chat-markers:0' id='b1'/></message></forwarded></result></message>");
  const Element& result = *message.Child("result", "urn:xmpp:mam:2");
  MessageContext context = ArchiveContextOf(result, kOwnJid);
  EXPECT_EQ(context.source, MessageSource::kArchive);
  EXPECT_EQ(context.stanza_id, "A7");
  EXPECT_EQ(context.delay_ms, 1795593600000);
  const Element* inner = ForwardedMessage(result);
  ASSERT_NE(inner, nullptr);
  std::optional<ChatMarker> marker = ParseChatMarker(*inner, context);
  ASSERT_TRUE(marker);
  EXPECT_TRUE(marker->origin.is_own);  // archived without from: ours
}

TEST(UnwrapCarbon, HandsOutTheForwardedMessageOnlyForOwnCarbons) {
  const std::string inner =
      "<forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' to='bob@example.org' type='chat'>"
      "<retract xmlns='urn:xmpp:message-retract:1' id='o'/><body>fallback</body></message></forwarded>";
  Carbon own = UnwrapCarbon(
      ParseStanza("<message from='alice@example.org'><sent xmlns='urn:xmpp:carbons:2'>" + inner + "</sent></message>"),
      kOwnJid);
  ASSERT_NE(own.message, nullptr);
  EXPECT_EQ(own.direction, CarbonDirection::kSent);
  Carbon forged = UnwrapCarbon(
      ParseStanza("<message from='mallory@evil.example'><sent xmlns='urn:xmpp:carbons:2'>" + inner +
                  "</sent></message>"),
      kOwnJid);
  EXPECT_EQ(forged.message, nullptr);
}

TEST(MessagePayloadHandlers, FirstClaimWinsAndReceiptsComeFirst) {
  OfflineClient offline;
  std::vector<std::string> seen;
  DeliveryReceipts receipts(*offline.client, [&](const DeliveryReceipt&) { seen.push_back("receipt"); }, true);
  ChatMarkers markers(*offline.client, [&](const ChatMarker&) { seen.push_back("marker"); });
  MessageRetraction retraction(*offline.client, [&](const Retraction&) { seen.push_back("retraction"); });
  MessageCorrection correction(*offline.client, [&](const Correction&) { seen.push_back("correction"); });
  MessagePayloadHandlers handlers;
  for (MessagePayloadHandler* module : std::initializer_list<MessagePayloadHandler*>{
           &receipts, &markers, &retraction, &correction}) {
    handlers.Add(*module);
  }
  const MessageContext live = TestContext(MessageSource::kLive);
  // A correction that asks for a receipt and is markable: one correction, no chat.
  EXPECT_TRUE(handlers.Offer(
      ParseStanza("<message from='bob@example.org/x' type='chat' id='c'><body>new</body>"
                  "<replace xmlns='urn:xmpp:message-correct:0' id='f'/><request xmlns='urn:xmpp:receipts'/>"
                  "<markable xmlns='urn:xmpp:chat-markers:0'/></message>"),
      live));
  EXPECT_FALSE(handlers.Offer(ParseStanza("<message from='bob@example.org/x' type='chat'><body>hi</body>"
                                          "<markable xmlns='urn:xmpp:chat-markers:0'/></message>"),
                              live));
  EXPECT_FALSE(handlers.Offer(ParseStanza("<message from='bob@example.org/x' type='error'>"
                                          "<received xmlns='urn:xmpp:receipts' id='o'/></message>"),
                              live));
  EXPECT_EQ(seen, std::vector<std::string>{"correction"});
}

}  // namespace
}  // namespace timd::xmpp
