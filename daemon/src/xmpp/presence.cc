#include "xmpp/presence.h"

namespace timd::xmpp {

void SendInitialPresence(Client& client) {
  client.Send(Element("presence", "jabber:client"));
}

void SendUnavailablePresence(Client& client) {
  Element presence("presence", "jabber:client");
  presence.SetAttr("type", "unavailable");
  client.Send(presence);
}

}  // namespace timd::xmpp
