// A location in a message, the stanza side: XEP-0080 User Location as a
// message payload, <geoloc xmlns='http://jabber.org/protocol/geoloc'> with
// <lat/>, <lon/> and <description/> (the fields TIM's Location element
// has). Pure functions, called by the chat stanza builder and parser
// (chat.cc) like the file payloads of file_sharing.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "xmpp/element.h"

namespace timd::xmpp {

inline constexpr std::string_view kGeolocNs = "http://jabber.org/protocol/geoloc";

struct GeoLocation {
  double latitude = 0;   // decimal degrees north, -90 to 90
  double longitude = 0;  // decimal degrees east, -180 to 180
  std::string description;

  bool operator==(const GeoLocation&) const = default;
};

// Appends <geoloc/> with lat, lon and (when not empty) description.
void AddGeoLocation(Element& message, const GeoLocation& location);

// The first <geoloc/> of a received message; nothing when there is none or
// its lat/lon are missing, not decimal numbers, or out of range (a
// location nobody can place is no location). Other XEP-0080 fields are
// ignored; a description longer than kMaxGeoDescriptionBytes is cut.
inline constexpr size_t kMaxGeoDescriptionBytes = 1024;
std::optional<GeoLocation> ParseGeoLocation(const Element& message);

}  // namespace timd::xmpp
