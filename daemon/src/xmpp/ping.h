// XEP-0199: answers the server's <iq type="get"><ping/></iq>.
#pragma once

#include "xmpp/client.h"

namespace timd::xmpp {

class PingResponder : public StanzaHandler {
 public:
  explicit PingResponder(Client& client) : client_(client) {}
  bool HandleStanza(const Element& stanza) override;
  std::vector<std::string> DiscoFeatures() const override { return {"urn:xmpp:ping"}; }

 private:
  Client& client_;
};

}  // namespace timd::xmpp
