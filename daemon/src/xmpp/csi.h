// XEP-0352 client state indication: tells the server whether anyone is
// looking at this client (<active/>) or not (<inactive/>), where the server
// offers it (the <csi xmlns='urn:xmpp:csi:0'/> stream feature). Whether to
// be active is the owner's decision; this module only says it, once per
// change.
#pragma once

#include <optional>
#include <string_view>

#include "xmpp/client.h"

namespace timd::xmpp {

inline constexpr std::string_view kCsiNs = "urn:xmpp:csi:0";

class CsiManager {
 public:
  explicit CsiManager(Client& client) : client_(client) {}

  // Whether the current stream offers CSI.
  bool offered() const;
  // Sends <active/> or <inactive/> unless the server was told so already
  // on this stream or does not offer CSI. A new stream (fresh or resumed)
  // starts unknown, so the first call always sends.
  void Indicate(bool active);

 private:
  Client& client_;
  std::optional<bool> told_;
};

}  // namespace timd::xmpp
