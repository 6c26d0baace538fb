#include "xmpp/ping.h"

namespace timd::xmpp {

bool PingResponder::HandleStanza(const Element& stanza) {
  if (stanza.name != "iq" || stanza.Attr("type") != "get" || stanza.Child("ping", "urn:xmpp:ping") == nullptr) {
    return false;
  }
  Element result("iq", "jabber:client");
  result.SetAttr("type", "result");
  if (stanza.HasAttr("from")) result.SetAttr("to", std::string(stanza.Attr("from")));
  result.SetAttr("id", std::string(stanza.Attr("id")));
  client_.Send(result);
  return true;
}

}  // namespace timd::xmpp
