// Location elements (tim.v1.LocationElem) and the XEP-0080 <geoloc/> other
// clients read and send (mapping §3.4). A timd peer gets the element from
// timd's own payload, exactly; the geoloc is for everyone else.
#pragma once

#include <optional>
#include <string>

#include "tim/v1/common.pb.h"
#include "xmpp/geoloc.h"

namespace timd::domain {

// The first location element of `content`, for the stanza (XEP-0080 puts
// one location in a message); nothing when it has none.
std::optional<xmpp::GeoLocation> GeoLocationOf(const tim::v1::Message& content);

// A message from a client that sent a location without timd's payload:
// the body as a text element unless it is empty or only the "geo:" URI
// fallback (RFC 5870) of that location, then the location element
// (location_elem_desc / _latitude / _longitude from the geoloc).
tim::v1::Message ContentOfGeoLocation(const std::string& body, const xmpp::GeoLocation& location);

}  // namespace timd::domain
