// XEP-0334 Message Processing Hints that ask servers not to keep a message:
// <no-store/> (no archive, no offline storage) and <no-permanent-store/>
// (no archive). timd sends both on online-only messages (TIM's
// message_is_online_msg) and reads either as "online-only" on receipt.
// Pure functions, called by the chat stanza builder and parser (chat.cc).
#pragma once

#include "xmpp/element.h"

namespace timd::xmpp {

void AddNoStoreHints(Element& message);
bool HasNoStoreHint(const Element& message);

}  // namespace timd::xmpp
