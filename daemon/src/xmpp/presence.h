// RFC 6121 presence the client needs: announce availability (which also
// makes the server deliver offline messages) and withdraw it before logout.
// `payload` goes into each presence (e.g. the XEP-0115 <c/>).
#pragma once

#include <vector>

#include "xmpp/client.h"

namespace timd::xmpp {

void SendInitialPresence(Client& client, const std::vector<Element>& payload = {});      // <presence/>
void SendUnavailablePresence(Client& client, const std::vector<Element>& payload = {});  // type="unavailable"

}  // namespace timd::xmpp
