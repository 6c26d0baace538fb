// XEP-0184 delivery receipts: parsing, when to answer (section 5), and the
// owner's switch.
#include <gtest/gtest.h>

#include "unit/xmpp/parse_stanza.h"
#include "unit/xmpp/payload_test_support.h"
#include "xmpp/receipts.h"

namespace timd::xmpp {
namespace {

TEST(ParseDeliveryReceipt, PeersReceipt) {
  Element message = ParseStanza(
      "<message from='bob@example.org/phone' to='alice@example.org/timd' id='r1'>"
      "<received xmlns='urn:xmpp:receipts' id='orig-1'/></message>");
  std::optional<DeliveryReceipt> receipt = ParseDeliveryReceipt(message, TestContext(MessageSource::kLive, "S", 7));
  ASSERT_TRUE(receipt);
  EXPECT_EQ(receipt->delivered_id, "orig-1");
  EXPECT_EQ(receipt->origin.from, "bob@example.org/phone");
  EXPECT_EQ(receipt->origin.from_bare, "bob@example.org");
  EXPECT_EQ(receipt->origin.id, "r1");
  EXPECT_EQ(receipt->origin.stanza_id, "S");
  EXPECT_EQ(receipt->origin.delay_ms, 7);
  EXPECT_FALSE(receipt->origin.is_own);
}

TEST(ParseDeliveryReceipt, OwnReceiptFromASentCarbon) {
  Element message = ParseStanza("<message to='bob@example.org/x'><received xmlns='urn:xmpp:receipts' id='b1'/></message>");
  std::optional<DeliveryReceipt> receipt = ParseDeliveryReceipt(message, TestContext(MessageSource::kCarbonSent));
  ASSERT_TRUE(receipt);
  EXPECT_TRUE(receipt->origin.is_own);
}

TEST(ParseDeliveryReceipt, MalformedAndOversizeAreIgnored) {
  for (const std::string& xml : {
           std::string("<message from='bob@example.org'><received xmlns='urn:xmpp:receipts'/></message>"),
           "<message from='bob@example.org'><received xmlns='urn:xmpp:receipts' id='" + OversizeId() + "'/></message>",
           std::string("<message from='a@b@c'><received xmlns='urn:xmpp:receipts' id='o'/></message>"),
           std::string("<message from='bob@example.org'><received xmlns='urn:xmpp:carbons:2' id='o'/></message>"),
       }) {
    EXPECT_FALSE(ParseDeliveryReceipt(ParseStanza(xml), TestContext(MessageSource::kLive))) << xml.substr(0, 120);
  }
}

TEST(BuildReceiptAnswer, AnswersARequestToTheFullSender) {
  Element message = ParseStanza(
      "<message from='bob@example.org/phone' to='alice@example.org/timd' type='chat' id='m&amp;1'>"
      "<body>hi</body><request xmlns='urn:xmpp:receipts'/></message>");
  std::optional<Element> answer = BuildReceiptAnswer(message, "a1");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->Serialize(), "<message type='chat' to='bob@example.org/phone' id='a1'>"
                                 "<received xmlns='urn:xmpp:receipts' id='m&amp;1'/></message>");
}

TEST(BuildReceiptAnswer, Section5SaysNotToAnswer) {
  for (const std::string& xml : {
           // no request
           std::string("<message from='bob@example.org/x' type='chat' id='m'><body>hi</body></message>"),
           // error and groupchat
           std::string("<message from='bob@example.org/x' type='error' id='m'><request xmlns='urn:xmpp:receipts'/>"
                       "</message>"),
           std::string("<message from='room@muc.example.org/bob' type='groupchat' id='m'><body>hi</body>"
                       "<request xmlns='urn:xmpp:receipts'/></message>"),
           // no id, an empty or an oversize one
           std::string("<message from='bob@example.org/x' type='chat'><body>hi</body>"
                       "<request xmlns='urn:xmpp:receipts'/></message>"),
           std::string("<message from='bob@example.org/x' type='chat' id=''><request xmlns='urn:xmpp:receipts'/>"
                       "</message>"),
           "<message from='bob@example.org/x' type='chat' id='" + OversizeId() +
               "'><request xmlns='urn:xmpp:receipts'/></message>",
           // itself a receipt: never answer one (no loops)
           std::string("<message from='bob@example.org/x' id='m'><received xmlns='urn:xmpp:receipts' id='o'/>"
                       "<request xmlns='urn:xmpp:receipts'/></message>"),
           // nobody to answer
           std::string("<message type='chat' id='m'><request xmlns='urn:xmpp:receipts'/></message>"),
       }) {
    EXPECT_FALSE(BuildReceiptAnswer(ParseStanza(xml), "a")) << xml.substr(0, 140);
  }
}

TEST(DeliveryReceipts, FeatureFollowsTheOwnersSwitch) {
  OfflineClient offline;
  EXPECT_EQ(DeliveryReceipts(*offline.client, nullptr, true).DiscoFeatures(),
            std::vector<std::string>{"urn:xmpp:receipts"});
  EXPECT_TRUE(DeliveryReceipts(*offline.client, nullptr, false).DiscoFeatures().empty());
}

TEST(DeliveryReceipts, ClaimsReceiptOnlyMessagesAndLetsRequestsThrough) {
  OfflineClient offline;
  std::vector<DeliveryReceipt> seen;
  DeliveryReceipts receipts(*offline.client, [&](const DeliveryReceipt& r) { seen.push_back(r); }, true);
  MessagePayloadHandlers handlers;
  handlers.Add(receipts);
  const MessageContext live = TestContext(MessageSource::kLive);
  EXPECT_TRUE(handlers.Offer(
      ParseStanza("<message from='bob@example.org/x'><received xmlns='urn:xmpp:receipts' id='o'/></message>"), live));
  // A chat message asking for a receipt is still a chat message.
  EXPECT_FALSE(handlers.Offer(ParseStanza("<message from='bob@example.org/x' type='chat' id='m'><body>hi</body>"
                                          "<request xmlns='urn:xmpp:receipts'/></message>"),
                              live));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].delivered_id, "o");
}

}  // namespace
}  // namespace timd::xmpp
