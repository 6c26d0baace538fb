// One-to-one chat messages (RFC 6121 type="chat") with XEP-0359 unique and
// stable ids (origin-id on send, stanza-id on receive) and XEP-0203 delayed
// delivery. Turns stanzas into plain structs and back; a ChatManager hands
// received messages, and error replies to sent ones, to its listeners.
// Messages that carry a payload module's content (markers, receipts,
// retractions, corrections) go to that module instead: see message_payload.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "xmpp/client.h"
#include "xmpp/element.h"
#include "xmpp/file_sharing.h"
#include "xmpp/geoloc.h"
#include "xmpp/jid.h"
#include "xmpp/message_payload.h"

namespace timd::xmpp {

struct OutgoingChat {
  // A constructor rather than an aggregate: most senders have no payload.
  OutgoingChat(std::string to, std::string id, std::string body, std::string payload = "")
      : to(std::move(to)), id(std::move(id)), body(std::move(body)), payload(std::move(payload)) {}

  std::string to;         // bare JID
  std::string id;         // stanza id attribute; also used as the origin-id
  std::string body;
  std::string payload;    // timd's own payload (see kTimdPayloadNs); "" = none
  std::vector<SharedFile> files;  // uploaded files: OOB and XEP-0447 (file_sharing.h)
  std::optional<GeoLocation> location;  // XEP-0080 <geoloc/> (geoloc.h)
  bool no_store = false;  // online-only: type headline, XEP-0334 no-store hints instead of <store/> (hints.h)
};

struct IncomingChat {
  std::string from;       // full JID as received
  std::string to;
  std::string type;       // "chat", "normal", or "headline" (online-only)
  std::string id;         // id attribute (may be empty)
  std::string origin_id;  // XEP-0359 origin-id (may be empty)
  std::string stanza_id;  // XEP-0359 stanza-id whose `by` is our own bare JID
  std::string body;
  std::string payload;    // timd's own payload, as sent (may be empty)
  std::vector<SharedFile> files;  // files it points to (OOB, XEP-0447)
  std::optional<GeoLocation> location;  // its XEP-0080 <geoloc/>, if any
  bool no_store = false;  // carries an XEP-0334 <no-store/> or <no-permanent-store/> hint
  bool markable = false;  // asks for XEP-0333 chat markers
  // XEP-0203 delay stamp in Unix milliseconds (earliest when several); 0 if none.
  int64_t delay_ms = 0;
};

// A message we sent, returned as undeliverable (RFC 6120 8.3): type='error'
// with the id of the original, from its recipient's address (the server
// answers in the recipient's name).
struct BouncedChat {
  std::string from;
  std::string id;
  std::string condition;  // e.g. "service-unavailable"; "undefined-condition" if none is named
  std::string text;       // the server's <text>, may be empty
};

// timd's own payload, <tim xmlns='urn:x-timd:0'>TEXT</tim>: what a timd
// peer needs to see a message exactly as it was sent (the domain layer
// decides its content). Other clients read the <body> fallback.
inline constexpr std::string_view kTimdPayloadNs = "urn:x-timd:0";

Element BuildChatMessage(const OutgoingChat& message);
// Returns nothing unless the stanza is a message of type 'error' with an id.
std::optional<BouncedChat> ParseBouncedChat(const Element& stanza);
// Returns nothing when the stanza is not a chat/normal message with a body
// (or, without a body, an XEP-0080 location: such a message is content too).
// `own_bare_jid` decides which stanza-id to trust.
std::optional<IncomingChat> ParseChatMessage(const Element& stanza, const std::string& own_bare_jid);
// Parses an XEP-0082 date-time (e.g. 2026-11-26T12:00:00.123Z) into Unix ms.
std::optional<int64_t> ParseXmppTimestamp(std::string_view stamp);
// Unix ms as an XEP-0082 date-time in UTC, whole seconds (rounded down).
std::string FormatXmppTimestamp(int64_t unix_ms);

class ChatManager : public StanzaHandler {
 public:
  using Listener = std::function<void(const IncomingChat& message)>;
  using BounceListener = std::function<void(const BouncedChat& bounce)>;
  // Without `on_bounce`, error replies to sent messages are left to later handlers.
  ChatManager(Client& client, Listener listener, BounceListener on_bounce = nullptr);

  // Returns the outbound sequence number (see Client::Send); 0 if offline.
  uint64_t Send(const OutgoingChat& message);

  // Offers every received message to `payloads` (not owned, may be null)
  // before reading it as a chat message.
  void SetPayloadHandlers(const MessagePayloadHandlers* payloads) { payloads_ = payloads; }

  bool HandleStanza(const Element& stanza) override;

 private:
  Client& client_;
  Listener listener_;
  BounceListener on_bounce_;
  const MessagePayloadHandlers* payloads_ = nullptr;
};

}  // namespace timd::xmpp
