// What timd says it is and implements, collected from its XEP modules: each
// module registered here is added to the client's stanza handlers and its
// DiscoFeatures() to the disco#info answer and the XEP-0115 hash, so a new
// module needs no entry in any central list.
#pragma once

#include <string>

#include "xmpp/client.h"
#include "xmpp/disco_info.h"

namespace timd::xmpp {

class FeatureRegistry {
 public:
  explicit FeatureRegistry(DiscoIdentity identity);

  // Hands `module` (not owned, must outlive the client) its stanzas and
  // advertises its features. Register every module before going online:
  // the caps hash in presence is computed from what is registered.
  void Register(Client& client, StanzaHandler& module);

  // Identity and features, features sorted and unique.
  const DiscoInfo& info() const { return info_; }
  // The XEP-0115 ver (SHA-1) of info().
  const std::string& caps_ver() const { return caps_ver_; }

 private:
  DiscoInfo info_;
  std::string caps_ver_;
};

}  // namespace timd::xmpp
