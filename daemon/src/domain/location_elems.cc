#include "domain/location_elems.h"

namespace timd::domain {

std::optional<xmpp::GeoLocation> GeoLocationOf(const tim::v1::Message& content) {
  for (const auto& elem : content.elems()) {
    if (elem.type() != tim::v1::ELEM_LOCATION || !elem.has_location()) continue;
    const tim::v1::LocationElem& l = elem.location();
    return xmpp::GeoLocation{l.latitude(), l.longitude(), l.desc()};
  }
  return std::nullopt;
}

tim::v1::Message ContentOfGeoLocation(const std::string& body, const xmpp::GeoLocation& location) {
  tim::v1::Message content;
  // "geo:" starts the fallback body timd and other clients put next to a
  // geoloc; repeating it as text would show the location twice.
  if (!body.empty() && !body.starts_with("geo:")) {
    auto* text = content.add_elems();
    text->set_type(tim::v1::ELEM_TEXT);
    text->mutable_text()->set_content(body);
  }
  auto* elem = content.add_elems();
  elem->set_type(tim::v1::ELEM_LOCATION);
  elem->mutable_location()->set_latitude(location.latitude);
  elem->mutable_location()->set_longitude(location.longitude);
  elem->mutable_location()->set_desc(location.description);
  return content;
}

}  // namespace timd::domain
