#include "domain/location_elems.h"

#include <gtest/gtest.h>

#include <cmath>

#include "domain/message_payload.h"

namespace timd::domain {
namespace {

TEST(LocationElems, FirstLocationElementGoesInTheStanza) {
  tim::v1::Message content;
  auto* text = content.add_elems();
  text->set_type(tim::v1::ELEM_TEXT);
  text->mutable_text()->set_content("meet here");
  EXPECT_FALSE(GeoLocationOf(content));
  for (double lat : {10.5, 20.5}) {
    auto* elem = content.add_elems();
    elem->set_type(tim::v1::ELEM_LOCATION);
    elem->mutable_location()->set_latitude(lat);
    elem->mutable_location()->set_longitude(-3.25);
    elem->mutable_location()->set_desc("spot");
  }
  auto location = GeoLocationOf(content);
  ASSERT_TRUE(location);
  EXPECT_EQ(*location, (xmpp::GeoLocation{10.5, -3.25, "spot"}));
}

TEST(LocationElems, ReceivedGeolocBecomesALocationElement) {
  const xmpp::GeoLocation where{45.44, 12.33, "Venice"};
  for (const std::string body : {"", "geo:45.44,12.33"}) {
    tim::v1::Message content = ContentOfGeoLocation(body, where);
    ASSERT_EQ(content.elems_size(), 1) << body;
    EXPECT_EQ(content.elems(0).type(), tim::v1::ELEM_LOCATION);
    EXPECT_DOUBLE_EQ(content.elems(0).location().latitude(), 45.44);
    EXPECT_DOUBLE_EQ(content.elems(0).location().longitude(), 12.33);
    EXPECT_EQ(content.elems(0).location().desc(), "Venice");
  }
  tim::v1::Message with_text = ContentOfGeoLocation("I am here", where);
  ASSERT_EQ(with_text.elems_size(), 2);
  EXPECT_EQ(with_text.elems(0).text().content(), "I am here");
  EXPECT_EQ(with_text.elems(1).type(), tim::v1::ELEM_LOCATION);
}

TEST(LocationElems, OnlyPlacesOnEarthAreSent) {
  tim::v1::Elem elem;
  elem.set_type(tim::v1::ELEM_LOCATION);
  elem.mutable_location()->set_latitude(-90);
  elem.mutable_location()->set_longitude(180);
  EXPECT_TRUE(CheckElem(elem, 0).ok());
  for (auto [lat, lon] : {std::pair{90.5, 0.0}, std::pair{0.0, -181.0}, std::pair{std::nan(""), 1.0}}) {
    elem.mutable_location()->set_latitude(lat);
    elem.mutable_location()->set_longitude(lon);
    const Status checked = CheckElem(elem, 2);
    EXPECT_EQ(checked.code(), Code::kInvalidArgument) << lat << "," << lon;
    EXPECT_EQ(checked.tim_code(), tim_err::kInvalidMsgElem);
    EXPECT_NE(checked.message().find("element 2"), std::string::npos) << checked.message();
  }
}

}  // namespace
}  // namespace timd::domain
