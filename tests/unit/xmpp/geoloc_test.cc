#include "xmpp/geoloc.h"

#include <gtest/gtest.h>

#include "unit/xmpp/parse_stanza.h"
#include "xmpp/chat.h"

namespace timd::xmpp {
namespace {

std::optional<IncomingChat> Received(const std::string& xml) {
  return ParseChatMessage(ParseStanza(xml), "bob@localhost");
}

TEST(Geoloc, WrittenOnTheWireAsXep0080) {
  OutgoingChat chat("bob@localhost", "id-1", "geo:48.858400,2.294500");
  chat.location = GeoLocation{48.8584, 2.2945, "Tour Eiffel"};
  const std::string xml = BuildChatMessage(chat).Serialize();
  EXPECT_NE(xml.find("<geoloc xmlns='http://jabber.org/protocol/geoloc'><lat>48.858400</lat><lon>2.294500</lon>"
                     "<description>Tour Eiffel</description></geoloc>"),
            std::string::npos)
      << xml;
  OutgoingChat plain("bob@localhost", "id-2", "hi");
  EXPECT_EQ(BuildChatMessage(plain).Serialize().find("geoloc"), std::string::npos);
}

TEST(Geoloc, RoundTripThroughTheParser) {
  OutgoingChat chat("bob@localhost", "id-3", "here");
  chat.location = GeoLocation{-33.856784, 151.215297, "Opera <House> & \"steps\""};
  auto in = Received(BuildChatMessage(chat).Serialize());
  ASSERT_TRUE(in);
  ASSERT_TRUE(in->location);
  EXPECT_EQ(*in->location, *chat.location);
  EXPECT_EQ(in->body, "here");
}

// What slixmpp's xep_0080 stanza writes: more fields, no body, and no
// description; timd keeps lat, lon and description only.
TEST(Geoloc, FromOtherClientsWithoutBody) {
  auto in = Received(
      "<message type='chat' from='carol@localhost/x' id='m1'>"
      "<geoloc xmlns='http://jabber.org/protocol/geoloc'><accuracy>20</accuracy><lat>45.44</lat>"
      "<locality>Venice</locality><lon>-12.33</lon></geoloc></message>");
  ASSERT_TRUE(in) << "a location is content even without a body";
  ASSERT_TRUE(in->location);
  EXPECT_DOUBLE_EQ(in->location->latitude, 45.44);
  EXPECT_DOUBLE_EQ(in->location->longitude, -12.33);
  EXPECT_TRUE(in->location->description.empty());
  EXPECT_TRUE(in->body.empty());
}

TEST(Geoloc, UnplaceableLocationsAreIgnored) {
  for (const char* geoloc : {"<lat>45</lat>",                        // no lon
                             "<lat>91</lat><lon>0</lon>",            // out of range
                             "<lat>0</lat><lon>-180.5</lon>",        // out of range
                             "<lat>nan</lat><lon>1</lon>",           // not a decimal
                             "<lat>1e2</lat><lon>1</lon>",           // no exponents in xs:decimal
                             "<lat>.</lat><lon>1</lon>",             // no digits
                             "<lat>1.2.3</lat><lon>1</lon>"}) {
    const std::string xml = std::string("<message type='chat' from='carol@localhost/x'><body>b</body>"
                                        "<geoloc xmlns='http://jabber.org/protocol/geoloc'>") +
                            geoloc + "</geoloc></message>";
    auto in = Received(xml);
    ASSERT_TRUE(in) << xml;
    EXPECT_FALSE(in->location) << xml;
  }
  EXPECT_FALSE(Received("<message type='chat' from='carol@localhost/x'>"
                        "<geoloc xmlns='http://jabber.org/protocol/geoloc'><lat>x</lat><lon>1</lon></geoloc>"
                        "</message>"))
      << "no body and no usable location: not a message";
  EXPECT_FALSE(Received("<message type='chat' from='carol@localhost/x'><geoloc xmlns='urn:other'>"
                        "<lat>1</lat><lon>1</lon></geoloc></message>"));
}

TEST(Geoloc, LongDescriptionIsCutOnACharacterBoundary) {
  std::string description;
  while (description.size() < kMaxGeoDescriptionBytes + 10) description += "\xC3\xA9";  // é
  auto in = Received("<message type='chat' from='carol@localhost/x'><geoloc xmlns='http://jabber.org/protocol/geoloc'>"
                     "<lat> 1.5 </lat><lon>+2</lon><description>" +
                     description + "</description></geoloc></message>");
  ASSERT_TRUE(in && in->location);
  EXPECT_EQ(in->location->description.size(), kMaxGeoDescriptionBytes);
  EXPECT_DOUBLE_EQ(in->location->latitude, 1.5);
  EXPECT_DOUBLE_EQ(in->location->longitude, 2);
}

}  // namespace
}  // namespace timd::xmpp
