// Locations between timd and an independent client (python3-slixmpp,
// geoloc_peer.py) over a real Prosody: slixmpp's xep_0080 stanza reads the
// XEP-0080 <geoloc/> timd writes for a Location element, and a geoloc
// slixmpp sends (no body, no timd payload) arrives as a Location message.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "integration/interop/json_line_peer.h"
#include "support/event_reader.h"
#include "support/file_messages.h"
#include "support/message_sets.h"
#include "support/requests.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

TEST(GeolocInteropTest, LocationsBothWaysWithSlixmpp) {
  ProsodyServer prosody;
  prosody.Start();
  prosody.AddUser("carol", "carol-secret");
  TimdProcess alice;
  ASSERT_NO_FATAL_FAILURE(StartLoggedIn(prosody, alice, "alice"));
  JsonLinePeer carol("geoloc_peer.py", prosody, "carol", "carol-secret",
                     {"--lat", "-33.856784", "--lon", "151.215297", "--description", "Opera House"});
  ASSERT_FALSE(carol.WaitForLine("\"ready\"").empty()) << carol.output();
  EventReader events(alice.Channel(), FromStart());

  tim::v1::SendMessageRequest request;
  request.set_conv_id("carol");
  request.set_conv_type(tim::v1::CONV_C2C);
  auto* location = request.add_elems();
  location->set_type(tim::v1::ELEM_LOCATION);
  location->mutable_location()->set_latitude(48.8584);
  location->mutable_location()->set_longitude(2.2945);
  location->mutable_location()->set_desc("Tour Eiffel");
  tim::v1::SendMessageResponse sent;
  auto status = SendWithin(*alice.Stubs(), request, &sent);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << alice.log();

  const std::string got_line = carol.WaitForLine("\"geoloc\"");
  ASSERT_FALSE(got_line.empty()) << carol.output();
  const json got = json::parse(got_line);
  EXPECT_DOUBLE_EQ(got["geoloc"]["lat"].get<double>(), 48.8584);
  EXPECT_DOUBLE_EQ(got["geoloc"]["lon"].get<double>(), 2.2945);
  EXPECT_EQ(got["geoloc"]["description"], "Tour Eiffel");
  EXPECT_EQ(got["body"], "geo:48.858400,2.294500");  // the fallback for clients without XEP-0080

  ASSERT_FALSE(carol.WaitForLine("\"sent\"").empty()) << carol.output();
  ASSERT_TRUE(events.WaitFor(HasNewMessage(SentBy("carol")), 20s)) << alice.log();
  const tim::v1::Message message = History(alice, "carol").front();  // newest first
  ASSERT_EQ(message.elems_size(), 1) << message.DebugString();  // no body: no text element
  EXPECT_EQ(message.elems(0).type(), tim::v1::ELEM_LOCATION);
  EXPECT_DOUBLE_EQ(message.elems(0).location().latitude(), -33.856784);
  EXPECT_DOUBLE_EQ(message.elems(0).location().longitude(), 151.215297);
  EXPECT_EQ(message.elems(0).location().desc(), "Opera House");
  EXPECT_FALSE(message.is_from_self());
}

}  // namespace
}  // namespace timd::test
