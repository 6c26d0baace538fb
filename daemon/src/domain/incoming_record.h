// A received chat message (live, carbon, offline or archived) as the store
// record it becomes: conversation, ids for matching its copies, content.
#pragma once

#include <optional>
#include <string>

#include "store/message_store.h"
#include "xmpp/chat.h"

namespace timd::domain {

// Nothing when the sender's address is unusable. `own_jid` is the login's
// bare JID: a message it sent belongs to the conversation with its `to`.
std::optional<store::MessageRecord> IncomingRecord(const xmpp::IncomingChat& chat, const std::string& own_jid);

}  // namespace timd::domain
