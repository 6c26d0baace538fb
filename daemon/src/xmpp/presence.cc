#include "xmpp/presence.h"

namespace timd::xmpp {
namespace {

Element Presence(const std::vector<Element>& payload) {
  Element presence("presence", "jabber:client");
  for (const Element& child : payload) presence.AddChild(child);
  return presence;
}

}  // namespace

void SendInitialPresence(Client& client, const std::vector<Element>& payload) { client.Send(Presence(payload)); }

void SendUnavailablePresence(Client& client, const std::vector<Element>& payload) {
  Element presence = Presence(payload);
  presence.SetAttr("type", "unavailable");
  client.Send(presence);
}

}  // namespace timd::xmpp
