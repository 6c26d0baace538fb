// RFC 6121 presence the client needs: announce availability (which also
// makes the server deliver offline messages) and withdraw it before logout.
#pragma once

#include "xmpp/client.h"

namespace timd::xmpp {

void SendInitialPresence(Client& client);      // <presence/>
void SendUnavailablePresence(Client& client);  // <presence type='unavailable'/>

}  // namespace timd::xmpp
