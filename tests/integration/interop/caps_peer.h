// Runs caps_peer.py (python3-slixmpp, an independent XMPP implementation)
// as another resource of an account and reads its JSON lines.
#pragma once

#include <string>
#include <vector>

#include "integration/interop/json_line_peer.h"

namespace timd::test {

class CapsPeer : public JsonLinePeer {
 public:
  // `mode`: inspect, good, bad or send (see caps_peer.py); `extra`: more flags.
  CapsPeer(const ProsodyServer& prosody, const std::string& user, const std::string& password,
           const std::string& mode, const std::vector<std::string>& extra = {});
};

}  // namespace timd::test
