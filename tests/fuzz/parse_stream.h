// XmlStreamParser run over a whole input, for the fuzz targets' checks.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/element.h"
#include "xmpp/xml_stream_parser.h"

namespace timd::fuzz {

inline constexpr std::string_view kStreamHeader =
    "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

struct ParsedStream {
  std::vector<xmpp::Element> stanzas;
  std::string error;  // empty unless the parser failed
};

// Feeds `stream` in reads of `read_size` bytes, as the network hands it over.
inline ParsedStream ParseStream(std::string_view stream, size_t read_size) {
  ParsedStream out;
  xmpp::XmlStreamParser::Callbacks callbacks;
  callbacks.on_stanza = [&](xmpp::Element stanza) { out.stanzas.push_back(std::move(stanza)); };
  callbacks.on_error = [&](const std::string& reason) { out.error = reason; };
  xmpp::XmlStreamParser parser(std::move(callbacks));
  while (!stream.empty() && !parser.failed()) {
    const size_t n = std::min(read_size, stream.size());
    parser.Feed(stream.substr(0, n));
    stream.remove_prefix(n);
  }
  return out;
}

// The stanzas of `xml` sent in a jabber:client stream.
inline ParsedStream ParseInClientStream(const std::string& xml) {
  const std::string stream = std::string(kStreamHeader) + xml;
  return ParseStream(stream, stream.size());
}

}  // namespace timd::fuzz
