// What the end of an XMPP stream means for the login: the status callers
// get, and whether reconnecting can help.
#pragma once

#include "common/status.h"
#include "xmpp/client.h"

namespace timd::domain {

// Bad credentials, an expired token, a refused certificate, a kick: trying
// again cannot help (and a kick would turn into a kick war).
bool IsPermanent(xmpp::ClientError error);

// The TIM code and text of a stream's end (mapping section 2).
Status StatusOf(const xmpp::ClientCloseInfo& info);

}  // namespace timd::domain
