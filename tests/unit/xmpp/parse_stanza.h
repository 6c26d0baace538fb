// Parses one stanza as the client would receive it (inside a jabber:client
// stream), for tests of the stanza parsers.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "xmpp/element.h"
#include "xmpp/xml_stream_parser.h"

namespace timd::xmpp {

inline Element ParseStanza(const std::string& xml) {
  std::vector<Element> stanzas;
  XmlStreamParser::Callbacks cb;
  cb.on_stanza = [&](Element e) { stanzas.push_back(std::move(e)); };
  XmlStreamParser parser(cb);
  EXPECT_TRUE(parser.Feed("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" +
                          xml));
  EXPECT_EQ(stanzas.size(), 1u);
  return stanzas.empty() ? Element() : stanzas[0];
}

}  // namespace timd::xmpp
