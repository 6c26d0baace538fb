// The stored message a received retraction or correction refers to (by
// its stanza id attribute, mapping §3.2), and whether the sender may
// change it: XEP-0424 and XEP-0308 let only the original's sender do that.
#pragma once

#include <optional>
#include <string>

#include "store/message_store.h"
#include "tim/v1/common.pb.h"
#include "xmpp/message_payload.h"

namespace timd::domain {

// The C2C conversation (a bare JID) a message from `from_bare` to `to`
// belongs to, as Messaging files it: the peer's; for our own messages
// (another device, the archive) the addressee's, else our own.
std::string ConversationOf(const std::string& from_bare, const std::string& to, const std::string& own_jid);

struct ReferencedMessage {
  std::optional<store::MessageRecord> message;  // `sender`'s message with that id
  // A message with that id exists, but someone else sent it: the reference
  // is spoofed (or mistaken) and must be ignored.
  bool someone_elses = false;
};

// `sender`'s message with id attribute `raw_id` in conversation `conv_id`.
ReferencedMessage FindReferencedMessage(store::MessageStore& store, const std::string& conv_id,
                                        const std::string& sender, const std::string& raw_id);
// The message a received `payload` ("retraction", "correction") from
// `origin` refers to as `raw_id`, in the conversation `origin` belongs to.
// Someone else's message is logged as ignored.
ReferencedMessage FindReferencedMessage(store::MessageStore& store, const xmpp::MessageOrigin& origin,
                                        const std::string& own_jid, const std::string& raw_id,
                                        const char* payload);

}  // namespace timd::domain
