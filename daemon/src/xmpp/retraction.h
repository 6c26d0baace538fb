// XEP-0424 Message Retraction (urn:xmpp:message-retract:1) in one-to-one
// chats: builds a retraction with its XEP-0428 fallback body and a store
// hint, and reports the retractions that arrive live, as carbons or from
// the archive. The older form (message-retract:0 inside an XEP-0422
// <apply-to xmlns='urn:xmpp:fasten:0'>, still sent by e.g. slixmpp 1.8) is
// accepted on input. Messages reach it through MessagePayloadHandlers (see
// message_payload.h); a retraction is always claimed, so its fallback body
// never becomes a chat message.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "xmpp/client.h"
#include "xmpp/element.h"
#include "xmpp/message_payload.h"

namespace timd::xmpp {

inline constexpr std::string_view kRetractNs = "urn:xmpp:message-retract:1";
inline constexpr std::string_view kRetractLegacyNs = "urn:xmpp:message-retract:0";

struct Retraction {
  // origin.from: who retracts; the owner checks that it sent the original.
  MessageOrigin origin;
  std::string retracted_id;  // the retracted message's id attribute (in 1:1 chats)
  bool legacy = false;       // the message-retract:0 <apply-to/> form
};

// Nothing when `message` carries no retraction; nothing (logged) when it is
// malformed: no or an oversize id, or an invalid sender.
std::optional<Retraction> ParseRetraction(const Element& message, const MessageContext& context);
// <message type='chat' to id><retract id/><fallback/><body/><origin-id/><store/></message>
Element BuildRetraction(const std::string& to, const std::string& retracted_id, const std::string& id);

class MessageRetraction : public StanzaHandler, public MessagePayloadHandler {
 public:
  using Listener = std::function<void(const Retraction& retraction)>;
  MessageRetraction(Client& client, Listener listener);

  // Retracts the message `retracted_id` we sent to `to` (a bare JID).
  SentMessage Send(const std::string& to, const std::string& retracted_id);

  // Registered for its disco feature only: messages come through
  // HandleMessagePayload, from every source.
  bool HandleStanza(const Element&) override { return false; }
  std::vector<std::string> DiscoFeatures() const override { return {std::string(kRetractNs)}; }
  bool HandleMessagePayload(const Element& message, const MessageContext& context) override;
  bool Claims(const Element& message) const override;

 private:
  Client& client_;
  Listener listener_;
};

}  // namespace timd::xmpp
