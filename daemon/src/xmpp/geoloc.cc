#include "xmpp/geoloc.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace timd::xmpp {
namespace {

// XEP-0080 gives lat and lon as xs:decimal: "45.44", "-12", never exponents
// or "nan". strtod alone would take all of those.
std::optional<double> ParseDecimal(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty() || text.size() > 64) return std::nullopt;
  size_t digits = 0;
  bool point = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '.' && !point) {
      point = true;
    } else if ((c == '-' || c == '+') && i == 0) {
    } else {
      return std::nullopt;
    }
  }
  if (digits == 0) return std::nullopt;
  const std::string copy(text);
  return std::strtod(copy.c_str(), nullptr);
}

std::string Decimal(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", value);  // ~0.1 m: more than any receiver uses
  return text;
}

// Cuts `text` to at most `max` bytes without splitting a UTF-8 sequence.
std::string CutUtf8(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

void AddGeoLocation(Element& message, const GeoLocation& location) {
  const std::string ns(kGeolocNs);
  Element geoloc("geoloc", ns);
  geoloc.AddTextChild("lat", ns, Decimal(location.latitude));
  geoloc.AddTextChild("lon", ns, Decimal(location.longitude));
  if (!location.description.empty()) geoloc.AddTextChild("description", ns, location.description);
  message.AddChild(std::move(geoloc));
}

std::optional<GeoLocation> ParseGeoLocation(const Element& message) {
  const Element* geoloc = message.Child("geoloc", kGeolocNs);
  if (geoloc == nullptr) return std::nullopt;
  const Element* lat = geoloc->Child("lat", kGeolocNs);
  const Element* lon = geoloc->Child("lon", kGeolocNs);
  if (lat == nullptr || lon == nullptr) return std::nullopt;
  const std::optional<double> latitude = ParseDecimal(lat->text);
  const std::optional<double> longitude = ParseDecimal(lon->text);
  if (!latitude || !longitude || std::fabs(*latitude) > 90 || std::fabs(*longitude) > 180) return std::nullopt;
  GeoLocation location{*latitude, *longitude, ""};
  if (const Element* description = geoloc->Child("description", kGeolocNs)) {
    location.description = CutUtf8(description->text, kMaxGeoDescriptionBytes);
  }
  return location;
}

}  // namespace timd::xmpp
