// Message payloads that are not new chat content: XEP-0333 markers,
// XEP-0184 receipts, XEP-0424 retractions, XEP-0308 corrections. Each XEP
// is one module (chat_markers.h, receipts.h, retraction.h, correction.h)
// implementing MessagePayloadHandler.
//
// How they reach the modules: a chat message arrives live, inside a carbon
// (XEP-0280) or inside an archive result (XEP-0313). ChatManager,
// CarbonsManager and MamManager each unwrap their form, describe where the
// message came from in a MessageContext, and first offer the bare <message/>
// to the MessagePayloadHandlers they were given. A module that claims the
// message (returns true) has reported it through its own typed listener,
// and the message does not become an IncomingChat: a correction or a
// retraction carries a fallback <body> that must not show up as a new
// message, and a marker or receipt has none. A message nobody claims goes
// on to the chat parse as before. So the stream core stays XEP-agnostic,
// ChatManager knows no payload XEP, and each XEP stays in its own file pair.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/element.h"

namespace timd::xmpp {

enum class MessageSource {
  kLive,           // addressed to us (including offline storage, with a delay)
  kCarbonReceived, // XEP-0280 <received>: a peer's message to another of our resources
  kCarbonSent,     // XEP-0280 <sent>: our other resource sent it
  kArchive,        // an XEP-0313 result from our own archive
};

const char* ToString(MessageSource source);

// Where an offered message came from, and what its wrapper vouches for.
struct MessageContext {
  MessageSource source = MessageSource::kLive;
  std::string own_bare_jid;
  // XEP-0359 stanza-id set by our own server (`by` = own bare JID), or the
  // archive result's id; empty when none.
  std::string stanza_id;
  // XEP-0203 stamp in Unix ms (the earliest, or the archive's); 0 if none.
  int64_t delay_ms = 0;

  // The address the message is from: its `from`, or our own bare JID when
  // it has none (sent carbons and archived own messages may omit it).
  std::string SenderOf(const Element& message) const;
};

// Who sent an offered message and where it came from: the part every
// payload module reports alongside its own fields. The owner decides whom
// to trust; a module only ever reports the real `from`.
struct MessageOrigin {
  std::string from;       // as received (a full JID), or our bare JID when absent
  std::string from_bare;  // bare JID of `from`
  std::string to;         // as addressed; may be empty
  std::string id;         // the message's own id attribute; may be empty
  std::string stanza_id;  // see MessageContext::stanza_id
  int64_t delay_ms = 0;   // see MessageContext::delay_ms
  MessageSource source = MessageSource::kLive;
  bool is_own = false;    // sent by our own account: a sent carbon, or from our bare JID
};
// Nothing when the sender's address is not a valid JID.
std::optional<MessageOrigin> OriginOf(const Element& message, const MessageContext& context);

// A message a payload module sent: its id attribute, and the sequence
// number Client::Send returned for it (0: offline, nothing was sent).
struct SentMessage {
  std::string id;
  uint64_t seq = 0;
};

// Ids that payloads reference (a marked, retracted or corrected message):
// longer ones are refused as oversize, empty ones as malformed.
inline constexpr size_t kMaxReferencedIdBytes = 256;
bool IsUsableReferencedId(std::string_view id);

// The context of a message as it arrives on the stream or inside a carbon:
// stanza-id and delay read from the message itself.
MessageContext ContextOf(const Element& message, MessageSource source, const std::string& own_bare_jid);

// The XEP-0359 stanza-id our own server put on `message`; empty if none.
std::string OwnStanzaId(const Element& message, const std::string& own_bare_jid);
// The earliest XEP-0203 <delay> stamp on `message` in Unix ms; 0 if none.
int64_t EarliestDelayMs(const Element& message);
// The jabber:client <message/> inside `parent`'s XEP-0297 <forwarded/>.
const Element* ForwardedMessage(const Element& parent);

class MessagePayloadHandler {
 public:
  virtual ~MessagePayloadHandler() = default;
  // Offered every one-to-one message (type chat, normal or absent) the
  // chat, carbons and archive managers receive. True: the message is this
  // module's and is not new chat content (no later handler or chat parse).
  virtual bool HandleMessagePayload(const Element& message, const MessageContext& context) = 0;
  // Whether HandleMessagePayload would claim `message` as not being chat
  // content, without reporting anything: archive history pages (see
  // MamManager::QueryPageBefore) skip such messages. Modules that claim only
  // messages without a <body> need not override it: those are no chat
  // content anyway.
  virtual bool Claims(const Element& /*message*/) const { return false; }
};

// The payload modules a manager offers messages to, in order.
class MessagePayloadHandlers {
 public:
  // Not owned; must outlive the managers this list is given to.
  void Add(MessagePayloadHandler& handler) { handlers_.push_back(&handler); }
  // Offers `message` to each handler until one claims it.
  bool Offer(const Element& message, const MessageContext& context) const;
  // Whether a handler would claim `message` (see MessagePayloadHandler::Claims).
  bool Claims(const Element& message) const;

 private:
  std::vector<MessagePayloadHandler*> handlers_;
};

}  // namespace timd::xmpp
