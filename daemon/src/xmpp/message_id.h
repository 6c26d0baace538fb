// Fresh ids for the message stanzas the payload modules send.
#pragma once

#include <string>

namespace timd::xmpp {

// A random (version 4) UUID in lower-case hex, e.g. for an id attribute
// that is also the XEP-0359 origin-id.
std::string NewMessageId();

}  // namespace timd::xmpp
