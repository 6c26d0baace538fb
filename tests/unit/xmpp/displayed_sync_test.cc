// XEP-0490 displayed sync: notifications and item results parsed (own
// account only, stanza-ids by our own JID only), and the publish built.
#include <gtest/gtest.h>

#include "unit/xmpp/parse_stanza.h"
#include "xmpp/displayed_sync.h"

namespace timd::xmpp {
namespace {

constexpr const char* kOwn = "alice@example.org";

std::string Item(const std::string& id, const std::string& stanza_id, const std::string& by = kOwn) {
  return "<item id='" + id + "'><displayed xmlns='urn:xmpp:mds:displayed:0'><stanza-id xmlns='urn:xmpp:sid:0' id='" +
         stanza_id + "' by='" + by + "'/></displayed></item>";
}

std::string Notification(const std::string& from, const std::string& items, const std::string& node =
                                                                              "urn:xmpp:mds:displayed:0") {
  return "<message from='" + from + "' to='alice@example.org/timd' type='headline'>"
         "<event xmlns='http://jabber.org/protocol/pubsub#event'><items node='" + node + "'>" + items +
         "</items></event></message>";
}

TEST(ParseDisplayedNotification, OwnAccountsItemsBecomePositions) {
  auto positions = ParseDisplayedNotification(
      ParseStanza(Notification(kOwn, Item("Bob@example.org", "S-7") + Item("carol@example.org", "S-9"))), kOwn);
  ASSERT_TRUE(positions);
  ASSERT_EQ(positions->size(), 2u);
  EXPECT_EQ((*positions)[0].chat_jid, "bob@example.org");
  EXPECT_EQ((*positions)[0].stanza_id, "S-7");
  EXPECT_EQ((*positions)[1].chat_jid, "carol@example.org");
  EXPECT_EQ((*positions)[1].stanza_id, "S-9");
}

TEST(ParseDisplayedNotification, AnotherAccountsNotificationIsASpoof) {
  EXPECT_FALSE(ParseDisplayedNotification(
      ParseStanza(Notification("mallory@example.org", Item("bob@example.org", "S-1"))), kOwn));
}

TEST(ParseDisplayedNotification, OtherNodesAndPlainMessagesAreNotClaimed) {
  EXPECT_FALSE(ParseDisplayedNotification(
      ParseStanza(Notification(kOwn, Item("bob@example.org", "S-1"), "urn:xmpp:bookmarks:1")), kOwn));
  EXPECT_FALSE(ParseDisplayedNotification(
      ParseStanza("<message from='bob@example.org/x' type='chat'><body>hi</body></message>"), kOwn));
}

TEST(ParseDisplayedNotification, ItemsWithoutOurStanzaIdOrWithAFullJidAreDropped) {
  auto positions = ParseDisplayedNotification(
      ParseStanza(Notification(kOwn, Item("bob@example.org", "S-1", "bob@example.org") +
                                         Item("bob@example.org/phone", "S-2") + Item("bob@example.org", "") +
                                         Item("dave@example.org", "S-4"))),
      kOwn);
  ASSERT_TRUE(positions);
  ASSERT_EQ(positions->size(), 1u);
  EXPECT_EQ((*positions)[0].chat_jid, "dave@example.org");
}

TEST(ParseDisplayedItems, FetchResult) {
  Element pubsub = ParseStanza("<pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:mds:displayed:0'>" +
                               Item("bob@example.org", "S-3") + "</items></pubsub>");
  auto positions = ParseDisplayedItems(pubsub, kOwn);
  ASSERT_EQ(positions.size(), 1u);
  EXPECT_EQ(positions[0].stanza_id, "S-3");
}

TEST(BuildDisplayedPublish, ItemPerChatWithTheNodeConfigurationOfXep0490) {
  const std::string xml = BuildDisplayedPublish({"bob@example.org", "S-5"}, kOwn).Serialize();
  EXPECT_NE(xml.find("<publish node='urn:xmpp:mds:displayed:0'><item id='bob@example.org'>"
                     "<displayed xmlns='urn:xmpp:mds:displayed:0'>"
                     "<stanza-id xmlns='urn:xmpp:sid:0' id='S-5' by='alice@example.org'/>"),
            std::string::npos)
      << xml;
  for (const char* option : {"pubsub#persist_items", "pubsub#max_items", "pubsub#send_last_published_item",
                             "pubsub#access_model"}) {
    EXPECT_NE(xml.find(option), std::string::npos) << option;
  }
  EXPECT_NE(xml.find("<value>whitelist</value>"), std::string::npos) << xml;
  // What we publish, we parse back.
  Element pubsub = *ParseStanza(xml).Child("pubsub", "http://jabber.org/protocol/pubsub");
  Element as_items("pubsub", "http://jabber.org/protocol/pubsub");
  Element items("items", "http://jabber.org/protocol/pubsub");
  items.SetAttr("node", "urn:xmpp:mds:displayed:0");
  items.AddChild(pubsub.Child("publish")->children[0]);
  as_items.AddChild(items);
  auto positions = ParseDisplayedItems(as_items, kOwn);
  ASSERT_EQ(positions.size(), 1u);
  EXPECT_EQ(positions[0].chat_jid, "bob@example.org");
  EXPECT_EQ(positions[0].stanza_id, "S-5");
}

}  // namespace
}  // namespace timd::xmpp
