#include "xmpp/hints.h"

#include <gtest/gtest.h>

#include "unit/xmpp/parse_stanza.h"
#include "xmpp/chat.h"

namespace timd::xmpp {
namespace {

TEST(Hints, OnlineOnlyMessagesAskNotToBeStored) {
  OutgoingChat chat("bob@localhost", "id-1", "now or never");
  chat.no_store = true;
  const std::string xml = BuildChatMessage(chat).Serialize();
  EXPECT_NE(xml.find("<no-store xmlns='urn:xmpp:hints'/><no-permanent-store xmlns='urn:xmpp:hints'/>"),
            std::string::npos)
      << xml;
  EXPECT_EQ(xml.find("<store xmlns='urn:xmpp:hints'/>"), std::string::npos) << xml;
  // A headline: the server delivers it to online sessions only, never to offline storage.
  EXPECT_NE(xml.find("type='headline'"), std::string::npos) << xml;
  auto in = ParseChatMessage(ParseStanza(xml), "bob@localhost");
  ASSERT_TRUE(in);
  EXPECT_TRUE(in->no_store);

  OutgoingChat stored("bob@localhost", "id-2", "keep me");
  const std::string stored_xml = BuildChatMessage(stored).Serialize();
  EXPECT_NE(stored_xml.find("<store xmlns='urn:xmpp:hints'/>"), std::string::npos) << stored_xml;
  EXPECT_NE(stored_xml.find("type='chat'"), std::string::npos) << stored_xml;
  EXPECT_FALSE(ParseChatMessage(ParseStanza(stored_xml), "bob@localhost")->no_store);
}

TEST(Hints, EitherHintFromOtherClientsMeansOnlineOnly) {
  for (const char* hint : {"no-store", "no-permanent-store"}) {
    auto in = ParseChatMessage(ParseStanza(std::string("<message type='chat' from='carol@localhost/x'><body>b</body><") +
                                           hint + " xmlns='urn:xmpp:hints'/></message>"),
                               "bob@localhost");
    ASSERT_TRUE(in) << hint;
    EXPECT_TRUE(in->no_store) << hint;
  }
  auto other_ns = ParseChatMessage(
      ParseStanza("<message type='chat' from='carol@localhost/x'><body>b</body><no-store xmlns='urn:other'/></message>"),
      "bob@localhost");
  ASSERT_TRUE(other_ns);
  EXPECT_FALSE(other_ns->no_store);
  // A headline without the hints (a server's announcement) is no message.
  EXPECT_FALSE(ParseChatMessage(ParseStanza("<message type='headline' from='localhost'><body>b</body></message>"),
                                "bob@localhost"));
}

}  // namespace
}  // namespace timd::xmpp
